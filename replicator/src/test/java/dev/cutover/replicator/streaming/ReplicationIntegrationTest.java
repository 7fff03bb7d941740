package dev.cutover.replicator.streaming;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import dev.cutover.platform.database.DatabasePair;
import dev.cutover.replicator.copy.FullLoad;
import dev.cutover.replicator.copy.FullLoadResult;
import dev.cutover.replicator.copy.LoadOptions;
import dev.cutover.replicator.postgres.Lsn;
import dev.cutover.replicator.postgres.Removal;
import dev.cutover.replicator.postgres.ReplicationNames;
import dev.cutover.replicator.testing.TestDatabase;
import dev.cutover.replicator.verify.DataVerifier;
import dev.cutover.replicator.verify.Mismatch;
import dev.cutover.replicator.verify.Verification;
import dev.cutover.replicator.verify.VerifyMode;
import dev.cutover.stack.LocalStack;
import dev.cutover.stack.SharedStackExtension;

@ExtendWith(SharedStackExtension.class)
class ReplicationIntegrationTest {

    private static final int SEED = 5000;
    private static final long MAX_WRITES = 200_000;
    private static final Duration PATIENCE = Duration.ofSeconds(60);

    private static TestDatabase db;

    @BeforeAll
    static void createDatabase(LocalStack stack) {
        db = TestDatabase.create("replication", stack.source(), stack.target());
        String accounts = "CREATE TABLE shop.accounts (id bigint %s, balance numeric(14,2), note text, ratio float8)";
        String orders = "CREATE TABLE shop.orders (id uuid %s, n int, account bigint, amount numeric, at timestamptz)";
        db.onSource("CREATE SCHEMA shop", accounts.formatted("PRIMARY KEY"), orders.formatted("PRIMARY KEY"),
                "INSERT INTO shop.accounts SELECT g, g * 10, 'seed', 1.0 / g FROM generate_series(1, " + SEED + ") g",
                "INSERT INTO shop.orders SELECT md5(g::text)::uuid, g, g % 100 + 1, g * 1.5, now()"
                        + " FROM generate_series(1, " + SEED + ") g");
        // The target gets the pre-data section only: tables without keys or indexes until after the copy.
        db.onTarget("CREATE SCHEMA shop", accounts.formatted(""), orders.formatted(""));
    }

    @Test
    void insertsUpdatesAndDeletesBeforeDuringAndAfterTheSnapshotAllArriveExactlyOnce() throws Exception {
        DatabasePair pair = db.pair(List.of("shop"));
        ReplicationNames names = ReplicationNames.forDatabase("replication");
        Streaming streaming = new Streaming(Duration.ofSeconds(10));
        AtomicLong writes = new AtomicLong();
        AtomicBoolean stop = new AtomicBoolean();
        AtomicReference<Throwable> writerFailure = new AtomicReference<>();
        Thread writer = Thread.ofPlatform().name("writer").start(() -> write(writes, stop, writerFailure));
        try {
            await().atMost(PATIENCE).until(() -> writes.get() >= 300);
            long beforeSnapshot = writes.get();
            AtomicLong duringCopy = new AtomicLong(-1);

            FullLoadResult load = new FullLoad(new LoadOptions(2, 64 * 1024, Duration.ofSeconds(30))).run(pair, names,
                    table -> {
                        if (duringCopy.compareAndSet(-1, writes.get())) {
                            long seen = writes.get();
                            await().atMost(PATIENCE).until(() -> writes.get() >= seen + 300);
                        }
                    });
            long afterCopy = writes.get();
            db.onTarget("ALTER TABLE shop.accounts ADD PRIMARY KEY (id)", "ALTER TABLE shop.orders ADD PRIMARY KEY (id)");
            StreamingStarted started = streaming.start(pair, names, VerifyMode.FULL);
            await().atMost(PATIENCE).until(() -> writes.get() >= afterCopy + 300);
            stop.set(true);
            writer.join();

            assertThat(writerFailure.get()).isNull();
            assertThat(beforeSnapshot).isPositive();
            assertThat(afterCopy - duringCopy.get()).as("writes while the copy ran").isGreaterThanOrEqualTo(300);
            assertThat(started.startLsn()).isEqualTo(load.consistentPoint());
            assertThat(streaming.start(pair, names, VerifyMode.FULL)).as("starting again changes nothing").isEqualTo(started);
            Lsn end = Lsn.parse(db.textOnSource("SELECT pg_current_wal_lsn()::text"));
            await().atMost(PATIENCE).until(() -> confirmed(names).isAtLeast(end));

            Verification verification = new DataVerifier(500).verify(pair);

            assertThat(verification.mismatches()).isEmpty();
            assertThat(verification.tables()).isEqualTo(2);
            assertThat(verification.rows()).isEqualTo(db.countOnSource("SELECT count(*) FROM shop.accounts")
                    + db.countOnSource("SELECT count(*) FROM shop.orders"));
        } finally {
            stop.set(true);
            writer.join();
            StreamingStopped stopped = streaming.stop(pair, names, true);
            assertThat(stopped.slotDropped()).isTrue();
        }
        assertThat(db.countOnSource("SELECT count(*) FROM pg_replication_slots WHERE slot_name = '" + names.slot() + "'"))
                .isZero();
        assertThat(db.countOnTarget("SELECT count(*) FROM pg_subscription WHERE subname = '" + names.subscription() + "'"))
                .isZero();
        StreamingStopped again = streaming.stop(pair, names, true);
        assertThat(again.slotDropped()).as("stopping twice drops nothing").isFalse();
        assertThat(List.of(again.subscription(), again.slot(), again.publication())).as("and says so")
                .containsOnly(Removal.NOT_PRESENT);
    }

