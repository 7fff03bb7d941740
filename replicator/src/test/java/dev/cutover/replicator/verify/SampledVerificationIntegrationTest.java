package dev.cutover.replicator.verify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import dev.cutover.platform.database.DatabasePair;
import dev.cutover.replicator.copy.FullLoad;
import dev.cutover.replicator.copy.LoadOptions;
import dev.cutover.replicator.postgres.Lsn;
import dev.cutover.replicator.postgres.ReplicationNames;
import dev.cutover.replicator.streaming.Streaming;
import dev.cutover.replicator.testing.TestDatabase;
import dev.cutover.stack.LocalStack;
import dev.cutover.stack.SharedStackExtension;

/**
 * A sampled verification, PostgreSQL 11 -> 17, after a real load and streaming: the rows changed through the
 * subscription are compared besides the sample, so a difference in them is found whatever the sample picked.
 */
@ExtendWith(SharedStackExtension.class)
class SampledVerificationIntegrationTest {

    private static final Duration PATIENCE = Duration.ofSeconds(60);
    /** One range per table: what is found beyond it, the change record found. */
    private static final VerificationScope ONE_RANGE = new VerificationScope.Sampled(0.0001, 11);

    @Test
    void differencesInRowsChangedAfterTheLoadByAnUpdateAnInsertAndADeleteAreAllFoundAndNamedByRange(LocalStack stack) {
        TestDatabase db = streamed(stack, "sampled_changed", "items");
        try {
            db.onSource("UPDATE shop.items SET note = 'updated' WHERE id = 6000",
                    "INSERT INTO shop.items VALUES (15001, 'inserted')", "DELETE FROM shop.items WHERE id = 30000");
            caughtUp(db);
            // What a faulty apply would leave: each changed row wrong on the target, unseen by the record's trigger.
            db.onTarget("BEGIN", "ALTER TABLE shop.items DISABLE TRIGGER cutover_changed_keys",
                    "UPDATE shop.items SET note = 'lost update' WHERE id = 6000",
                    "DELETE FROM shop.items WHERE id = 15001", "INSERT INTO shop.items VALUES (30000, 'lost delete')",
                    "ALTER TABLE shop.items ENABLE ALWAYS TRIGGER cutover_changed_keys", "COMMIT");

            Verification verification = new DataVerifier(500, 2).verify(db.pair(List.of("shop")), ONE_RANGE);

            assertThat(verification.rangesTotal()).isGreaterThanOrEqualTo(20);
            assertThat(verification.rangesChecked()).as("the sample's one range").isEqualTo(1);
            assertThat(verification.changedRows()).as("the three changed rows, looked up by key").isEqualTo(3);
            assertThat(verification.mismatches()).hasSize(3)
                    .anySatisfy(mismatch -> assertThat(rangeHolds(mismatch, 6000)).isTrue())
                    .anySatisfy(mismatch -> assertThat(rangeHolds(mismatch, 15001)).isTrue())
                    .anySatisfy(mismatch -> assertThat(rangeHolds(mismatch, 30000)).isTrue());
        } finally {
            stop(db);
        }
    }

    @Test
    void aTableLeftAloneIsCheckedInItsSampleOnlyAndFoundCleanAsInFull(LocalStack stack) {
        TestDatabase db = streamed(stack, "sampled_clean", "items", "quiet");
        DatabasePair pair = db.pair(List.of("shop"));
        try {
            db.onSource("UPDATE shop.items SET note = 'updated' WHERE id IN (2, 40000)");
            caughtUp(db);

            Verification sampled = new DataVerifier(500, 2).verify(pair, new VerificationScope.Sampled(0.1, 5));
            Verification full = new DataVerifier(500, 2).verify(pair);

            assertThat(sampled.mismatches()).isEmpty();
            assertThat(full.mismatches()).isEmpty();
            assertThat(full.rangesChecked()).isEqualTo(full.rangesTotal()).isGreaterThanOrEqualTo(40);
            assertThat(sampled.rangesTotal()).isGreaterThanOrEqualTo(40);
            // Each table: a tenth of its ranges; and the two rows the updates changed.
            assertThat(sampled.rangesChecked()).isLessThanOrEqualTo(sampled.rangesTotal() / 10 + 2)
                    .isLessThan(full.rangesChecked());
            assertThat(sampled.changedRows()).isBetween(0L, 2L);
            assertThat(sampled.scope()).isEqualTo(new VerificationScope.Sampled(0.1, 5));
        } finally {
            stop(db);
        }
        assertThat(db.countOnTarget("SELECT count(*) FROM pg_trigger WHERE tgname LIKE 'cutover\\_changed%'"))
                .as("stopping replication removes the record").isZero();
        assertThat(db.textOnTarget("SELECT to_regclass('cutover.changed_keys')")).isNull();
        assertThat(db.textOnSource("SELECT to_regclass('cutover.changed_keys')")).as("never on the source").isNull();
    }

