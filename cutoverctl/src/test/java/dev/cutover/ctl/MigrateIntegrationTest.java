package dev.cutover.ctl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import dev.cutover.ctl.replay.MigrationScript;
import dev.cutover.events.AbortMigration;
import dev.cutover.events.StartMigration;
import dev.cutover.events.VerificationMode;
import dev.cutover.events.serde.AvroMessageDeserializer;

/** {@code migrate start|status|watch|abort} and the timeline of a migration, against a real broker. */
@ExtendWith(Kafka.Extension.class)
class MigrateIntegrationTest {

    private static final Instant START = Instant.parse("2026-11-25T10:15:00Z");
    private static final Duration PATIENCE = Duration.ofSeconds(30);

    @Test
    void migrate_start_publishes_a_decodable_start_migration_keyed_by_the_id_it_prints(Kafka kafka) {
        var result = Tool.run(Map.of(KafkaClients.ENVIRONMENT_VARIABLE, kafka.bootstrapServers(), "USER", "carol"),
                "migrate", "start", "--database", "shop", "--parallelism", "3", "--reason", "CHG-9",
                "--verify", "sampled");

        assertThat(result.exitCode()).as(result.err()).isZero();
        var id = result.out().strip();
        assertThat(id).matches("shop-migration-\\d{8}-\\d{6}-[0-9a-f]{4}");
        var record = kafka.lastCommandOf(id);
        var start = (StartMigration) new AvroMessageDeserializer().deserialize(record.topic(), record.headers(),
                record.value());
        assertThat(start.getOperator()).as("the operator defaults to $USER").isEqualTo("carol");
        assertThat(start.getParallelism()).isEqualTo(3);
        assertThat(start.getReason()).isEqualTo("CHG-9");
        assertThat(start.getVerify()).isEqualTo(VerificationMode.SAMPLED);
        assertThat(start.getMetadata().getMigrationId()).isEqualTo(id);
        assertThat(start.getMetadata().getCutoverId()).isNull();
        assertThat(start.getMetadata().getDatabase()).isEqualTo("shop");
    }

    @Test
    void migrate_start_with_watch_says_what_to_check_when_no_service_answers_its_command(Kafka kafka) {
        // Nothing reads cutover.commands here, as when cutover-service is down or on another broker.
        var result = Tool.run(kafka.bootstrapServers(), "migrate", "start", "--database", "shop", "--operator", "alice",
                "--watch", "--timeout", "1s");

        assertThat(result.exitCode()).isEqualTo(3);
        assertThat(result.err()).contains("has not ended after 1.000 s; it is still running; no service has answered"
                + " the migration's command yet: check that cutover-service is running");
    }

    @Test
    void watch_does_not_say_nothing_answered_once_a_service_has(Kafka kafka) {
        var id = "stock-migration-20261125-101500-a009";
        kafka.publish(id, MigrationScript.of(id, "stock", START).startedAndLoading().lines());

        var result = Tool.run(kafka.bootstrapServers(), "migrate", "watch", "--migration", id, "--timeout", "1s");

        assertThat(result.exitCode()).as(result.out() + result.err()).isEqualTo(3);
        assertThat(result.err()).contains("it is still running").doesNotContain("no service has answered");
    }

    @Test
    void migrate_status_shows_the_step_and_the_loads_progress_from_the_events(Kafka kafka) {
        var id = "stock-migration-20261125-101500-a001";
        kafka.publish(id, MigrationScript.of(id, "stock", START).startedAndLoading()
                .tableCopied(4_000, "public.items").tableCopied(6_000, "public.orders").lines());

        var result = Tool.run(kafka.bootstrapServers(), "migrate", "status", "--migration", id);

        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(result.out()).contains(
                "database  stock",
                "operator  alice, reason 'CHG-9'",
                "result    running",
                "step      FULL_LOAD, for ",
                "load      2 tables copied, 2,000 rows, 20.0 MB at 5.0 MB/s");
        var byDatabase = Tool.run(kafka.bootstrapServers(), "migrate", "status", "--database", "stock");
        assertThat(byDatabase.out()).as(byDatabase.err()).startsWith("migration " + id);
    }

    @Test
    void migrate_status_tells_the_share_copied_and_the_time_left_from_the_loads_sizes(Kafka kafka) {
        var id = "stock-migration-20261125-101500-a006";
        kafka.publish(id, MigrationScript.of(id, "stock", START).startedAndLoading()
                .sized(2_100, new java.util.TreeMap<>(Map.of("public.items", 30, "public.orders", 10)))
                .tableCopied(4_000, "public.items").lines());

        var result = Tool.run(kafka.bootstrapServers(), "migrate", "status", "--migration", id);

        assertThat(result.out()).as(result.err()).contains("load      1 of 2 tables copied (75 % of 40.0 MB on the"
                + " source), 1,000 rows, 10.0 MB at 5.0 MB/s, about 667 ms left");
    }

