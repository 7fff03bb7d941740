package dev.cutover.replicator.copy;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import dev.cutover.replicator.postgres.ReplicationNames;
import dev.cutover.replicator.postgres.Slots;
import dev.cutover.replicator.postgres.TableName;
import dev.cutover.replicator.testing.TestDatabase;
import dev.cutover.replicator.testing.UsedSlots;
import dev.cutover.stack.LocalStack;
import dev.cutover.stack.SharedStackExtension;

/** One instance's copy of one task of a shared load, against PostgreSQL 11 -> 17, without Kafka. */
@ExtendWith(SharedStackExtension.class)
class TaskCopyIntegrationTest {

    private static final TableName ITEMS = new TableName("shop", "items");

    private static TestDatabase db;
    private final UsedSlots slots = new UsedSlots();

    @BeforeAll
    static void createDatabase(LocalStack stack) {
        db = TestDatabase.create("task_copy", stack.source(), stack.target());
        db.onBoth("CREATE SCHEMA shop", "CREATE TABLE shop.items (id int PRIMARY KEY, name text)");
        db.onSource("INSERT INTO shop.items SELECT g, 'item ' || g FROM generate_series(1, 3000) g");
    }

    @AfterEach
    void dropSlots() throws SQLException {
        slots.dropAll(db);
        db.onTarget("TRUNCATE shop.items");
    }

    @Test
    void aTaskGivenTwiceIsOnTheTargetOnceWhetherWholeOrARange() {
        ReplicationNames names = slots.names("task_twice");
        LoadRecord.clear(TestDatabase.endpoint(db.target(), db.name()), names.slot());
        try (SnapshotSlot slot = SnapshotSlot.create(TestDatabase.endpoint(db.source(), db.name()), names.slot(),
                Duration.ofSeconds(30))) {
            SharedTask low = task(slot.snapshot(), 0, new CopyRange.Keys("id", "int", Optional.empty(), Optional.of("1001")), 2);
            SharedTask high = task(slot.snapshot(), 1, new CopyRange.Keys("id", "int", Optional.of("1001"), Optional.empty()), 2);

            assertThat(copy(low)).isInstanceOfSatisfying(TaskOutcome.Copied.class, copied -> {
                assertThat(copied.rows()).isEqualTo(1000);
                assertThat(copied.alreadyCopied()).isFalse();
            });
            assertThat(copy(low)).isInstanceOfSatisfying(TaskOutcome.Copied.class, copied -> {
                assertThat(copied.rows()).isEqualTo(1000);
                assertThat(copied.alreadyCopied()).as("given again: found recorded, not copied").isTrue();
            });
            assertThat(copy(high)).isInstanceOf(TaskOutcome.Copied.class);
            assertThat(db.countOnTarget("SELECT count(*) FROM shop.items")).isEqualTo(3000);
            assertThat(db.countOnTarget("SELECT count(DISTINCT id) FROM shop.items")).isEqualTo(3000);

            SharedTask whole = task(slot.snapshot(), 2, new CopyRange.All(), 1);
            assertThat(copy(whole)).isInstanceOf(TaskOutcome.Copied.class);
            assertThat(copy(whole)).isInstanceOfSatisfying(TaskOutcome.Copied.class,
                    copied -> assertThat(copied.alreadyCopied()).isTrue());
            assertThat(db.countOnTarget("SELECT count(*) FROM shop.items")).isEqualTo(3000);
        }
    }

    @Test
    void aTaskWhoseSnapshotOrSlotIsGoneFailsLeavingNothingOnTheTarget() throws SQLException {
        ReplicationNames names = slots.names("task_gone");
        LoadRecord.clear(TestDatabase.endpoint(db.target(), db.name()), names.slot());
        SnapshotSlot slot = SnapshotSlot.create(TestDatabase.endpoint(db.source(), db.name()), names.slot(),
                Duration.ofSeconds(30));
        SharedTask task = task(slot.snapshot(), 0, new CopyRange.All(), 1);
        slot.close();

        assertThat(copy(task)).isInstanceOfSatisfying(TaskOutcome.Failed.class, failed -> {
            assertThat(failed.reason()).contains("snapshot").contains("is gone");
            assertThat(failed.loadOver()).as("answered: the load's instance, if alive, fails the load").isFalse();
        });
        try (Connection source = TestDatabase.endpoint(db.source(), db.name()).connect()) {
            Slots.drop(source, names.slot(), Duration.ofSeconds(5));
        }
        assertThat(copy(task)).isInstanceOfSatisfying(TaskOutcome.Failed.class,
                failed -> assertThat(failed.loadOver()).as("dropped: nobody waits for it").isTrue());
        assertThat(db.countOnTarget("SELECT count(*) FROM shop.items")).isZero();
    }

    private static SharedTask task(ExportedSnapshot snapshot, int number, CopyRange range, int parts) {
        return SharedTask.of("load-" + snapshot.consistentPoint(), number, snapshot, new CopyTask(
                new SourceTable(ITEMS, List.of("id", "name"), true, 0, 0, new Split.Whole()), range, parts, 0));
    }

    private static TaskOutcome copy(SharedTask task) {
        return new TaskCopy(task, db.pair(List.of("shop")), "test").run();
    }
}