    @Test
    void aSampleReadsNothingBeyondItsRangesAndTheChangedRowsSoRowsLostElsewhereAreLeftToTheFullCheck(LocalStack stack) {
        TestDatabase db = streamed(stack, "sampled_count", "items");
        DatabasePair pair = db.pair(List.of("shop"));
        try {
            caughtUp(db);
            // Rows lost on the target without any change the record could see, in the first and the last range: the
            // sample's one range holds one of them at most.
            db.onTarget("BEGIN", "ALTER TABLE shop.items DISABLE TRIGGER cutover_changed_keys",
                    "DELETE FROM shop.items WHERE id IN (2, 40000)",
                    "ALTER TABLE shop.items ENABLE ALWAYS TRIGGER cutover_changed_keys", "COMMIT");

            Verification sampled = new DataVerifier(500, 2).verify(pair, ONE_RANGE);
            Verification full = new DataVerifier(500, 2).verify(pair);

            assertThat(sampled.rangesChecked()).isEqualTo(1);
            assertThat(sampled.rows()).as("the sampled range's rows only: no count of the whole table")
                    .isLessThanOrEqualTo(1000);
            assertThat(full.mismatches()).hasSize(2)
                    .anySatisfy(mismatch -> assertThat(rangeHolds(mismatch, 2)).isTrue())
                    .anySatisfy(mismatch -> assertThat(rangeHolds(mismatch, 40000)).isTrue());
            assertThat(full.mismatches()).containsAll(sampled.mismatches());
            assertThat(sampled.mismatches()).hasSizeLessThan(2);
        } finally {
            stop(db);
        }
    }

    @Test
    void aTableKeyedByRandomValuesIsSampledByPagesAndItsOneRangeSeesARunOfPagesLostOnTheTarget(LocalStack stack) {
        TestDatabase db = TestDatabase.create("sampled_scattered", stack.source(), stack.target());
        db.onBoth("CREATE SCHEMA shop");
        db.onSource("CREATE TABLE shop.orders (id uuid PRIMARY KEY, note text)",
                "INSERT INTO shop.orders SELECT md5(g::text)::uuid, 'order ' || g FROM generate_series(1, 20000) g",
                "ANALYZE shop.orders");
        db.onTarget("CREATE TABLE shop.orders (id uuid, note text)");
        DatabasePair pair = db.pair(List.of("shop"));
        ReplicationNames names = ReplicationNames.forDatabase(db.name());
        new FullLoad(new LoadOptions(2, 64 * 1024 * 1024, Duration.ofSeconds(30))).run(pair, names, table -> { });
        db.onTarget("ALTER TABLE shop.orders ADD PRIMARY KEY (id)", "ANALYZE shop.orders");
        new Streaming(Duration.ofSeconds(10)).start(pair, names, VerifyMode.SAMPLED);
        try {
            caughtUp(db);
            Verification clean = new DataVerifier(500, 2).verify(pair, ONE_RANGE);
            // What a copy task lost would leave: the rows of a run of pages, whose random keys fall in every range.
            db.onTarget("BEGIN", "ALTER TABLE shop.orders DISABLE TRIGGER cutover_changed_keys",
                    "DELETE FROM shop.orders WHERE ctid < '(20,0)'",
                    "ALTER TABLE shop.orders ENABLE ALWAYS TRIGGER cutover_changed_keys", "COMMIT");

            Verification lost = new DataVerifier(500, 2).verify(pair, ONE_RANGE);

            assertThat(clean.mismatches()).isEmpty();
            Verification half = new DataVerifier(500, 2).verify(pair, new VerificationScope.Sampled(0.5, 11));
            assertThat(half.rangesChecked()).as("a sample sized by pages: half the rows over ~100 rows a page")
                    .isLessThan(half.rangesTotal() / 10);
            assertThat(lost.rangesTotal()).isGreaterThanOrEqualTo(20);
            assertThat(lost.rangesChecked()).as("the sample's one range").isEqualTo(1);
            assertThat(lost.rows()).as("only the sampled range's rows are hashed").isLessThan(20000 / 10);
            assertThat(lost.mismatches()).singleElement().satisfies(mismatch -> {
                assertThat(mismatch.range()).as("the sampled range").isPresent();
                assertThat(mismatch.sourceRows()).isGreaterThan(mismatch.targetRows());
            });
        } finally {
            stop(db);
        }
    }