    @Test
    void migrate_watch_prints_the_load_as_tables_arrive_and_exits_0_when_ready(Kafka kafka) {
        var id = "stock-migration-20261125-101500-a002";
        var script = MigrationScript.of(id, "stock", START).startedAndLoading();
        kafka.publish(id, script.lines());

        var watch = Tool.runInBackground(kafka.bootstrapServers(), "migrate", "watch", "--migration", id);
        await().atMost(PATIENCE).until(() -> watch.outSoFar().contains("FULL_LOAD"));
        assertThat(watch.result()).isNotDone();
        kafka.publish(id, MigrationScript.of(id, "stock", START).tableCopied(4_000, "public.items")
                .loaded(4_100, 1).ready(9_000).lines());

        await().atMost(PATIENCE).until(watch.result()::isDone);
        var result = watch.result().join();
        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(result.lines()).contains(
                "migration " + id + " on database stock",
                "+4.000s   TableCopied          public.items: 1,000 rows, 10.0 MB in 500 ms"
                        + "  [1 table copied, 1,000 rows, 10.0 MB at 5.0 MB/s]",
                "+9.000s   MigrationReady",
                "ready after 9.000 s");
    }

    @Test
    void migrate_watch_exits_1_when_the_migration_stops(Kafka kafka) {
        var id = "stock-migration-20261125-101500-a003";
        kafka.publish(id, MigrationScript.of(id, "stock", START).startedAndLoading()
                .stopped(5_000, "FULL_LOAD", "aborted by bob").lines());

        var result = Tool.run(kafka.bootstrapServers(), "migrate", "watch", "--migration", id);

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.lines().getLast()).isEqualTo("stopped after 5.000 s: FULL_LOAD: aborted by bob");
    }

    @Test
    void migrate_start_dry_run_waits_for_the_plan_prints_it_and_exits_0_without_blockers(Kafka kafka) {
        var id = "stock-migration-20261125-101500-a007";
        var run = Tool.runInBackground(kafka.bootstrapServers(), "migrate", "start", "--dry-run", "--database",
                "stock", "--operator", "alice", "--migration-id", id);
        var start = (StartMigration) await().atMost(PATIENCE).ignoreExceptions().until(() -> {
            var record = kafka.lastCommandOf(id);
            return new AvroMessageDeserializer().deserialize(record.topic(), record.headers(), record.value());
        }, message -> message instanceof StartMigration);
        assertThat(start.getDryRun()).isTrue();
        assertThat(run.result()).as("a dry run is waited for").isNotDone();

        kafka.publish(id, MigrationScript.of(id, "stock", Instant.now()).dryRun(false).lines());

        await().atMost(PATIENCE).until(run.result()::isDone);
        var result = run.result().join();
        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(result.lines()).containsSubsequence(
                id,
                "schemas   public, sales",
                "tables    2 tables, largest first:",
                "          sales.orders     55.0 MB  rows unknown",
                "          public.items      2.0 MB  ~10,000 rows",
                "total     57.0 MB on the source",
                "full load about 954 ms at 59.8 MB/s (cutover.migration.full-load-rate)",
                "findings  1, 0 blockers",
                "          WARNING long_transaction on pid 4711: open for 2 h (remedy: end it before the migration)");
        assertThat(result.lines().getLast()).startsWith("planned (dry run) after ");

        var status = Tool.run(kafka.bootstrapServers(), "migrate", "status", "--migration", id);
        assertThat(status.out()).contains("result    planned (dry run)", "schemas   public, sales");
        var timeline = Tool.run(kafka.bootstrapServers(), "timeline", "--migration", id);
        assertThat(timeline.lines().getFirst()).endsWith("planned (dry run)");
        assertThat(timeline.out()).contains("MigrationPlanReported", "2 tables, 57.0 MB in 2 schemas");
    }

    @Test
    void migrate_start_dry_run_exits_1_and_prints_the_blockers_with_their_remedies(Kafka kafka) {
        var id = "stock-migration-20261125-101500-a008";
        var run = Tool.runInBackground(kafka.bootstrapServers(), "migrate", "start", "--dry-run", "--database",
                "stock", "--operator", "alice", "--migration-id", id);
        await().atMost(PATIENCE).ignoreExceptions().until(() -> kafka.lastCommandOf(id) != null);

        kafka.publish(id, MigrationScript.of(id, "stock", Instant.now()).dryRun(true).lines());

        await().atMost(PATIENCE).until(run.result()::isDone);
        var result = run.result().join();
        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.out()).contains("findings  2, 1 blocker", "BLOCKER wal_level on server: wal_level is"
                + " replica, logical replication needs logical (remedy: set wal_level = logical and restart)");
        assertThat(result.lines().getLast()).startsWith("stopped after ").contains("PREFLIGHT: preflight found 1");
        var timeline = Tool.run(kafka.bootstrapServers(), "timeline", "--migration", id);
        assertThat(timeline.lines().getFirst()).endsWith("stopped  (dry run)");
        var abort = Tool.run(kafka.bootstrapServers(), "migrate", "abort", "--migration", id, "--operator", "bob");
        assertThat(abort.exitCode()).isEqualTo(1);
        assertThat(abort.err()).contains("is a dry run, which changed nothing");
        var last = kafka.lastCommandOf(id);
        assertThat(new AvroMessageDeserializer().deserialize(last.topic(), last.headers(), last.value()))
                .as("nothing published").isInstanceOf(StartMigration.class);
    }

    @Test
    void migrate_abort_publishes_abort_migration_and_status_shows_what_was_cleaned_up(Kafka kafka) {
        var id = "stock-migration-20261125-101500-a004";
        kafka.publish(id, MigrationScript.of(id, "stock", START).startedAndLoading().lines());

        var result = Tool.run(kafka.bootstrapServers(), "migrate", "abort", "--migration", id, "--operator", "bob",
                "--reason", "wrong target", "--drop-target-tables");

        assertThat(result.exitCode()).as(result.err()).isZero();
        var record = kafka.lastCommandOf(id);
        var abort = (AbortMigration) new AvroMessageDeserializer().deserialize(record.topic(), record.headers(),
                record.value());
        assertThat(abort.getOperator()).isEqualTo("bob");
        assertThat(abort.getReason()).isEqualTo("wrong target");
        assertThat(abort.getDropTargetTables()).isTrue();
        assertThat(abort.getMetadata().getDatabase()).isEqualTo("stock");
        assertThat(abort.getMetadata().getMigrationId()).isEqualTo(id);

        kafka.publish(id, MigrationScript.of(id, "stock", START).stopped(8_000, "FULL_LOAD", "aborted by bob")
                .cleanedUp(9_000).lines());
        var status = Tool.run(kafka.bootstrapServers(), "migrate", "status", "--migration", id);
        assertThat(status.out()).contains(
                "result    stopped",
                "abort     requested by bob ('wrong target'), dropping the target's tables",
                "cleanup   target subscription cutover_sub_stock: dropped",
                "cleanup   source replication slot cutover_slot_stock: dropped",
                "cleanup   source publication cutover_pub_stock: not present");
    }

    @Test
    void migrate_abort_of_a_migration_nobody_started_publishes_nothing_and_exits_3(Kafka kafka) {
        var result = Tool.run(kafka.bootstrapServers(), "migrate", "abort", "--migration", "nobody-knows",
                "--operator", "bob");

        assertThat(result.exitCode()).isEqualTo(3);
        assertThat(result.err()).contains("no migration nobody-knows");
    }

    @Test
    void the_timeline_of_a_migration_says_migration_and_its_state(Kafka kafka) {
        var id = "stock-migration-20261125-101500-a005";
        kafka.publish(id, MigrationScript.of(id, "stock", START).startedAndLoading().tableCopied(4_000, "public.items")
                .loaded(4_100, 1).ready(9_000).lines());

        var result = Tool.run(kafka.bootstrapServers(), "timeline", "--migration", id);

        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(result.lines().getFirst()).isEqualTo("migration " + id + "  database stock  started " + START
                + "  ready");
        assertThat(result.out()).doesNotContain("downtime");
    }

    @Test
    void migrate_watch_of_a_migration_aborted_after_it_was_ready_ends_on_the_stop_with_exit_1(Kafka kafka) {
        // Another database: migrate status --database stock above reads the newest migration of stock.
        var id = "depot-migration-20261125-101500-a010";
        kafka.publish(id, MigrationScript.of(id, "depot", START).startedAndLoading().loaded(4_100, 1).ready(9_000)
                .aborted(60_000, "ops", "redo", false).stopped(60_050, "VERIFY_DATA", "aborted by ops: redo")
                .cleanedUp(61_000).lines());

        var result = Tool.run(kafka.bootstrapServers(), "migrate", "watch", "--migration", id);

        assertThat(result.exitCode()).as(result.out()).isEqualTo(1);
        assertThat(result.lines()).contains("+9.000s   MigrationReady");
        assertThat(result.lines().getLast())
                .isEqualTo("stopped after 1 min 00.050 s: VERIFY_DATA: aborted by ops: redo");

        var abort = Tool.run(kafka.bootstrapServers(), "migrate", "abort", "--migration", id, "--operator", "ops",
                "--drop-target-tables");
        assertThat(abort.exitCode()).as("its target may serve the application").isEqualTo(1);
        assertThat(abort.err()).contains("was ready, so its target may already serve the application");
    }

    @Test
    void migrate_watch_of_a_migration_nothing_in_the_log_has_says_it_was_never_seen(Kafka kafka) {
        var id = "stock-migration-20261125-101500-typo";

        var result = Tool.run(kafka.bootstrapServers(), "migrate", "watch", "--migration", id, "--timeout", "1s");

        assertThat(result.exitCode()).isEqualTo(3);
        assertThat(result.err()).contains("no message of migration " + id + " is on Kafka at",
                "(cutoverctl migrate status --migration " + id + "); still waiting",
                "migration " + id + " was never seen").doesNotContain("still running");
    }
}
