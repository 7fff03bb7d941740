package dev.cutover.replicator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.kafka.config.KafkaListenerEndpointRegistry;

import dev.cutover.events.CopyData;
import dev.cutover.events.DataVerified;
import dev.cutover.events.FullLoadCompleted;
import dev.cutover.events.LoadTaskDone;
import dev.cutover.events.Metadata;
import dev.cutover.events.ReplicationStopped;
import dev.cutover.events.StopReplication;
import dev.cutover.events.VerifyData;
import dev.cutover.events.serde.AvroMessageDeserializer;
import dev.cutover.events.topic.Topics;
import dev.cutover.platform.MessagePublisher;
import dev.cutover.replicator.testing.TestDatabase;
import dev.cutover.stack.LocalStack;
import dev.cutover.stack.SharedStackExtension;

/** Two replicator instances, each its own Spring context with its own consumers, share one full load. */
@ExtendWith(SharedStackExtension.class)
class SharedLoadIntegrationTest {

    private static final Duration PATIENCE = Duration.ofSeconds(90);

    private static KafkaConsumer<String, SpecificRecord> answers;
    private static final List<SpecificRecord> seen = new ArrayList<>();

    private final Map<String, ConfigurableApplicationContext> instances = new LinkedHashMap<>();

    @BeforeAll
    static void listen(LocalStack stack) {
        answers = new KafkaConsumer<>(Map.of("bootstrap.servers", stack.kafkaBootstrapServers(),
                "group.id", "shared-load-test-" + UUID.randomUUID(), "auto.offset.reset", "earliest"),
                new StringDeserializer(), new AvroMessageDeserializer());
        answers.subscribe(List.of(Topics.EVENTS.name(), Topics.LOAD_TASK_RESULTS.name()));
    }

    @AfterAll
    static void stopListening() {
        answers.close();
    }

    @AfterEach
    void stopInstances() {
        instances.values().forEach(ConfigurableApplicationContext::close);
    }

    @Test
    void twoInstancesShareALoadAndEachCopiesSomeOfItsTasks(LocalStack stack) {
        TestDatabase db = shop(stack, "shared_load", 8);
        start(stack, db, "one", "two");
        MessagePublisher publisher = instances.get("one").getBean(MessagePublisher.class);
        String migration = "migration-" + UUID.randomUUID();

        Metadata copy = publisher.originating(db.name(), null, migration);
        publisher.publish(CopyData.newBuilder().setMetadata(copy).build());
        FullLoadCompleted loaded = awaitAnswer(FullLoadCompleted.class, copy);

        Map<String, Set<Integer>> tasks = tasksCopied(migration);
        assertThat(tasks).as("tasks copied by each instance").containsOnlyKeys("one", "two");
        assertThat(tasks.values()).allSatisfy(copied -> assertThat(copied).isNotEmpty());
        assertThat(tasks.values().stream().flatMap(Set::stream).collect(Collectors.toSet()))
                .as("every task copied once").hasSize(8);
        assertThat(loaded.getTables()).isEqualTo(8);
        assertSameRows(db, publisher, migration, loaded);
    }

    @Test
    void whenOneOfTwoInstancesIsStoppedMidLoadTheOtherFinishesItsTasks(LocalStack stack) throws SQLException {
        TestDatabase db = shop(stack, "shared_stop", 6);
        start(stack, db, "first", "second");
        MessagePublisher publisher = instances.get("first").getBean(MessagePublisher.class);
        String migration = "migration-" + UUID.randomUUID();
        Metadata copy = publisher.originating(db.name(), null, migration);
        String victim;
        String survivor;
        try (Connection source = stack.source().connect(db.name()); Connection target = stack.target().connect(db.name())) {
            // A transaction with an id holds the slot's creation back, until the target's tables are locked: every
            // task then waits, its rows not yet copied, on the instance that took it.
            source.setAutoCommit(false);
            execute(source, "SELECT txid_current()");
            publisher.publish(CopyData.newBuilder().setMetadata(copy).build());
            await("the slot is being created").atMost(PATIENCE).until(() -> db.countOnSource("SELECT count(*)"
                    + " FROM pg_stat_activity WHERE backend_type = 'walsender' AND datname = current_database()") == 1);
            target.setAutoCommit(false);
            execute(target, "LOCK TABLE " + IntStream.rangeClosed(1, 6).mapToObj(t -> "shop.t" + t)
                    .collect(Collectors.joining(", ")) + " IN ACCESS SHARE MODE");
            source.commit();
            await("both instances hold tasks").atMost(PATIENCE).until(() -> waiting(db, "first") > 0
                    && waiting(db, "second") > 0);
            String coordinator = db.textOnSource("SELECT application_name FROM pg_stat_activity"
                    + " WHERE backend_type = 'walsender' AND datname = current_database()");
            survivor = coordinator.equals("cutover-replicator-first") ? "first" : "second";
            victim = survivor.equals("first") ? "second" : "first";

            instances.remove(victim).close();
            target.commit();
        }
        FullLoadCompleted loaded = awaitAnswer(FullLoadCompleted.class, copy);

        Map<String, Set<Integer>> tasks = tasksCopied(migration);
        assertThat(tasks).as("the stopped instance answered no task").containsOnlyKeys(survivor);
        assertThat(tasks.get(survivor)).as("the survivor copied every task, those of the stopped one too")
                .containsExactlyInAnyOrderElementsOf(IntStream.range(0, 6).boxed().toList());
        assertThat(db.countOnTarget("SELECT count(*) FROM pg_stat_activity"
                + " WHERE application_name = 'cutover-replicator-" + victim + "'")).isZero();
        assertSameRows(db, publisher, migration, loaded);
    }

