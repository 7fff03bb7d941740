package dev.cutover.sandbox.client;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.IntStream;
import java.util.stream.Stream;

/**
 * What one run of the rehearsal client saw, fixed when it stopped: every acknowledged write in the order of
 * acknowledgement, the final status of every row it inserted, and every failed attempt.
 *
 * <p>Times are the client's {@link System#nanoTime()}; {@link #instantOf(long)} and {@link #nanoTimeOf(Instant)}
 * convert between that and the wall clock the cutover's events are stamped with, from one pair of readings taken at
 * start. Entries are kept in primitive arrays (about 20 bytes a write) and handed out one at a time.
 */
public final class ClientRecord {

    private final ClientSettings settings;
    private final Instant startedAt;
    private final long startNanos;
    private final long stopNanos;

    private final long[] ackNanos;
    private final long[] ackSentNanos;
    private final long[] ackSessionStartMillis;
    private final long[] ackIds;
    private final byte[] ackStatuses;
    private final byte[] ackServers;
    private final byte[] ackKinds;

    private final long[] rowIds;
    private final byte[] rowStatuses;
    private final byte[] rowDoubtStatuses;

    private final long[] failureNanos;
    private final byte[] failureKinds;
    private final byte[] failureCauses;
    private final List<FailureCause> causes;

    private final int instances;
    /** Every attempt, acknowledged or failed, worker by worker: its instance, when it began and when it ended. */
    private final byte[] attemptInstances;
    private final long[] attemptBeganNanos;
    private final long[] attemptEndedNanos;
    private final boolean[] attemptAcknowledged;

    private final long updatesFindingNoRow;
    /** Each worker's first acknowledgement by the target, -1 for a worker the target never acknowledged. */
    private final long[] firstTargetAckNanos;

    /** An acknowledged write. */
    public record Ack(long id, NotificationStatus status, Server server, WriteKind kind, long nanoTime, Instant at) {
    }

    /**
     * A row the client inserted and the status it last wrote.
     *
     * @param inDoubtStatus the status of an update that was in flight when the run ended, so may or may not have
     *     committed; {@code null} when there was none
     */
    public record AckedRow(long id, NotificationStatus status, NotificationStatus inDoubtStatus) {
    }

    /**
     * One attempt of one application instance: from asking its pool for a connection to the statement's answer, an
     * acknowledgement or an error (which the worker then retried).
     */
    public record Attempt(int instance, long beganNanos, long endedNanos, boolean acknowledged) {
    }

    /** A failed attempt; the worker retried it. */
    public record FailedAttempt(long nanoTime, Instant at, FailureKind kind, FailureCause cause) {
    }