    @Test
    void aTruncatedTableAndATableTheRecordLostAreComparedWhole(LocalStack stack) {
        TestDatabase db = streamed(stack, "sampled_whole", "items", "quiet");
        DatabasePair pair = db.pair(List.of("shop"));
        try {
            db.onSource("TRUNCATE shop.items", "INSERT INTO shop.items SELECT g * 2, 'again' FROM generate_series(1, 20000) g");
            caughtUp(db);
            // As after a crash of the target, which empties unlogged tables.
            db.onTarget("DELETE FROM cutover.change_record WHERE relid = 'shop.quiet'::regclass");

            Verification verification = new DataVerifier(500, 2).verify(pair, ONE_RANGE);

            assertThat(verification.mismatches()).isEmpty();
            assertThat(verification.rangesChecked()).isEqualTo(verification.rangesTotal()).isGreaterThanOrEqualTo(40);
        } finally {
            stop(db);
        }
    }

    @Test
    void streamingForAFullVerificationRecordsNothingAndASampleAskedLaterComparesEveryRange(LocalStack stack) {
        TestDatabase db = streamed(stack, "sampled_unplanned", VerifyMode.FULL, "items");
        try {
            db.onSource("UPDATE shop.items SET note = 'updated' WHERE id = 2");
            caughtUp(db);

            assertThat(db.countOnTarget("SELECT count(*) FROM pg_trigger WHERE tgname LIKE 'cutover\\_changed%'"))
                    .as("no trigger on the apply path").isZero();
            assertThat(db.textOnTarget("SELECT to_regclass('cutover.changed_keys')")).isNull();
            Verification verification = new DataVerifier(500, 2).verify(db.pair(List.of("shop")), ONE_RANGE);

            assertThat(verification.mismatches()).isEmpty();
            assertThat(verification.rangesChecked()).as("without a record, no range can be left out")
                    .isEqualTo(verification.rangesTotal()).isGreaterThanOrEqualTo(20);
        } finally {
            stop(db);
        }
    }

    private static TestDatabase streamed(LocalStack stack, String name, String... tables) {
        return streamed(stack, name, VerifyMode.SAMPLED, tables);
    }

    /**
     * A database whose tables (even keys 2 to 40000, 20000 rows each) are loaded into the target and streamed, as a
     * migration leaves it: the target's tables get their keys after the load, then the subscription.
     */
    private static TestDatabase streamed(LocalStack stack, String name, VerifyMode planned, String... tables) {
        TestDatabase db = TestDatabase.create(name, stack.source(), stack.target());
        db.onBoth("CREATE SCHEMA shop");
        for (String table : tables) {
            db.onSource("CREATE TABLE shop." + table + " (id bigint PRIMARY KEY, note text)",
                    "INSERT INTO shop." + table + " SELECT g * 2, 'row ' || g FROM generate_series(1, 20000) g",
                    "ANALYZE shop." + table);
            db.onTarget("CREATE TABLE shop." + table + " (id bigint, note text)");
        }
        DatabasePair pair = db.pair(List.of("shop"));
        ReplicationNames names = ReplicationNames.forDatabase(name);
        new FullLoad(new LoadOptions(2, 64 * 1024 * 1024, Duration.ofSeconds(30))).run(pair, names, table -> { });
        for (String table : tables) {
            db.onTarget("ALTER TABLE shop." + table + " ADD PRIMARY KEY (id)", "ANALYZE shop." + table);
        }
        new Streaming(Duration.ofSeconds(10)).start(pair, names, planned);
        return db;
    }

    private static void caughtUp(TestDatabase db) {
        ReplicationNames names = ReplicationNames.forDatabase(db.name());
        Lsn end = Lsn.parse(db.textOnSource("SELECT pg_current_wal_lsn()::text"));
        await().atMost(PATIENCE).until(() -> {
            String lsn = db.textOnSource("SELECT confirmed_flush_lsn::text FROM pg_replication_slots"
                    + " WHERE slot_name = '" + names.slot() + "'");
            return lsn != null && Lsn.parse(lsn).isAtLeast(end);
        });
    }

    private static void stop(TestDatabase db) {
        new Streaming(Duration.ofSeconds(10)).stop(db.pair(List.of("shop")), ReplicationNames.forDatabase(db.name()), true);
    }

    private static boolean rangeHolds(Mismatch mismatch, long id) {
        String range = mismatch.range().orElseThrow();
        String[] bounds = range.substring(range.indexOf('[') + 1, range.indexOf(')')).split(",");
        boolean above = bounds[0].equals("-inf") || Long.parseLong(bounds[0]) <= id;
        boolean below = bounds[1].equals("+inf") || id < Long.parseLong(bounds[1]);
        return range.startsWith("id [") && above && below;
    }
}