    /** A schema of {@code tables} tables of different sizes, each copied whole by one task. */
    private static TestDatabase shop(LocalStack stack, String name, int tables) {
        TestDatabase db = TestDatabase.create(name, stack.source(), stack.target());
        db.onBoth("CREATE SCHEMA shop");
        for (int t = 1; t <= tables; t++) {
            db.onBoth("CREATE TABLE shop.t" + t + " (id int PRIMARY KEY, payload text)");
            db.onSource("INSERT INTO shop.t" + t + " SELECT g, repeat(md5(g::text), 3) FROM generate_series(1, "
                    + 2_000 * t + ") g");
        }
        return db;
    }

    private void start(LocalStack stack, TestDatabase db, String... names) {
        for (String name : names) {
            var properties = new HashMap<String, Object>(db.settings("shop"));
            properties.put("spring.kafka.bootstrap-servers", stack.kafkaBootstrapServers());
            properties.put("server.port", "0");
            properties.put("cutover.replicator.sharing.enabled", "true");
            properties.put("cutover.replicator.sharing.instance", name);
            instances.put(name, new SpringApplicationBuilder(ReplicatorApplication.class).properties(properties).run());
        }
        await("both instances take tasks and commands").atMost(PATIENCE).until(() -> {
            int held = 0;
            for (ConfigurableApplicationContext instance : instances.values()) {
                Set<?> partitions = instance.getBean(TaskWorkers.class).assignment();
                if (partitions.isEmpty() || instance.getBean(KafkaListenerEndpointRegistry.class)
                        .getListenerContainers().stream().anyMatch(container -> container.getAssignedPartitions() == null
                                || container.getAssignedPartitions().isEmpty())) {
                    return false;
                }
                held += partitions.size();
            }
            return held == Topics.LOAD_TASK_PARTITIONS;
        });
    }

    private static long waiting(TestDatabase db, String instance) {
        return db.countOnTarget("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()"
                + " AND application_name = 'cutover-replicator-" + instance + "' AND wait_event_type = 'Lock'");
    }

    /** The tasks of the migration's load each instance answered as copied. */
    private static Map<String, Set<Integer>> tasksCopied(String migration) {
        synchronized (seen) {
            answers.poll(Duration.ofMillis(200)).forEach(record -> seen.add(record.value()));
            return seen.stream()
                    .filter(LoadTaskDone.class::isInstance).map(LoadTaskDone.class::cast)
                    .filter(done -> migration.equals(done.getMetadata().getMigrationId()) && done.getFailure() == null)
                    .collect(Collectors.groupingBy(LoadTaskDone::getCopiedBy, TreeMap::new,
                            Collectors.mapping(LoadTaskDone::getTask, Collectors.toCollection(TreeSet::new))));
        }
    }

    /** Every table holds on the target what it holds on the source, row for row; then the slot goes. */
    private static void assertSameRows(TestDatabase db, MessagePublisher publisher, String migration,
            FullLoadCompleted loaded) {
        long rows = 0;
        for (int t = 1; t <= loaded.getTables(); t++) {
            String count = "SELECT count(*) FROM shop.t" + t;
            assertThat(db.countOnTarget(count)).as("rows of shop.t" + t).isEqualTo(db.countOnSource(count));
            rows += db.countOnSource(count);
        }
        assertThat(loaded.getRows()).isEqualTo(rows);
        Metadata verify = publisher.originating(db.name(), null, migration);
        publisher.publish(VerifyData.newBuilder().setMetadata(verify).build());
        DataVerified verified = awaitAnswer(DataVerified.class, verify);
        assertThat(verified.getMismatches()).isEmpty();
        assertThat(verified.getRows()).isEqualTo(loaded.getRows());
        Metadata stop = publisher.originating(db.name(), null, migration);
        publisher.publish(StopReplication.newBuilder().setMetadata(stop).build());
        assertThat(awaitAnswer(ReplicationStopped.class, stop).getSlotDropped()).isTrue();
    }

    private static void execute(Connection connection, String sql) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }

    private static <T extends SpecificRecord> T awaitAnswer(Class<T> type, Metadata cause) {
        String causation = cause.getMessageId().toString();
        Predicate<SpecificRecord> wanted = event -> type.isInstance(event)
                && causation.equals(MessagePublisher.metadataOf(event).getCausationId());
        await().atMost(PATIENCE).until(() -> {
            synchronized (seen) {
                answers.poll(Duration.ofMillis(200)).forEach(record -> seen.add(record.value()));
                return seen.stream().anyMatch(wanted);
            }
        });
        synchronized (seen) {
            return type.cast(seen.stream().filter(wanted).findFirst().orElseThrow());
        }
    }
}