    ClientRecord(ClientSettings settings, Instant startedAt, long startNanos, long stopNanos, int instances, List<WorkerLog> logs,
            List<FailureCause> causes) {
        this.settings = settings;
        this.instances = instances;
        this.startedAt = startedAt;
        this.startNanos = startNanos;
        this.stopNanos = stopNanos;
        this.causes = List.copyOf(causes);

        int acks = logs.stream().mapToInt(log -> log.ackNanos.size()).sum();
        ackNanos = new long[acks];
        ackSentNanos = new long[acks];
        ackSessionStartMillis = new long[acks];
        ackIds = new long[acks];
        ackStatuses = new byte[acks];
        ackServers = new byte[acks];
        ackKinds = new byte[acks];
        // Each worker's acknowledgements are already in time order: merge them rather than sort.
        int[] next = new int[logs.size()];
        for (int merged = 0; merged < acks; merged++) {
            int earliest = -1;
            for (int w = 0; w < logs.size(); w++) {
                WorkerLog log = logs.get(w);
                if (next[w] < log.ackNanos.size()
                        && (earliest < 0 || log.ackNanos.get(next[w]) < logs.get(earliest).ackNanos.get(next[earliest]))) {
                    earliest = w;
                }
            }
            WorkerLog from = logs.get(earliest);
            int i = next[earliest]++;
            ackNanos[merged] = from.ackNanos.get(i);
            ackSentNanos[merged] = from.ackSentNanos.get(i);
            ackSessionStartMillis[merged] = from.ackSessionStartMillis.get(i);
            ackIds[merged] = from.ackIds.get(i);
            ackStatuses[merged] = from.ackStatuses.get(i);
            ackServers[merged] = from.ackServers.get(i);
            ackKinds[merged] = from.ackKinds.get(i);
        }

        int rows = logs.stream().mapToInt(log -> log.rowIds.size()).sum();
        rowIds = new long[rows];
        rowStatuses = new byte[rows];
        rowDoubtStatuses = new byte[rows];
        int row = 0;
        for (WorkerLog log : logs) {
            for (int i = 0; i < log.rowIds.size(); i++, row++) {
                rowIds[row] = log.rowIds.get(i);
                rowStatuses[row] = log.rowStatuses.get(i);
                rowDoubtStatuses[row] = log.rowDoubtStatuses.get(i);
            }
        }

        int failures = logs.stream().mapToInt(log -> log.failureNanos.size()).sum();
        long[] unsortedNanos = new long[failures];
        byte[] unsortedKinds = new byte[failures];
        byte[] unsortedCauses = new byte[failures];
        int f = 0;
        for (WorkerLog log : logs) {
            for (int i = 0; i < log.failureNanos.size(); i++, f++) {
                unsortedNanos[f] = log.failureNanos.get(i);
                unsortedKinds[f] = log.failureKinds.get(i);
                unsortedCauses[f] = log.failureStates.get(i);
            }
        }
        int[] order = IntStream.range(0, failures).boxed()
                .sorted((a, b) -> Long.compare(unsortedNanos[a], unsortedNanos[b]))
                .mapToInt(Integer::intValue).toArray();
        failureNanos = new long[failures];
        failureKinds = new byte[failures];
        failureCauses = new byte[failures];
        for (int i = 0; i < failures; i++) {
            failureNanos[i] = unsortedNanos[order[i]];
            failureKinds[i] = unsortedKinds[order[i]];
            failureCauses[i] = unsortedCauses[order[i]];
        }
        int attempts = acks + failures;
        attemptInstances = new byte[attempts];
        attemptBeganNanos = new long[attempts];
        attemptEndedNanos = new long[attempts];
        attemptAcknowledged = new boolean[attempts];
        int a = 0;
        for (WorkerLog log : logs) {
            for (int i = 0; i < log.ackNanos.size(); i++, a++) {
                attemptInstances[a] = (byte) log.instance;
                attemptBeganNanos[a] = log.ackBeganNanos.get(i);
                attemptEndedNanos[a] = log.ackNanos.get(i);
                attemptAcknowledged[a] = true;
            }
            for (int i = 0; i < log.failureNanos.size(); i++, a++) {
                attemptInstances[a] = (byte) log.instance;
                attemptBeganNanos[a] = log.failureBeganNanos.get(i);
                attemptEndedNanos[a] = log.failureNanos.get(i);
            }
        }
        updatesFindingNoRow = logs.stream().mapToLong(log -> log.updatesFindingNoRow).sum();
        firstTargetAckNanos = logs.stream().mapToLong(log -> log.firstAckBy(Server.TARGET)).toArray();
    }

    /**
     * When the last worker (each has its own connection) had its first write acknowledged by the target: the moment
     * the whole application was back. Empty when some worker never wrote on the target.
     */
    public java.util.Optional<Instant> lastWorkerFirstOnTarget() {
        long last = Long.MIN_VALUE;
        for (long first : firstTargetAckNanos) {
            if (first < 0) {
                return java.util.Optional.empty();
            }
            last = Math.max(last, first);
        }
        return last == Long.MIN_VALUE ? java.util.Optional.empty() : java.util.Optional.of(instantOf(last));
    }

    public ClientSettings settings() {
        return settings;
    }

    /** How many application instances the workers were split over; 1 without a fleet. */
    public int instanceCount() {
        return instances;
    }