    @Test
    void aRowThatMovesToAnotherPartitionWhileStreamingLeavesItsOldPartitionOnTheTarget() {
        db.onBoth("CREATE SCHEMA moving",
                "CREATE TABLE moving.orders (id int, placed date, note text, PRIMARY KEY (id, placed)) PARTITION BY RANGE (placed)",
                "CREATE TABLE moving.orders_2024 PARTITION OF moving.orders FOR VALUES FROM ('2024-01-01') TO ('2025-01-01')",
                "CREATE TABLE moving.orders_2025 PARTITION OF moving.orders FOR VALUES FROM ('2025-01-01') TO ('2026-01-01')",
                "CREATE TABLE moving.orders_other PARTITION OF moving.orders DEFAULT");
        db.onSource("INSERT INTO moving.orders SELECT g, date '2024-01-01' + g, 'seed' FROM generate_series(1, 300) g");
        DatabasePair pair = db.pair(List.of("moving"));
        ReplicationNames names = ReplicationNames.forDatabase("replication_moving");
        Streaming streaming = new Streaming(Duration.ofSeconds(10));
        try {
            new FullLoad(new LoadOptions(2, 64 * 1024, Duration.ofSeconds(30))).run(pair, names, table -> { });
            streaming.start(pair, names, VerifyMode.FULL);
            db.onSource("UPDATE moving.orders SET placed = placed + 366, note = 'next year' WHERE id <= 100",
                    "UPDATE moving.orders SET placed = date '2030-01-01' + id, note = 'far' WHERE id BETWEEN 101 AND 150",
                    "UPDATE moving.orders SET placed = date '2024-06-01', note = 'back' WHERE id = 5",
                    "DELETE FROM moving.orders WHERE id = 200");
            Lsn end = Lsn.parse(db.textOnSource("SELECT pg_current_wal_lsn()::text"));
            await().atMost(PATIENCE).until(() -> confirmed(names).isAtLeast(end));

            for (String leaf : List.of("moving.orders_2024", "moving.orders_2025", "moving.orders_other")) {
                assertThat(db.countOnTarget("SELECT count(*) FROM ONLY " + leaf)).as(leaf)
                        .isEqualTo(db.countOnSource("SELECT count(*) FROM ONLY " + leaf));
            }
            assertThat(db.countOnTarget("SELECT count(*) FROM moving.orders_2025")).isEqualTo(99);
            assertThat(db.countOnTarget("SELECT count(*) FROM moving.orders WHERE id = 5")).isEqualTo(1);
            assertThat(new DataVerifier(100).verify(pair).mismatches()).isEmpty();
        } finally {
            streaming.stop(pair, names, true);
        }
    }

