package dev.cutover.cutover.saga;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What the cutover saga reacts to: the two ops commands, the participants' outcomes, lag reports and the
 * passing of time. Envelope data (message id, causation, timestamp) stays in {@link Envelope}.
 */
public sealed interface CutoverMessage {

    /**
     * Ops asks for a cutover.
     *
     * @param activeCutover the cutover already active for this database, as the listener found it in its registry;
     *                      the decider only sees one cutover's history, so it cannot know this itself
     * @param migrationInFlight a migration of this database still running ("migration ... at FULL_LOAD"), as the
     *                      migration saga's log shows it: its replication is not ready to cut over
     */
    record StartCutover(
            CutoverId cutoverId,
            DatabaseName database,
            Operator operator,
            boolean dryRun,
            String reason,
            DnsPlan dns,
            Optional<CutoverId> activeCutover,
            boolean prepareFallback,
            Optional<String> migrationInFlight) implements CutoverMessage {

        /** A cutover of a database no migration is running for. */
        public StartCutover(CutoverId cutoverId, DatabaseName database, Operator operator, boolean dryRun, String reason,
                DnsPlan dns, Optional<CutoverId> activeCutover, boolean prepareFallback) {
            this(cutoverId, database, operator, dryRun, reason, dns, activeCutover, prepareFallback, Optional.empty());
        }

        /** A cutover that prepares no reverse replication. */
        public StartCutover(CutoverId cutoverId, DatabaseName database, Operator operator, boolean dryRun, String reason,
                DnsPlan dns, Optional<CutoverId> activeCutover) {
            this(cutoverId, database, operator, dryRun, reason, dns, activeCutover, false);
        }

        public StartCutover {
            Objects.requireNonNull(cutoverId, "cutoverId must not be null");
            Objects.requireNonNull(database, "database must not be null");
            Objects.requireNonNull(operator, "operator must not be null");
            Text.notBlank(reason, "reason");
            Objects.requireNonNull(dns, "dns must not be null");
            Objects.requireNonNull(activeCutover, "activeCutover must not be null");
            Objects.requireNonNull(migrationInFlight, "migrationInFlight must not be null");
        }
    }

    /** Ops asks to stop a cutover and put the source back; honoured only before DNS has been flipped. */
    record AbortCutover(Operator operator, String reason) implements CutoverMessage {

        public AbortCutover {
            Objects.requireNonNull(operator, "operator must not be null");
            Text.notBlank(reason, "reason");
        }
    }

    /** A participant's successful answer to the command of one step. */
    sealed interface StepOutcome extends CutoverMessage {

        /** The step whose command this answers. */
        Step step();
    }

    /** An answer to one of the two tidy-up commands, which are confirmed separately. */
    sealed interface TidyUpOutcome extends StepOutcome {

        TidyUpTask task();

        @Override
        default Step step() {
            return Step.TIDY_UP;
        }
    }

    /** Schema-service checked the target and the source; any blocker stops the cutover before it touches anything. */
    record PreflightReported(List<String> blockers, String findings) implements StepOutcome {

        public PreflightReported {
            blockers = List.copyOf(blockers);
            Objects.requireNonNull(findings, "findings must not be null");
        }

        @Override
        public Step step() {
            return Step.PREFLIGHT;
        }
    }

    /** The fence locked the application roles on the source and no application session is left. */
    record TrafficStopped(Lsn fenceLsn, List<String> roles, int terminatedSessions) implements StepOutcome {

        public TrafficStopped {
            Objects.requireNonNull(fenceLsn, "fenceLsn must not be null");
            roles = List.copyOf(roles);
            if (terminatedSessions < 0) {
                throw new IllegalArgumentException("terminatedSessions must not be negative, was " + terminatedSessions);
            }
        }

        @Override
        public Step step() {
            return Step.STOP_TRAFFIC;
        }
    }

    /** The canary row was committed on the source at this LSN, after the last application session was gone. */
    record CanaryWritten(String token, Lsn lsn) implements StepOutcome {

        public CanaryWritten {
            Text.notBlank(token, "canary token");
            Objects.requireNonNull(lsn, "lsn must not be null");
        }

        @Override
        public Step step() {
            return Step.WRITE_CANARY;
        }
    }

    /** The lag monitor saw the canary row on the target and the subscription confirmed this LSN. */
    record CanaryObserved(String token, Duration latency, Lsn targetLsn) implements StepOutcome {

        public CanaryObserved {
            Text.notBlank(token, "canary token");
            Text.notNegative(latency, "canary latency");
            Objects.requireNonNull(targetLsn, "targetLsn must not be null");
        }

        @Override
        public Step step() {
            return Step.AWAIT_CATCH_UP;
        }
    }

    /** Every sequence on the target was set from the source. */
    record SequencesSynced(int count) implements StepOutcome {

        public SequencesSynced {
            if (count < 0) {
                throw new IllegalArgumentException("count must not be negative, was " + count);
            }
        }

        @Override
        public Step step() {
            return Step.SYNC_SEQUENCES;
        }
    }

    /**
     * The application roles may log in to the target.
     *
     * @param walPosition the target's WAL position read just before, while it was locked; empty when it was open
     *                    already (a repeated {@code OpenTarget}) or the fence is older
     */
    record TargetOpened(Optional<Lsn> walPosition) implements StepOutcome {

