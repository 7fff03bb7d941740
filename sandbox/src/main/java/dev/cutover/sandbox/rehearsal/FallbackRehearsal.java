package dev.cutover.sandbox.rehearsal;

import java.io.PrintStream;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongSupplier;

import org.apache.avro.specific.SpecificRecord;

import dev.cutover.ctl.Cutoverctl;
import dev.cutover.events.FallbackCompleted;
import dev.cutover.events.FallbackRejected;
import dev.cutover.events.FallbackRolledBack;
import dev.cutover.events.TidyUpTaskDone;
import dev.cutover.platform.KafkaProbe;
import dev.cutover.platform.MessagePublisher;
import dev.cutover.sandbox.client.RehearsalClient;
import dev.cutover.sandbox.client.Server;
import dev.cutover.sandbox.report.FallbackFigures;
import dev.cutover.sandbox.report.Report;
import dev.cutover.sandbox.report.ReportInputs;
import dev.cutover.stack.LocalStack;
import dev.cutover.stack.Postgres;

/**
 * {@code --then-fallback}: after a completed cutover whose source follows the target, the target takes writes of its
 * own (the client's, and inserts, updates and deletes in {@code services}), then {@code cutoverctl fallback} moves the
 * client back to the source while it keeps writing. With {@link #stallingFirst()} the reverse subscription is disabled
 * for a first fallback, which must roll back with the target serving again, and enabled for a second one.
 */
final class FallbackRehearsal {

    /** The rows the target's own writes leave in {@code services}, read alike on 11 and 17. */
    private static final String SERVICES = "select id || ':' || name from services where name like 'fallback-%' order by id";

    private final boolean stall;

    private FallbackRehearsal(boolean stall) {
        this.stall = stall;
    }

    static FallbackRehearsal plain() {
        return new FallbackRehearsal(false);
    }

    static FallbackRehearsal stallingFirst() {
        return new FallbackRehearsal(true);
    }

    /**
     * How the fallback went.
     *
     * @param result             completed, rolled_back or rejected: the last fallback's end
     * @param askedAt            when the last fallback was asked for
     * @param endedAt            when its end was recorded
     * @param stalledResult      the first fallback's end, with the reverse subscription disabled; {@code null} without
     * @param servicesOnSource   the target's own writes in {@code services} as the source has them at the end
     * @param servicesOnTarget   the same on the target
     * @param sequenceOnSource   {@code services_id_seq} and {@code notifications_id_seq} on the source at the end
     * @param sequenceOnTarget   the same on the target: every value it handed out
     */
    record Outcome(String result, Instant askedAt, Instant endedAt, String stalledResult, List<String> servicesOnSource,
            List<String> servicesOnTarget, List<Long> sequenceOnSource, List<Long> sequenceOnTarget) {

        boolean completed() {
            return result.equals("completed");
        }

        /** Every acknowledged write of the run checked on the server that serves at the end. */
        Report report(ReportInputs inputs, Connection source, Connection target) {
            FallbackFigures figures = FallbackFigures.of(result, inputs, askedAt, endedAt);
            return completed() ? Report.afterFallback(inputs, source, Server.SOURCE, figures)
                    : Report.afterFallback(inputs, target, Server.TARGET, figures);
        }
    }

    /**
     * With {@link #stallingFirst()}, lag-monitor is told to call the reverse replication stalled only after minutes: it
     * judges a disabled subscription by the lag that builds up behind it, so the first fallback's preflight passes
     * whatever the host's speed, and what is rehearsed is the catch-up proof failing and the rollback.
     */
    void configure(Services services) {
        if (stall) {
            services.configure("cutover.lag.databases." + SeedData.DATABASE + ".stall-after", "10m");
            services.configure("cutover.lag.databases." + SeedData.DATABASE + ".catching-up-bytes", "1GB");
        }
    }

