package dev.cutover.replicator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import dev.cutover.events.CopyData;
import dev.cutover.events.DataVerified;
import dev.cutover.events.FullLoadCompleted;
import dev.cutover.events.Metadata;
import dev.cutover.events.ReplicationStopped;
import dev.cutover.events.ReplicationStreaming;
import dev.cutover.events.StartStreaming;
import dev.cutover.events.StepFailed;
import dev.cutover.events.StopReplication;
import dev.cutover.events.TableCopied;
import dev.cutover.events.VerifyData;
import dev.cutover.events.serde.AvroMessageDeserializer;
import dev.cutover.platform.MessagePublisher;
import dev.cutover.replicator.testing.TestDatabase;
import dev.cutover.stack.LocalStack;
import dev.cutover.stack.SharedStackExtension;

@ExtendWith(SharedStackExtension.class)
class ReplicatorKafkaIntegrationTest {

    private static final String DATABASE = "kafka_shop";
    /** Replicated by a subscription its team created by hand, which cutover adopts. */
    private static final String ADOPTED = "kafka_adopted";
    private static final Duration PATIENCE = Duration.ofSeconds(60);

    private static TestDatabase db;
    private static TestDatabase adopted;
    private static ConfigurableApplicationContext service;
    private static KafkaConsumer<String, SpecificRecord> events;
    private static final List<SpecificRecord> seen = new ArrayList<>();

    @BeforeAll
    static void startService(LocalStack stack) {
        db = TestDatabase.create(DATABASE, stack.source(), stack.target());
        db.onBoth("CREATE SCHEMA shop", "CREATE TABLE shop.items (id int PRIMARY KEY, name text)");
        db.onSource("INSERT INTO shop.items SELECT g, 'item ' || g FROM generate_series(1, 1000) g");
        adopted = TestDatabase.create(ADOPTED, stack.source(), stack.target());
        adopted.onBoth("CREATE TABLE items (id int PRIMARY KEY, name text)");
        String prefix = "cutover.databases." + DATABASE + ".";
        String other = "cutover.databases." + ADOPTED + ".";
        service = new SpringApplicationBuilder(ReplicatorApplication.class).properties(Map.ofEntries(
                Map.entry(other + "source.host", stack.source().host()),
                Map.entry(other + "source.port", String.valueOf(stack.source().port())),
                Map.entry(other + "source.database", ADOPTED),
                Map.entry(other + "source.user", stack.source().superuser()),
                Map.entry(other + "source.password", stack.source().password()),
                Map.entry(other + "target.host", stack.target().host()),
                Map.entry(other + "target.port", String.valueOf(stack.target().port())),
                Map.entry(other + "target.database", ADOPTED),
                Map.entry(other + "target.user", stack.target().superuser()),
                Map.entry(other + "target.password", stack.target().password()),
                Map.entry(other + "replication.adopted", "true"),
                Map.entry(other + "replication.publication", "team_pub"),
                Map.entry(other + "replication.subscription", "team_sub"),
                Map.entry(other + "replication.slot", "team_slot"),
                Map.entry("spring.kafka.bootstrap-servers", stack.kafkaBootstrapServers()),
                Map.entry("server.port", "0"),
                Map.entry(prefix + "source.host", stack.source().host()),
                Map.entry(prefix + "source.port", String.valueOf(stack.source().port())),
                Map.entry(prefix + "source.database", DATABASE),
                Map.entry(prefix + "source.user", stack.source().superuser()),
                Map.entry(prefix + "source.password", stack.source().password()),
                Map.entry(prefix + "target.host", stack.target().host()),
                Map.entry(prefix + "target.port", String.valueOf(stack.target().port())),
                Map.entry(prefix + "target.database", DATABASE),
                Map.entry(prefix + "target.user", stack.target().superuser()),
                Map.entry(prefix + "target.password", stack.target().password()),
                Map.entry(prefix + "schemas[0]", "shop"),
                Map.entry("cutover.replicator.workers", "2"))).run();
        events = new KafkaConsumer<>(Map.of("bootstrap.servers", stack.kafkaBootstrapServers(),
                "group.id", "replicator-test-" + UUID.randomUUID(), "auto.offset.reset", "earliest"),
                new StringDeserializer(), new AvroMessageDeserializer());
        events.subscribe(List.of("cutover.events"));
    }

    @AfterAll
    static void stopService() {
        events.close();
        service.close();
    }

