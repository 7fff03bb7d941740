package dev.cutover.lag.monitor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.util.unit.DataSize;

import dev.cutover.events.LagReported;
import dev.cutover.events.Metadata;
import dev.cutover.lag.engine.EngineKind;
import dev.cutover.lag.settings.DatabaseLag;
import dev.cutover.lag.state.Observation;
import dev.cutover.lag.state.ReplicationState;
import dev.cutover.platform.database.DatabasePair;
import dev.cutover.platform.database.Endpoint;
import dev.cutover.platform.database.Replication;
import dev.cutover.stack.LocalStack;
import dev.cutover.stack.Postgres;
import dev.cutover.stack.SharedStackExtension;

/** The reverse replication a fallback uses, 17 target to 11 source, read the other way round from the forward one. */
@ExtendWith(SharedStackExtension.class)
class ReverseMonitorIntegrationTest {

    private static final String DATABASE = "lag_monitor_reverse";

    @Test
    void theTargetsWritesReachingTheSourceAreReportedAsTheReverseReplicationStreaming(LocalStack stack)
            throws SQLException {
        Replication names = Replication.reverse(DATABASE);
        stack.source().createDatabase(DATABASE);
        stack.target().createDatabase(DATABASE);
        execute(stack.source(), "create table orders (id bigserial primary key, item text not null)");
        execute(stack.target(), "create table orders (id bigserial primary key, item text not null)",
                "create publication " + names.publication() + " for table orders");
        DatabaseLag settings = new DatabaseLag(EngineKind.NATIVE, Duration.ofMillis(100), Duration.ofSeconds(10),
                DataSize.ofMegabytes(1), Duration.ofSeconds(1), true, null, null, "public", null, Duration.ofHours(1),
                Duration.ofMinutes(10));
        DatabasePair pair = new DatabasePair(endpoint(stack.source()), endpoint(stack.target()), List.of(),
                List.of("public"));
        try (DatabaseMonitor monitor = DatabaseMonitor.reverse(DATABASE, pair, settings, Clock.systemUTC())) {
            assertThat(monitor.observeOnce().assessment().state()).as("no reverse subscription yet")
                    .isEqualTo(ReplicationState.DOWN);

            execute(stack.source(), "create subscription " + names.subscription() + " connection '"
                    + stack.target().connectionString(DATABASE) + "' publication " + names.publication()
                    + " with (slot_name = '" + names.slot() + "', copy_data = false)");
            try {
                execute(stack.target(), "insert into orders (item) select 'x' from generate_series(1, 1000)");
                DatabaseMonitor.Judged caughtUp = await().atMost(Duration.ofSeconds(60))
                        .pollInterval(Duration.ofMillis(100)).until(monitor::observeOnce, judged ->
                                judged.assessment().state() == ReplicationState.STREAMING
                                        && judged.observation() instanceof Observation.Read read
                                        && read.sample().slotLagBytes().orElse(Long.MAX_VALUE) < 64 * 1024);

                Observation.Read read = (Observation.Read) caughtUp.observation();
                assertThat(read.sample().heartbeatLagMs()).as("cutover's heartbeat does not flow back").isEmpty();
                LagReported report = LagReports.lagReported(Metadata.newBuilder()
                        .setMessageId(java.util.UUID.randomUUID()).setDatabase(DATABASE)
                        .setOccurredAt(read.at()).setProducer("lag-monitor").build(), EngineKind.NATIVE, read,
                        ReplicationState.STREAMING, LagReports.REVERSE);
                assertThat(report.getDirection()).isEqualTo("REVERSE");
                assertThat(report.getSlotLagBytes()).isLessThan(64 * 1024L);
            } finally {
                execute(stack.source(), "drop subscription " + names.subscription());
            }
        }
    }

    private static Endpoint endpoint(Postgres server) {
        return new Endpoint(server.host(), server.port(), DATABASE, server.superuser(), server.password(), null);
    }

    private static void execute(Postgres server, String... statements) throws SQLException {
        try (Connection connection = server.connect(DATABASE); Statement statement = connection.createStatement()) {
            for (String sql : statements) {
                statement.execute(sql);
            }
        }
    }
}