    /** The client is writing on the target; returns once the last fallback ended and the client writes where it serves. */
    Outcome run(LocalStack stack, KafkaProbe bus, RehearsalClient client, String cutoverId, long writesAfter,
            Duration timeout, PrintStream out) throws SQLException {
        String kafka = stack.kafkaBootstrapServers();
        bus.await(TidyUpTaskDone.class, done -> cutoverId.equals(cutoverOf(done))
                && done.getTask().equals("PREPARE_FALLBACK"), timeout);
        writeOnTarget(stack.target());
        String stalled = null;
        if (stall) {
            execute(stack.source(), "alter subscription " + ReverseReplicationCheck.SUBSCRIPTION + " disable");
            out.printf("fallback     reverse subscription disabled: the fallback must roll back%n");
            stalled = fallBack(bus, kafka, cutoverId, timeout, out).getSchema().getName();
            awaitMore("writes on the target after the rollback", () -> client.progress().ackedByTarget(), writesAfter,
                    timeout);
            execute(stack.source(), "alter subscription " + ReverseReplicationCheck.SUBSCRIPTION + " enable");
        }
        Instant asked = Instant.now();
        SpecificRecord end = fallBack(bus, kafka, cutoverId, timeout, out);
        String result = switch (end) {
            case FallbackCompleted completed -> "completed";
            case FallbackRolledBack rolledBack -> "rolled_back";
            default -> "rejected";
        };
        if (end instanceof FallbackCompleted) {
            awaitMore("writes on the source after the fallback", () -> client.progress().ackedBySource(), writesAfter,
                    timeout);
        }
        return new Outcome(result, asked, MessagePublisher.metadataOf(end).getOccurredAt(),
                stalled == null ? null : stalled.equals("FallbackRolledBack") ? "rolled_back" : stalled,
                HandMadeReplication.strings(stack.source(), SERVICES), HandMadeReplication.strings(stack.target(), SERVICES),
                sequences(stack.source()), sequences(stack.target()));
    }

    /** Inserts, updates and deletes of the target's own, through its sequences, before the fallback fences it. */
    private static void writeOnTarget(Postgres target) throws SQLException {
        execute(target, "insert into services (name) select 'fallback-' || i from generate_series(1, 30) i");
        execute(target, "update services set name = name || '-updated' where name like 'fallback-%' and id % 2 = 0");
        execute(target, "delete from services where name like 'fallback-%' and id % 3 = 0");
    }

    private static SpecificRecord fallBack(KafkaProbe bus, String kafka, String cutoverId, Duration timeout,
            PrintStream out) {
        Instant asked = Instant.now();
        int exit = Cutoverctl.run(out, out, "fallback", "--bootstrap-servers", kafka, "--cutover",
                cutoverId, "--operator", Services.OPERATOR, "--reason", "rehearsal", "--watch", "--timeout",
                timeout.toSeconds() + "s");
        SpecificRecord end = bus.await(SpecificRecord.class, m -> cutoverId.equals(cutoverOf(m))
                && (m instanceof FallbackCompleted || m instanceof FallbackRolledBack || m instanceof FallbackRejected)
                && !MessagePublisher.metadataOf(m).getOccurredAt().isBefore(asked), timeout);
        out.printf("fallback     %s (cutoverctl fallback exited %d)%n", end.getSchema().getName(), exit);
        return end;
    }

    private static List<Long> sequences(Postgres server) throws SQLException {
        return HandMadeReplication.strings(server, "select last_value from services_id_seq union all"
                + " select last_value from notifications_id_seq").stream().map(Long::parseLong).toList();
    }

    private static void awaitMore(String what, LongSupplier count, long more, Duration timeout) {
        long from = count.getAsLong();
        Instant deadline = Instant.now().plus(timeout);
        while (count.getAsLong() < from + more) {
            if (Instant.now().isAfter(deadline)) {
                throw new RehearsalFailed(what + " did not happen within " + timeout);
            }
            LockSupport.parkNanos(Duration.ofMillis(20).toNanos());
        }
    }

    private static void execute(Postgres server, String sql) throws SQLException {
        try (var connection = server.connect(SeedData.DATABASE); var statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }

    private static String cutoverOf(SpecificRecord message) {
        return MessagePublisher.metadataOf(message).getCutoverId();
    }
}