    @Test
    void theCommandsOfAMigrationAreEachAnsweredWithTheirEvent() {
        MessagePublisher publisher = service.getBean(MessagePublisher.class);

        Metadata copy = command(publisher, DATABASE);
        publisher.publish(CopyData.newBuilder().setMetadata(copy).build());
        FullLoadCompleted loaded = awaitAnswer(FullLoadCompleted.class, copy);
        assertThat(loaded.getSlot()).isEqualTo("cutover_slot_kafka_shop");
        assertThat(loaded.getRows()).isEqualTo(1000);
        assertThat(awaitAnswer(TableCopied.class, copy).getTable()).isEqualTo("shop.items");

        Metadata stream = command(publisher, DATABASE);
        publisher.publish(StartStreaming.newBuilder().setMetadata(stream).build());
        assertThat(awaitAnswer(ReplicationStreaming.class, stream).getSubscription()).isEqualTo("cutover_sub_kafka_shop");

        Metadata verify = command(publisher, DATABASE);
        publisher.publish(VerifyData.newBuilder().setMetadata(verify).build());
        DataVerified verified = awaitAnswer(DataVerified.class, verify);
        assertThat(verified.getMismatches()).isEmpty();
        assertThat(verified.getRows()).isEqualTo(1000);

        Metadata stop = command(publisher, DATABASE);
        publisher.publish(StopReplication.newBuilder().setMetadata(stop).build());
        assertThat(awaitAnswer(ReplicationStopped.class, stop).getSlotDropped()).isTrue();
        assertThat(db.countOnSource("SELECT count(*) FROM pg_replication_slots WHERE slot_name = 'cutover_slot_kafka_shop'"))
                .isZero();
    }

    @Test
    void stoppingAdoptedReplicationDropsExactlyItsSubscriptionAndSlotKeepsItsPublicationAndSaysSo(LocalStack stack) {
        adopted.onSource("CREATE PUBLICATION team_pub FOR TABLE items");
        adopted.onTarget("CREATE SUBSCRIPTION team_sub CONNECTION 'host=" + stack.source().host() + " port="
                + stack.source().port() + " dbname=" + ADOPTED + " user=" + stack.source().superuser() + " password="
                + stack.source().password() + "' PUBLICATION team_pub WITH (slot_name = 'team_slot', copy_data = false)");
        MessagePublisher publisher = service.getBean(MessagePublisher.class);

        Metadata stop = command(publisher, ADOPTED);
        publisher.publish(StopReplication.newBuilder().setMetadata(stop).build());
        ReplicationStopped stopped = awaitAnswer(ReplicationStopped.class, stop);

        assertThat(List.of(stopped.getSubscription(), stopped.getSlot(), stopped.getPublication()))
                .containsExactly("team_sub", "team_slot", "team_pub");
        assertThat(List.of(stopped.getSubscriptionOutcome(), stopped.getSlotOutcome(), stopped.getPublicationOutcome()))
                .containsExactly("DROPPED", "DROPPED", "KEPT");
        assertThat(stopped.getSlotDropped()).isTrue();
        assertThat(stopped.getAdopted()).isTrue();
        assertThat(adopted.countOnTarget("SELECT count(*) FROM pg_subscription WHERE subname = 'team_sub'")).isZero();
        assertThat(adopted.countOnSource("SELECT count(*) FROM pg_replication_slots WHERE slot_name = 'team_slot'"))
                .isZero();
        assertThat(adopted.countOnSource("SELECT count(*) FROM pg_publication WHERE pubname = 'team_pub'")).isOne();

        Metadata again = command(publisher, ADOPTED);
        publisher.publish(StopReplication.newBuilder().setMetadata(again).build());
        ReplicationStopped nothing = awaitAnswer(ReplicationStopped.class, again);

        assertThat(List.of(nothing.getSubscriptionOutcome(), nothing.getSlotOutcome()))
                .containsExactly("NOT_PRESENT", "NOT_PRESENT");
        assertThat(nothing.getSlotDropped()).isFalse();
    }

    @Test
    void aCommandForADatabaseNobodyConfiguredIsAnsweredWithWhatToConfigure() {
        MessagePublisher publisher = service.getBean(MessagePublisher.class);
        Metadata copy = command(publisher, "nowhere");

        publisher.publish(CopyData.newBuilder().setMetadata(copy).build());

        StepFailed failed = awaitAnswer(StepFailed.class, copy);
        assertThat(failed.getStep()).isEqualTo("CopyData");
        assertThat(failed.getReason()).contains("cutover.databases.nowhere");
        assertThat(failed.getRetryable()).isFalse();
    }

    private static Metadata command(MessagePublisher publisher, String database) {
        return publisher.originating(database, null, "migration-" + UUID.randomUUID());
    }

    private static synchronized <T extends SpecificRecord> T awaitAnswer(Class<T> type, Metadata cause) {
        String causation = cause.getMessageId().toString();
        await().atMost(PATIENCE).until(() -> {
            events.poll(Duration.ofMillis(200)).forEach(record -> seen.add(record.value()));
            return seen.stream().anyMatch(event -> answers(event, type, causation));
        });
        return type.cast(seen.stream().filter(event -> answers(event, type, causation)).findFirst().orElseThrow());
    }

    private static boolean answers(SpecificRecord event, Class<?> type, String causation) {
        if (!type.isInstance(event)) {
            return false;
        }
        Metadata metadata = (Metadata) event.get(event.getSchema().getField("metadata").pos());
        return causation.equals(metadata.getCausationId());
    }
}