    @Test
    void rowsChangedOnOneSideOnlyAreNamedByTheirKeyRange() {
        db.onBoth("CREATE SCHEMA drift", "CREATE TABLE drift.items (id int PRIMARY KEY, name text)",
                "INSERT INTO drift.items SELECT g, 'item ' || g FROM generate_series(1, 3000) g", "ANALYZE drift.items");
        db.onTarget("UPDATE drift.items SET name = 'changed' WHERE id = 2500", "DELETE FROM drift.items WHERE id = 10");

        Verification verification = new DataVerifier(1000).verify(db.pair(List.of("drift")));

        assertThat(verification.mismatches()).extracting(Mismatch::table).containsOnly("drift.items");
        assertThat(verification.mismatches()).hasSize(2).anySatisfy(mismatch -> {
            assertThat(mismatch.sourceRows() - mismatch.targetRows()).isEqualTo(1);
            assertThat(mismatch.detail()).contains("1 rows missing on the target");
            assertThat(rangeHolds(mismatch, 10)).isTrue();
        }).anySatisfy(mismatch -> {
            assertThat(mismatch.sourceRows()).isEqualTo(mismatch.targetRows());
            assertThat(mismatch.detail()).contains("checksums differ");
            assertThat(rangeHolds(mismatch, 2500)).isTrue();
        });
    }

    private static boolean rangeHolds(Mismatch mismatch, int id) {
        String range = mismatch.range().orElseThrow();
        String[] bounds = range.substring(range.indexOf('[') + 1, range.indexOf(')')).split(",");
        boolean above = bounds[0].equals("-inf") || Integer.parseInt(bounds[0]) <= id;
        boolean below = bounds[1].equals("+inf") || id < Integer.parseInt(bounds[1]);
        return range.startsWith("id [") && above && below;
    }

    private static Lsn confirmed(ReplicationNames names) {
        String lsn = db.textOnSource("SELECT confirmed_flush_lsn::text FROM pg_replication_slots WHERE slot_name = '"
                + names.slot() + "'");
        return lsn == null ? new Lsn(0) : Lsn.parse(lsn);
    }

    /** Inserts, updates and deletes in turn, each its own transaction, until told to stop or the bound is reached. */
    private static void write(AtomicLong writes, AtomicBoolean stop, AtomicReference<Throwable> failure) {
        try (Connection connection = TestDatabase.endpoint(db.source(), db.name()).connect();
                PreparedStatement insert = connection.prepareStatement(
                        "INSERT INTO shop.orders VALUES (md5(?::text)::uuid, ?, ?, ? * 0.25, now())");
                PreparedStatement update = connection.prepareStatement(
                        "UPDATE shop.accounts SET balance = balance + 1, note = 'write ' || ?, ratio = ratio * 3 WHERE id = ?");
                PreparedStatement delete = connection.prepareStatement(
                        "DELETE FROM shop.orders WHERE id = md5(?::text)::uuid")) {
            for (long i = 0; i < MAX_WRITES && !stop.get(); i++) {
                int n = (int) (SEED + 1 + i);
                switch ((int) (i % 3)) {
                    case 0 -> {
                        insert.setInt(1, n);
                        insert.setInt(2, n);
                        insert.setLong(3, i % SEED + 1);
                        insert.setLong(4, i);
                        insert.executeUpdate();
                    }
                    case 1 -> {
                        update.setLong(1, i);
                        update.setLong(2, i * 7919 % SEED + 1);
                        update.executeUpdate();
                    }
                    default -> {
                        delete.setLong(1, i / 3 + 1);
                        delete.executeUpdate();
                    }
                }
                writes.incrementAndGet();
            }
        } catch (SQLException | RuntimeException e) {
            failure.set(e);
        }
    }
}