        public TargetOpened {
            Objects.requireNonNull(walPosition, "walPosition must not be null");
        }

        public TargetOpened() {
            this(Optional.empty());
        }

        @Override
        public Step step() {
            return Step.OPEN_TARGET;
        }
    }

    /** The DNS name now points at the target; the target is still locked, so this alone can still be undone. */
    record DnsFlipped(String previous, String current) implements StepOutcome {

        public DnsFlipped {
            Text.notBlank(previous, "previous address");
            Text.notBlank(current, "current address");
        }

        @Override
        public Step step() {
            return Step.FLIP_DNS;
        }
    }

    /** The first application session was seen on the target at {@code at}; downtime ends there, not when we hear of it. */
    record TrafficResumed(Instant at) implements StepOutcome {

        public TrafficResumed {
            Objects.requireNonNull(at, "at must not be null");
        }

        @Override
        public Step step() {
            return Step.AWAIT_TRAFFIC;
        }
    }

    /** The replicator stopped the subscription; the source no longer feeds the target. */
    record ReplicationStopped() implements TidyUpOutcome {

        @Override
        public TidyUpTask task() {
            return TidyUpTask.STOP_REPLICATION;
        }
    }

    /** The replicator made the reverse publication and slot on the target: the preflight's last part passed. */
    record FallbackPrepared() implements StepOutcome {

        @Override
        public Step step() {
            return Step.PREFLIGHT;
        }
    }

    /** The source subscribes to the target: a fallback would lose no write made on the target. */
    record ReverseReplicationStarted() implements TidyUpOutcome {

        @Override
        public TidyUpTask task() {
            return TidyUpTask.PREPARE_FALLBACK;
        }
    }

    /**
     * The replicator dropped what the preflight made for reverse replication: after a rollback, or in the tidy-up when
     * the target's opening position is unknown and a fallback could not be trusted.
     */
    record FallbackRemoved() implements TidyUpOutcome {

        @Override
        public TidyUpTask task() {
            return TidyUpTask.PREPARE_FALLBACK;
        }
    }

    /** The DNS switcher put the record's TTL back to what it was before the migration lowered it. */
    record DnsTtlChanged() implements TidyUpOutcome {

        @Override
        public TidyUpTask task() {
            return TidyUpTask.RESTORE_DNS_TTL;
        }
    }

    /** The DNS switcher put the name back on the source (or found it there: the flip had not landed). */
    record DnsReverted() implements CutoverMessage {
    }

    /** The fence let the application roles log in to the source again. */
    record SourceRestored() implements CutoverMessage {
    }

    /** A participant could not do a step; {@code reason} is meant for the person on call. */
    record StepFailed(Step step, String reason, boolean retryable) implements CutoverMessage {

        public StepFailed {
            Objects.requireNonNull(step, "step must not be null");
            Text.notBlank(reason, "reason");
        }
    }

    /**
     * The lag monitor's latest view of replication for the cutover's database.
     *
     * @param heartbeatLag how long the monitor's periodic heartbeat row took to show up on the target: a canary
     *                     measured continuously, hence the best guess for how long catching up will take
     * @param reverse      a report of the reverse replication (the target feeding the source, a fallback's), which
     *                     only a fallback's preflight reads
     */
    record LagReported(long lagBytes, Duration heartbeatLag, ReplicationState state, Instant observedAt,
            boolean reverse) implements CutoverMessage {

        /** A report of the forward replication, source to target. */
        public LagReported(long lagBytes, Duration heartbeatLag, ReplicationState state, Instant observedAt) {
            this(lagBytes, heartbeatLag, state, observedAt, false);
        }

        public LagReported {
            if (lagBytes < 0) {
                throw new IllegalArgumentException("lagBytes must not be negative, was " + lagBytes);
            }
            Text.notNegative(heartbeatLag, "heartbeatLag");
            Objects.requireNonNull(state, "state must not be null");
            Objects.requireNonNull(observedAt, "observedAt must not be null");
        }
    }

    /**
     * Time has passed: deadlines are judged against the decider's {@code now}. It carries nothing else, so
     * one clock judges every deadline; when it was sent is in its envelope.
     */
    record Tick() implements CutoverMessage {
    }

    /** Ops asks a completed cutover to move the clients back to the source. */
    record StartFallback(Operator operator, String reason) implements CutoverMessage {

        public StartFallback {
            Objects.requireNonNull(operator, "operator must not be null");
            Text.notBlank(reason, "reason");
        }
    }

    /** The fence locked the application roles out of the target and ended their sessions. */
    record TargetLocked() implements CutoverMessage {
    }

    /** The source applied everything the fenced target wrote: the reverse slot is confirmed past {@code targetLsn}. */
    record ReverseCaughtUp(Lsn targetLsn, Lsn confirmedLsn) implements CutoverMessage {

        public ReverseCaughtUp {
            Objects.requireNonNull(targetLsn, "targetLsn must not be null");
            Objects.requireNonNull(confirmedLsn, "confirmedLsn must not be null");
        }
    }

    /** A participant could not carry out a command only a fallback sends. */
    record FallbackStepFailed(FallbackStep step, String reason, boolean retryable) implements CutoverMessage {

        public FallbackStepFailed {
            Objects.requireNonNull(step, "step must not be null");
            Text.notBlank(reason, "reason");
        }
    }
}
