package dev.cutover.replicator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;

import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.kafka.config.KafkaListenerEndpointRegistry;

import dev.cutover.events.CleanUpMigration;
import dev.cutover.events.CopyData;
import dev.cutover.events.DataVerified;
import dev.cutover.events.FallbackPrepared;
import dev.cutover.events.FallbackRemoved;
import dev.cutover.events.FullLoadCompleted;
import dev.cutover.events.FullLoadResumed;
import dev.cutover.events.FullLoadSized;
import dev.cutover.events.Metadata;
import dev.cutover.events.MigrationCleanedUp;
import dev.cutover.events.PrepareFallback;
import dev.cutover.events.RemoveFallback;
import dev.cutover.events.ReplicationStopped;
import dev.cutover.events.ReplicationStreaming;
import dev.cutover.events.ReportedTable;
import dev.cutover.events.StartStreaming;
import dev.cutover.events.StepFailed;
import dev.cutover.events.StopReplication;
import dev.cutover.events.TableCopied;
import dev.cutover.events.VerificationMode;
import dev.cutover.events.VerifyData;
import dev.cutover.events.serde.AvroMessageDeserializer;
import dev.cutover.platform.MessagePublisher;
import dev.cutover.replicator.testing.TestDatabase;
import dev.cutover.stack.LocalStack;
import dev.cutover.stack.SharedStackExtension;

@ExtendWith(SharedStackExtension.class)
class ReplicatorKafkaIntegrationTest {

    private static final String DATABASE = "kafka_shop";
    private static final String ABORTED = "kafka_aborted";
    /** Replicated by a subscription its team created by hand, which cutover adopts. */
    private static final String ADOPTED = "kafka_adopted";
    /** Configured to prepare reverse replication for a fallback. */
    private static final String FALLBACK = "kafka_fallback";
    /** Its load is interrupted and taken up again. */
    private static final String RESUMED = "kafka_resumed";
    private static final Duration PATIENCE = Duration.ofSeconds(60);

    private static TestDatabase db;
    private static TestDatabase aborted;
    private static TestDatabase adopted;
    private static TestDatabase fallback;
    private static TestDatabase resumed;
    private static ConfigurableApplicationContext service;
    private static KafkaConsumer<String, SpecificRecord> events;
    private static final List<SpecificRecord> seen = new ArrayList<>();

