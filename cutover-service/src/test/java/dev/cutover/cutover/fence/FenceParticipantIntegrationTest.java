package dev.cutover.cutover.fence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.kafka.core.DefaultKafkaProducerFactory;
import org.springframework.kafka.core.KafkaTemplate;

import dev.cutover.events.OpenTarget;
import dev.cutover.events.TableCopied;
import dev.cutover.events.TargetOpened;
import dev.cutover.events.serde.AvroMessageSerializer;
import dev.cutover.platform.KafkaProbe;
import dev.cutover.platform.MessagePublisher;
import dev.cutover.platform.database.DatabasePair;
import dev.cutover.platform.database.DatabasesSettings;
import dev.cutover.platform.database.Fallback;
import dev.cutover.platform.database.Endpoint;
import dev.cutover.stack.LocalStack;
import dev.cutover.stack.Postgres;
import dev.cutover.stack.SharedStackExtension;

/** The fence on a real PostgreSQL 17 target and a real broker. */
@ExtendWith(SharedStackExtension.class)
class FenceParticipantIntegrationTest {

    static final Duration WAIT = Duration.ofSeconds(30);

    @Test
    void aFirstSessionWatcherWhosePartitionMovesAwayStopsAndReportsNothing(LocalStack stack) throws SQLException {
        String run = UUID.randomUUID().toString().substring(0, 6);
        String database = "fence_watch_" + run;
        String role = "watched_" + run;
        lockedRoleAndDatabase(stack, database, role);
        DatabasesSettings databases = new DatabasesSettings(Map.of(database, new DatabasePair(
                endpoint(stack.source(), database), endpoint(stack.target(), database), List.of(role), List.of())));
        MessagePublisher publisher = new MessagePublisher(new KafkaTemplate<>(new DefaultKafkaProducerFactory<>(
                Map.<String, Object>of("bootstrap.servers", stack.kafkaBootstrapServers()), new StringSerializer(),
                new AvroMessageSerializer())), "fence-test", Clock.systemUTC());
        String cutover = database + "-" + UUID.randomUUID();
        OpenTarget open = OpenTarget.newBuilder().setMetadata(KafkaProbe.metadata(database, cutover, null)).build();
        try (FenceParticipant fence = new FenceParticipant(new Fence(Clock.systemUTC()), databases,
                new FenceSettings(Duration.ofSeconds(5), Duration.ofMinutes(2), Duration.ofSeconds(30)), publisher);
                KafkaProbe probe = new KafkaProbe(stack.kafkaBootstrapServers())) {
            fence.publish(List.of(fence.openTarget(open)));
            fence.watchFirstSession(open, 7);
            probe.awaitAnswer(TargetOpened.class, open.getMetadata().getMessageId(), WAIT);
            assertThat(fence.watchers(7)).isOne();

            fence.stopWatching(List.of(3, 7));

            await().atMost(WAIT).until(() -> fence.watchers(7) == 0);
            // Whatever the watcher published is on the broker by now; a marker with the same key is read after it
            // (an event no saga reacts to).
            TableCopied marker = TableCopied.newBuilder().setMetadata(KafkaProbe.metadata(database, cutover, null))
                    .setTable("marker").setRows(0).setBytes(0).setDurationMs(0).build();
            probe.send(marker);
            probe.await(TableCopied.class, copied -> copied.getMetadata().getMessageId()
                    .equals(marker.getMetadata().getMessageId()), WAIT);
            assertThat(probe.seen()).filteredOn(message -> answers(message, open))
                    .extracting(message -> message.getSchema().getName()).containsExactly("TargetOpened");
        }
    }

    @Test
    void theTargetsPositionIsReadWhileItIsLockedAndNotWhenAnEarlierOpeningLetWritesIn(LocalStack stack)
            throws SQLException {
        String run = UUID.randomUUID().toString().substring(0, 6);
        String database = "fence_open_" + run;
        String role = "opened_" + run;
        lockedRoleAndDatabase(stack, database, role);
        DatabasePair pair = new DatabasePair(endpoint(stack.source(), database), endpoint(stack.target(), database),
                List.of(role), List.of()).withFallback(new Fallback(true, null));
        Fence fence = new Fence(Clock.systemUTC());
        String before;
        try (Connection c = stack.target().connect(database); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("select pg_current_wal_insert_lsn()::text")) {
            rs.next();
            before = rs.getString(1);
        }

        Fence.Opened withoutFallback = fence.openTarget(pair.withFallback(Fallback.off()));
        fence.lockTarget(pair, Duration.ofSeconds(5));
        Fence.Opened first = fence.openTarget(pair);
        Fence.Opened again = fence.openTarget(pair);

        assertThat(withoutFallback.walPosition()).as("without a fallback to prepare, nothing is read").isEmpty();
        assertThat(first.roles()).containsExactly(role);
        assertThat(first.walPosition()).hasValueSatisfying(position -> assertThat(lsn(position)).isGreaterThanOrEqualTo(lsn(before)));
        assertThat(again.walPosition()).as("the target was open already: writes may precede a reading now").isEmpty();
    }

    /** A database on the target and an application role that cannot log in yet, as the cutover finds them. */
    private static void lockedRoleAndDatabase(LocalStack stack, String database, String role) throws SQLException {
        stack.target().createDatabase(database);
        try (Connection c = stack.target().connect("postgres"); Statement s = c.createStatement()) {
            s.execute("create role " + role + " nologin password 'app'");
        }
    }

    private static long lsn(String text) {
        String[] halves = text.split("/");
        return Long.parseLong(halves[0], 16) << 32 | Long.parseLong(halves[1], 16);
    }

    private static boolean answers(SpecificRecord message, OpenTarget command) {
        return command.getMetadata().getMessageId().toString()
                .equals(MessagePublisher.metadataOf(message).getCausationId());
    }

    private static Endpoint endpoint(Postgres server, String database) {
        return new Endpoint(server.host(), server.port(), database, server.superuser(), server.password(), null);
    }
}