    /** Every attempt of every instance, in no particular order. */
    public Stream<Attempt> attempts() {
        return IntStream.range(0, attemptInstances.length).mapToObj(i -> new Attempt(attemptInstances[i], attemptBeganNanos[i],
                attemptEndedNanos[i], attemptAcknowledged[i]));
    }

    public Instant startedAt() {
        return startedAt;
    }

    public Instant stoppedAt() {
        return instantOf(stopNanos);
    }

    public long startNanoTime() {
        return startNanos;
    }

    public long stopNanoTime() {
        return stopNanos;
    }

    public Duration duration() {
        return Duration.ofNanos(stopNanos - startNanos);
    }

    /** The wall-clock time of a {@link System#nanoTime()} reading taken during the run. */
    public Instant instantOf(long nanoTime) {
        return startedAt.plusNanos(nanoTime - startNanos);
    }

    /** The {@link System#nanoTime()} reading the client would have taken at a wall-clock time. */
    public long nanoTimeOf(Instant instant) {
        return startNanos + Duration.between(startedAt, instant).toNanos();
    }

    public int ackCount() {
        return ackNanos.length;
    }

    /** The {@code index}-th acknowledgement, in the order they happened. */
    public Ack ack(int index) {
        long nanos = ackNanos[index];
        return new Ack(ackIds[index], NotificationStatus.ofOrdinal(ackStatuses[index]), Server.ofOrdinal(ackServers[index]),
                WriteKind.ofOrdinal(ackKinds[index]), nanos, instantOf(nanos));
    }

    public long ackNanoTime(int index) {
        return ackNanos[index];
    }

    /**
     * When the acknowledged statement was sent. A pause of the client between the server's answer and its reading of
     * the clock moves the acknowledgement's time later, never this one: a write sent after the fence and acknowledged
     * by the source is a broken fence, whatever the client's timing.
     */
    public long ackSentNanoTime(int index) {
        return ackSentNanos[index];
    }

    /**
     * Whether the acknowledged write's session was started by the server before {@code moment}: true when that is not
     * known (through PgBouncer), so that such a write is held to the fence as strictly as any.
     */
    public boolean ackSessionStartedBefore(int index, Instant moment) {
        long started = ackSessionStartMillis[index];
        return started == SessionStarts.UNKNOWN || started < moment.toEpochMilli();
    }

    public Server ackServer(int index) {
        return Server.ofOrdinal(ackServers[index]);
    }

    public WriteKind ackKind(int index) {
        return WriteKind.ofOrdinal(ackKinds[index]);
    }

    public Stream<Ack> acks() {
        return IntStream.range(0, ackCount()).mapToObj(this::ack);
    }

    public long acksBy(Server server) {
        return IntStream.range(0, ackCount()).filter(i -> ackServers[i] == server.ordinal()).count();
    }

    /** How many rows the client inserted and was told so. */
    public int rowCount() {
        return rowIds.length;
    }

    public AckedRow row(int index) {
        byte doubt = rowDoubtStatuses[index];
        return new AckedRow(rowIds[index], NotificationStatus.ofOrdinal(rowStatuses[index]),
                doubt == WorkerLog.NO_STATUS ? null : NotificationStatus.ofOrdinal(doubt));
    }

    public Stream<AckedRow> rows() {
        return IntStream.range(0, rowCount()).mapToObj(this::row);
    }

    public int failureCount() {
        return failureNanos.length;
    }

    /** The {@code index}-th failed attempt, in the order they happened. */
    public FailedAttempt failure(int index) {
        long nanos = failureNanos[index];
        return new FailedAttempt(nanos, instantOf(nanos), FailureKind.ofOrdinal(failureKinds[index]), causes.get(failureCauses[index]));
    }

    public Stream<FailedAttempt> failures() {
        return IntStream.range(0, failureCount()).mapToObj(this::failure);
    }

    /** Every distinct cause of a failed attempt, with an example message. */
    public List<FailureCause> failureCauses() {
        return causes;
    }

    /** Updates that committed but changed nothing because their row was gone: a sign of a lost insert. */
    public long updatesFindingNoRow() {
        return updatesFindingNoRow;
    }
}