    @BeforeAll
    static void startService(LocalStack stack) {
        db = TestDatabase.create(DATABASE, stack.source(), stack.target());
        db.onBoth("CREATE SCHEMA shop", "CREATE TABLE shop.items (id int PRIMARY KEY, name text)");
        db.onSource("INSERT INTO shop.items SELECT g, 'item ' || g FROM generate_series(1, 1000) g");
        aborted = TestDatabase.create(ABORTED, stack.source(), stack.target());
        aborted.onBoth("CREATE SCHEMA shop", "CREATE TABLE shop.items (id int PRIMARY KEY, name text)",
                "CREATE TABLE shop.notes (id int PRIMARY KEY, item int)");
        aborted.onSource("INSERT INTO shop.items SELECT g, 'item ' || g FROM generate_series(1, 100) g");
        adopted = TestDatabase.create(ADOPTED, stack.source(), stack.target());
        adopted.onBoth("CREATE SCHEMA shop", "CREATE TABLE shop.items (id int PRIMARY KEY, name text)");
        fallback = TestDatabase.create(FALLBACK, stack.source(), stack.target());
        fallback.onBoth("CREATE SCHEMA shop", "CREATE TABLE shop.items (id int PRIMARY KEY, name text)");
        resumed = TestDatabase.create(RESUMED, stack.source(), stack.target());
        resumed.onBoth("CREATE SCHEMA shop", "CREATE TABLE shop.items (id int PRIMARY KEY, name text)",
                "CREATE TABLE shop.notes (id int PRIMARY KEY, item int)");
        resumed.onSource("INSERT INTO shop.items SELECT g, 'item ' || g FROM generate_series(1, 1000) g",
                "INSERT INTO shop.notes SELECT g, g FROM generate_series(1, 500) g");
        var properties = new HashMap<String, Object>(db.settings("shop"));
        properties.putAll(resumed.settings("shop"));
        properties.putAll(fallback.settings("shop"));
        properties.put("cutover.databases." + FALLBACK + ".fallback.prepare", "true");
        properties.putAll(aborted.settings("shop"));
        properties.putAll(adopted.settings("shop"));
        String replication = "cutover.databases." + ADOPTED + ".replication.";
        properties.putAll(Map.of(replication + "adopted", "true", replication + "publication", "team_pub",
                replication + "subscription", "team_sub", replication + "slot", "team_slot"));
        properties.put("spring.kafka.bootstrap-servers", stack.kafkaBootstrapServers());
        properties.put("server.port", "0");
        properties.put("cutover.replicator.workers", "2");
        service = new SpringApplicationBuilder(ReplicatorApplication.class).properties(properties).run();
        // The clean-up's and the sizing's groups start at the end of the topic: a command sent before they hold
        // their partitions would never reach them.
        service.getBean(KafkaListenerEndpointRegistry.class).getListenerContainers().forEach(container ->
                await().atMost(PATIENCE).until(() -> container.getAssignedPartitions() != null
                        && !container.getAssignedPartitions().isEmpty()));
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
        assertThat(awaitAnswer(FullLoadSized.class, copy).getTables())
                .singleElement().satisfies(table -> {
                    assertThat(table.getTable()).isEqualTo("shop.items");
                    assertThat(table.getBytes()).isPositive();
                });

        Metadata stream = command(publisher, DATABASE);
        publisher.publish(StartStreaming.newBuilder().setMetadata(stream).build());
        assertThat(awaitAnswer(ReplicationStreaming.class, stream).getSubscription()).isEqualTo("cutover_sub_kafka_shop");

        Metadata verify = command(publisher, DATABASE);
        publisher.publish(VerifyData.newBuilder().setMetadata(verify).build());
        DataVerified verified = awaitAnswer(DataVerified.class, verify);
        assertThat(verified.getMismatches()).isEmpty();
        assertThat(verified.getRows()).isEqualTo(1000);
        assertThat(verified.getMode()).as("full unless asked").isEqualTo(VerificationMode.FULL);
        assertThat(verified.getRangesChecked()).isEqualTo(verified.getRangesTotal()).isPositive();
        assertThat(verified.getSampleSeed()).isNull();

        Metadata sample = command(publisher, DATABASE);
        publisher.publish(VerifyData.newBuilder().setMetadata(sample).setMode(VerificationMode.SAMPLED)
                .setSampleSeed(7L).build());
        DataVerified sampled = awaitAnswer(DataVerified.class, sample);
        assertThat(sampled.getMismatches()).isEmpty();
        assertThat(sampled.getMode()).isEqualTo(VerificationMode.SAMPLED);
        assertThat(sampled.getSampleSeed()).isEqualTo(7L);
        assertThat(sampled.getSampleFraction()).isEqualTo(0.05);
        assertThat(sampled.getRangesChecked()).isBetween(1, sampled.getRangesTotal());

        Metadata stop = command(publisher, DATABASE);
        publisher.publish(StopReplication.newBuilder().setMetadata(stop).build());
        assertThat(awaitAnswer(ReplicationStopped.class, stop).getSlotDropped()).isTrue();
        assertThat(db.countOnSource("SELECT count(*) FROM pg_replication_slots WHERE slot_name = 'cutover_slot_kafka_shop'"))
                .isZero();
    }

