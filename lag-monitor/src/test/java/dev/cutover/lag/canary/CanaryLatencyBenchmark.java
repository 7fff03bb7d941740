package dev.cutover.lag.canary;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.Arrays;
import java.util.Optional;
import java.util.UUID;

import dev.cutover.lag.engine.Lsn;
import dev.cutover.lag.fixture.ReplicatedDatabase;
import dev.cutover.stack.LocalStack;
import dev.cutover.stack.StackOptions;
import dev.cutover.stack.StackPart;

/**
 * Canary detection latency, PostgreSQL 11 to 17 over native logical replication: each canary is written on the
 * source as cutover-service writes it, then waited for as {@code AwaitCatchUp} waits (row visible on the target
 * and the subscription's confirmed position past the canary's LSN). Measured from the source's commit returning
 * to the wait returning. Not a test: run it by hand, see the README.
 */
public final class CanaryLatencyBenchmark {

    private static final int CANARIES = 200;
    private static final int WARM_UP = 10;

    private CanaryLatencyBenchmark() {
    }

    public static void main(String[] args) throws SQLException {
        int canaries = args.length > 0 ? Integer.parseInt(args[0]) : CANARIES;
        try (LocalStack stack = LocalStack.start(StackOptions.defaults().withParts(StackPart.SOURCE, StackPart.TARGET));
                ReplicatedDatabase database = ReplicatedDatabase.create(stack, "canary_benchmark");
                Connection source = database.connectSource();
                Connection target = database.connectTarget();
                Connection slotReader = database.connectSource();
                PreparedStatement write = source.prepareStatement(
                        "insert into cutover.canary (token) values (?) on conflict (token) do nothing");
                PreparedStatement lsn = source.prepareStatement("select pg_current_wal_lsn()::text")) {
            CanaryWatch.installNotifyTrigger(target);
            CanaryWatch watch = new CanaryWatch(Clock.systemUTC());
            CanaryWatch.Positions positions = new CanaryWatch.Positions(Optional.of(database.subscription()),
                    Optional.of(database.subscription()));
            double[] detectionMs = new double[canaries];
            long[] eventLatencyMs = new long[canaries];
            for (int i = -WARM_UP; i < canaries; i++) {
                String token = "benchmark-" + UUID.randomUUID();
                write.setString(1, token);
                write.executeUpdate();
                long committed = System.nanoTime();
                Lsn canaryLsn;
                try (ResultSet rs = lsn.executeQuery()) {
                    rs.next();
                    canaryLsn = Lsn.parse(rs.getString(1));
                }
                CanaryWatch.Outcome outcome = watch.await(new Canary(token, canaryLsn), positions,
                        Instant.now().plusSeconds(10), target, slotReader);
                long observed = System.nanoTime();
                if (!(outcome instanceof CanaryWatch.Outcome.Observed seen)) {
                    throw new IllegalStateException("canary " + token + " not observed: " + outcome);
                }
                if (i >= 0) {
                    detectionMs[i] = (observed - committed) / 1e6;
                    eventLatencyMs[i] = seen.latency().toMillis();
                }
            }
            Arrays.sort(detectionMs);
            Arrays.sort(eventLatencyMs);
            System.out.printf("source PostgreSQL %d -> target PostgreSQL %d, %d canaries after %d warm-up%n",
                    stack.source().majorVersion(), stack.target().majorVersion(), canaries, WARM_UP);
            System.out.printf("commit on source -> caught up detected: median %.2f ms, p99 %.2f ms, max %.2f ms%n",
                    percentile(detectionMs, 50), percentile(detectionMs, 99), detectionMs[canaries - 1]);
            System.out.printf("CanaryObserved.latencyMs (written_at -> seen): median %d ms, p99 %d ms%n",
                    eventLatencyMs[canaries / 2], eventLatencyMs[(int) Math.ceil(canaries * 0.99) - 1]);
        }
    }

    private static double percentile(double[] sorted, int percent) {
        return sorted[Math.max(0, (int) Math.ceil(sorted.length * percent / 100.0) - 1)];
    }
}