    @Test
    void stoppingAdoptedReplicationDropsExactlyItsSubscriptionAndSlotKeepsItsPublicationAndSaysSo(LocalStack stack) {
        adopted.onSource("CREATE PUBLICATION team_pub FOR TABLE shop.items");
        adopted.onTarget("CREATE SUBSCRIPTION team_sub CONNECTION 'host=" + stack.source().host() + " port="
                + stack.source().port() + " dbname=" + ADOPTED + " user=" + stack.source().superuser() + " password="
                + stack.source().password() + "' PUBLICATION team_pub WITH (slot_name = 'team_slot', copy_data = false)");
        MessagePublisher publisher = service.getBean(MessagePublisher.class);
        Metadata abort = command(publisher, ADOPTED);
        publisher.publish(CleanUpMigration.newBuilder().setMetadata(abort).build());

        assertThat(awaitAnswer(MigrationCleanedUp.class, abort).getActions()).as("an abort leaves adopted replication")
                .extracting(action -> action.getKind() + " " + action.getName() + " " + action.getOutcome())
                .containsExactly("SUBSCRIPTION team_sub KEPT", "REPLICATION_SLOT team_slot KEPT",
                        "PUBLICATION team_pub KEPT", "TABLE shop.* KEPT");
        assertThat(adopted.countOnTarget("SELECT count(*) FROM pg_subscription WHERE subname = 'team_sub'")).isOne();

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
    void copyDataSentAgainWithTheTablesReportedCopiedKeepsThemAndStreamingWaitsForTheRestToBeSynchronised() {
        MessagePublisher publisher = service.getBean(MessagePublisher.class);
        String migration = "migration-" + UUID.randomUUID();
        Metadata copy = publisher.originating(RESUMED, null, migration);
        publisher.publish(CopyData.newBuilder().setMetadata(copy).build());
        awaitAnswer(FullLoadCompleted.class, copy);
        TableCopied items = awaitAnswer(TableCopied.class, copy, table -> table.getTable().equals("shop.items"));
        // The load as a crash leaves it: only shop.items reported, shop.notes part-copied, the slot waiting.
        resumed.onTarget("DELETE FROM shop.notes WHERE id > 200");
        String copiedBy = resumed.textOnTarget("SELECT string_agg(DISTINCT xmin::text, ',') FROM shop.items");
        String fileOfItems = resumed.textOnTarget("SELECT pg_relation_filenode('shop.items')::text");
        resumed.onSource("INSERT INTO shop.items SELECT g, 'later ' || g FROM generate_series(1001, 1100) g",
                "UPDATE shop.notes SET item = item + 1 WHERE id % 7 = 0", "DELETE FROM shop.items WHERE id % 11 = 0");

        Metadata again = publisher.originating(RESUMED, null, migration);
        publisher.publish(CopyData.newBuilder().setMetadata(again).setCopiedTables(List.of(ReportedTable.newBuilder()
                .setTable("shop.items").setRows(items.getRows()).build())).build());
        FullLoadResumed taken = awaitAnswer(FullLoadResumed.class, again);

        assertThat(taken.getKeptTables()).extracting(table -> table.getTable() + " " + table.getRows())
                .containsExactly("shop.items 1000");
        assertThat(taken.getWithheldTables()).containsExactly("shop.notes");
        assertThat(taken.getSlot()).isEqualTo("cutover_slot_kafka_resumed");
        assertThat(resumed.countOnTarget("SELECT count(*) FROM shop.notes")).isZero();
        resumed.onSource("INSERT INTO shop.notes SELECT g, g FROM generate_series(501, 600) g");

        Metadata stream = publisher.originating(RESUMED, null, migration);
        publisher.publish(StartStreaming.newBuilder().setMetadata(stream).build());
        awaitAnswer(ReplicationStreaming.class, stream);

        assertThat(resumed.textOnTarget("SELECT string_agg(srrelid::regclass::text || '=' || srsubstate::text, ','"
                + " ORDER BY srrelid::regclass::text) FROM pg_subscription_rel"))
                .as("every table ready when streaming is reported").isEqualTo("shop.items=r,shop.notes=r");
        String end = resumed.textOnSource("SELECT pg_current_wal_lsn()::text");
        await("the subscription caught up").atMost(PATIENCE).until(() -> resumed.countOnSource(
                "SELECT count(*) FROM pg_replication_slots WHERE slot_name = 'cutover_slot_kafka_resumed'"
                        + " AND confirmed_flush_lsn >= '" + end + "'") == 1);
        Metadata verify = publisher.originating(RESUMED, null, migration);
        publisher.publish(VerifyData.newBuilder().setMetadata(verify).build());
        DataVerified verified = awaitAnswer(DataVerified.class, verify);

        assertThat(verified.getMismatches()).isEmpty();
        assertThat(verified.getRows()).isEqualTo(resumed.countOnSource(
                "SELECT (SELECT count(*) FROM shop.items) + (SELECT count(*) FROM shop.notes)"));
        assertThat(resumed.textOnTarget("SELECT pg_relation_filenode('shop.items')::text"))
                .as("shop.items was not emptied again").isEqualTo(fileOfItems);
        assertThat(resumed.countOnTarget("SELECT count(*) FROM shop.items WHERE xmin::text = '" + copiedBy + "'"))
                .as("shop.items holds the rows the first load wrote").isPositive();

        Metadata stop = publisher.originating(RESUMED, null, migration);
        publisher.publish(StopReplication.newBuilder().setMetadata(stop).build());
        assertThat(awaitAnswer(ReplicationStopped.class, stop).getSlotDropped()).isTrue();
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

    @Test
    void anAbortedMigrationLeavesNoSubscriptionNoSlotNorPublicationAndOnRequestNoTables() {
        MessagePublisher publisher = service.getBean(MessagePublisher.class);
        String migration = "migration-" + UUID.randomUUID();
        Metadata copy = publisher.originating(ABORTED, null, migration);
        publisher.publish(CopyData.newBuilder().setMetadata(copy).build());
        awaitAnswer(FullLoadCompleted.class, copy);
        Metadata stream = publisher.originating(ABORTED, null, migration);
        publisher.publish(StartStreaming.newBuilder().setMetadata(stream).build());
        awaitAnswer(ReplicationStreaming.class, stream);
        await("the subscription streams from the slot").atMost(PATIENCE).until(() -> aborted.countOnSource(
                "SELECT count(*) FROM pg_replication_slots WHERE slot_name = 'cutover_slot_kafka_aborted' AND active") == 1);

        Metadata cleanUp = publisher.originating(ABORTED, null, migration);
        publisher.publish(CleanUpMigration.newBuilder().setMetadata(cleanUp).setDropTargetTables(true).build());

        assertThat(awaitAnswer(MigrationCleanedUp.class, cleanUp).getActions())
                .extracting(action -> action.getServer() + " " + action.getKind() + " " + action.getName() + " "
                        + action.getOutcome())
                .containsExactly(
                        "TARGET SUBSCRIPTION cutover_sub_kafka_aborted DROPPED",
                        "SOURCE REPLICATION_SLOT cutover_slot_kafka_aborted DROPPED",
                        "SOURCE PUBLICATION cutover_pub_kafka_aborted DROPPED",
                        "TARGET TABLE shop.items DROPPED",
                        "TARGET TABLE shop.notes DROPPED");
        assertThat(aborted.countOnSource("SELECT count(*) FROM pg_replication_slots"
                + " WHERE slot_name = 'cutover_slot_kafka_aborted'")).isZero();
        assertThat(aborted.countOnSource("SELECT count(*) FROM pg_publication"
                + " WHERE pubname = 'cutover_pub_kafka_aborted'")).isZero();
        assertThat(aborted.countOnTarget("SELECT count(*) FROM pg_subscription"
                + " WHERE subname = 'cutover_sub_kafka_aborted'")).isZero();
        assertThat(aborted.countOnTarget("SELECT count(*) FROM pg_tables WHERE schemaname = 'shop'")).isZero();
        assertThat(aborted.countOnSource("SELECT count(*) FROM shop.items")).as("the source keeps its data")
                .isEqualTo(100);

        aborted.onSource("CREATE PUBLICATION cutover_pub_kafka_aborted FOR TABLE shop.items");
        Metadata again = publisher.originating(ABORTED, null, migration);
        publisher.publish(CleanUpMigration.newBuilder().setMetadata(again).setDropTargetTables(true).build());

        assertThat(awaitAnswer(MigrationCleanedUp.class, again).getActions())
                .extracting(action -> action.getKind() + " " + action.getOutcome() + " " + action.getDetail())
                .containsExactly(
                        "SUBSCRIPTION NOT_PRESENT null",
                        "REPLICATION_SLOT NOT_PRESENT null",
                        "PUBLICATION KEPT it was not created by cutover",
                        "TABLE NOT_PRESENT schema shop has no tables on the target");
        assertThat(aborted.countOnSource("SELECT count(*) FROM pg_publication"
                + " WHERE pubname = 'cutover_pub_kafka_aborted'")).as("someone else's publication stays").isOne();
    }

    @Test
    void aFallbackIsPreparedOnlyWhereConfiguredAndARollbackRemovesWhatWasMade() {
        MessagePublisher publisher = service.getBean(MessagePublisher.class);

        Metadata prepare = command(publisher, FALLBACK);
        publisher.publish(PrepareFallback.newBuilder().setMetadata(prepare).build());
        FallbackPrepared prepared = awaitAnswer(FallbackPrepared.class, prepare);
        assertThat(prepared.getSlot()).isEqualTo("cutover_rev_slot_kafka_fallback");
        assertThat(prepared.getCreated()).isTrue();
        assertThat(fallback.countOnTarget("SELECT count(*) FROM pg_publication_tables"
                + " WHERE pubname = 'cutover_rev_pub_kafka_fallback'")).isOne();

        Metadata remove = command(publisher, FALLBACK);
        publisher.publish(RemoveFallback.newBuilder().setMetadata(remove).build());
        FallbackRemoved removed = awaitAnswer(FallbackRemoved.class, remove);
        assertThat(List.of(removed.getSubscriptionOutcome(), removed.getSlotOutcome(), removed.getPublicationOutcome()))
                .containsExactly("NOT_PRESENT", "DROPPED", "DROPPED");

        Metadata unconfigured = command(publisher, DATABASE);
        publisher.publish(PrepareFallback.newBuilder().setMetadata(unconfigured).build());
        assertThat(awaitAnswer(StepFailed.class, unconfigured).getReason()).contains("fallback.prepare is off");
    }

    private static Metadata command(MessagePublisher publisher, String database) {
        return publisher.originating(database, null, "migration-" + UUID.randomUUID());
    }

    private static <T extends SpecificRecord> T awaitAnswer(Class<T> type, Metadata cause) {
        return awaitAnswer(type, cause, answer -> true);
    }

    private static synchronized <T extends SpecificRecord> T awaitAnswer(Class<T> type, Metadata cause,
            Predicate<T> which) {
        String causation = cause.getMessageId().toString();
        Predicate<SpecificRecord> wanted = event -> answers(event, type, causation) && which.test(type.cast(event));
        await().atMost(PATIENCE).until(() -> {
            events.poll(Duration.ofMillis(200)).forEach(record -> seen.add(record.value()));
            return seen.stream().anyMatch(wanted);
        });
        return type.cast(seen.stream().filter(wanted).findFirst().orElseThrow());
    }

    private static boolean answers(SpecificRecord event, Class<?> type, String causation) {
        if (!type.isInstance(event)) {
            return false;
        }
        Metadata metadata = (Metadata) event.get(event.getSchema().getField("metadata").pos());
        return causation.equals(metadata.getCausationId());
    }
}
