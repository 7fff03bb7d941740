package dev.cutover.replicator.copy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import dev.cutover.platform.StepFailure;
import dev.cutover.platform.database.DatabasePair;
import dev.cutover.replicator.postgres.ReplicationNames;
import dev.cutover.replicator.postgres.TableName;
import dev.cutover.replicator.testing.TestDatabase;
import dev.cutover.replicator.testing.UsedSlots;
import dev.cutover.replicator.verify.DataVerifier;
import dev.cutover.replicator.verify.Verification;
import dev.cutover.stack.LocalStack;
import dev.cutover.stack.SharedStackExtension;

@ExtendWith(SharedStackExtension.class)
class FullLoadIntegrationTest {

    private static final LoadOptions SPLITTING = new LoadOptions(3, 64 * 1024, Duration.ofSeconds(30));

    private static TestDatabase db;
    private final UsedSlots slots = new UsedSlots();

    @BeforeAll
    static void createDatabase(LocalStack stack) {
        db = TestDatabase.create("full_load", stack.source(), stack.target());
        db.onBoth("CREATE SCHEMA cutover", "CREATE TABLE cutover.heartbeat (id int PRIMARY KEY, beat timestamptz)");
        db.onSource("INSERT INTO cutover.heartbeat VALUES (1, now())");
    }

    @AfterEach
    void dropSlots() throws SQLException {
        slots.dropAll(db);
    }

    private ReplicationNames names(String stem) {
        return slots.names(stem);
    }

    @Test
    void everyTableIsCopiedFromTheSnapshotWithValuesOfEveryKindIntact() throws SQLException {
        db.onBoth("CREATE SCHEMA kinds",
                "CREATE TYPE kinds.mood AS ENUM ('sad', 'ok', 'happy')",
                "CREATE TYPE kinds.couple AS (a int, b text)",
                """
                CREATE TABLE kinds.scalars (id bigint PRIMARY KEY, small smallint, amount numeric(12,3), huge numeric,
                    label text, raw bytea, at timestamptz, day date, took interval, ratio float8, half real,
                    flag boolean, ref uuid, doc jsonb, js json, tags int[], scores float8[], feeling kinds.mood,
                    addr inet, clock time)""",
                "CREATE TABLE kinds.composed (id int PRIMARY KEY, pair kinds.couple, pairs kinds.couple[])",
                "CREATE TABLE kinds.events (id bigint PRIMARY KEY, payload text NOT NULL)",
                "CREATE TABLE kinds.log_lines (line text, at timestamptz)",
                "ALTER TABLE kinds.log_lines REPLICA IDENTITY FULL",
                "CREATE TABLE kinds.empty (id int PRIMARY KEY)");
        db.onSource("""
                INSERT INTO kinds.scalars
                SELECT g, (g % 30000)::smallint, g * 1.125, (10::numeric ^ 40) + g, 'label ' || g || E' \\t\\n''"',
                    decode(md5(g::text), 'hex'), '2024-02-29 13:14:15.123456+05:30'::timestamptz + g * interval '1 hour',
                    date '1999-12-31' + g, make_interval(days => g, secs => g / 7.0), 1.0 / g, (1.0 / g)::real,
                    g % 2 = 0, md5(g::text)::uuid, jsonb_build_object('g', g, 'f', 0.1 * g), '{"raw": [1, 2.50]}',
                    ARRAY[g, -g], ARRAY[0.1 * g, 1e-300, 'NaN', '-Infinity']::float8[],
                    (ARRAY['sad', 'ok', 'happy'])[g % 3 + 1]::kinds.mood, '10.0.0.0/8'::inet, time '23:59:59.999999'
                FROM generate_series(1, 2000) g""",
                "INSERT INTO kinds.scalars (id) VALUES (0)",
                "UPDATE kinds.scalars SET ratio = 'Infinity', half = 'NaN' WHERE id = 1",
                "INSERT INTO kinds.composed SELECT g, ROW(g, 'x' || g)::kinds.couple, ARRAY[ROW(g, 'a,b')::kinds.couple, ROW(NULL, NULL)::kinds.couple] FROM generate_series(1, 500) g",
                "INSERT INTO kinds.events SELECT g, repeat(md5(g::text), 4) FROM generate_series(1, 20000) g",
                "INSERT INTO kinds.log_lines SELECT 'line ' || g, now() FROM generate_series(1, 20000) g",
                "ANALYZE");
        DatabasePair pair = db.pair(List.of("kinds"));
        List<CopiedTable> reported = Collections.synchronizedList(new ArrayList<>());

        FullLoadResult result = new FullLoad(SPLITTING).run(pair, names("fl_kinds"), reported::add);

        assertThat(reported).extracting(CopiedTable::table).containsExactlyInAnyOrder("cutover.heartbeat",
                "kinds.scalars", "kinds.composed", "kinds.events", "kinds.log_lines", "kinds.empty");
        assertThat(reported).extracting(CopiedTable::table, CopiedTable::rows).containsExactlyInAnyOrder(
                tuple("cutover.heartbeat", 1L), tuple("kinds.scalars", 2001L), tuple("kinds.composed", 500L),
                tuple("kinds.events", 20000L), tuple("kinds.log_lines", 20000L), tuple("kinds.empty", 0L));
        assertThat(result.tables()).isEqualTo(6);
        assertThat(result.rows()).isEqualTo(1 + 2001 + 500 + 20000 + 20000);
        assertThat(reported.stream().mapToLong(CopiedTable::rows).sum()).isEqualTo(result.rows());
        assertThat(db.countOnTarget("SELECT count(*) FROM kinds.events")).isEqualTo(20000);
        assertThat(db.countOnTarget("SELECT count(DISTINCT line) FROM kinds.log_lines")).isEqualTo(20000);
        Verification verification = new DataVerifier(300).verify(pair);
        assertThat(verification.mismatches()).isEmpty();
        assertThat(verification.rows()).as("every row but the project's own heartbeat, which is not verified")
                .isEqualTo(result.rows() - 1);
        assertThat(slotLsnOnSource("cutover_slot_fl_kinds")).isEqualTo(result.consistentPoint().toString());
        try (Connection target = pair.target().connect()) {
            assertThat(LoadRecord.read(target, "cutover_slot_fl_kinds", result.consistentPoint()))
                    .as("each table recorded on the target as it finished, for a load taken up after a crash")
                    .isEqualTo(reported.stream().collect(Collectors.toMap(CopiedTable::table, CopiedTable::rows)));
        }
    }

    @Test
    void rowsTheTargetLosesAfterTheirTableWasCopiedFailTheLoadByTheTablesName() {
        db.onBoth("CREATE SCHEMA lossy", "CREATE TABLE lossy.first (id int PRIMARY KEY, filler text)",
                "CREATE TABLE lossy.second (id int PRIMARY KEY)");
        db.onTarget("CREATE FUNCTION lossy.forget_first() RETURNS trigger LANGUAGE plpgsql AS"
                        + " $$ BEGIN DELETE FROM lossy.first WHERE id % 2 = 0; RETURN NULL; END $$",
                "CREATE TRIGGER forget AFTER INSERT ON lossy.second FOR EACH STATEMENT EXECUTE FUNCTION lossy.forget_first()");
        db.onSource("INSERT INTO lossy.first SELECT g, repeat('f', 100) FROM generate_series(1, 2000) g",
                "INSERT INTO lossy.second SELECT generate_series(1, 10)");
        LoadOptions largestFirst = new LoadOptions(1, 1L << 40, Duration.ofSeconds(30));
        List<CopiedTable> reported = Collections.synchronizedList(new ArrayList<>());

        assertThatThrownBy(() -> new FullLoad(largestFirst).run(db.pair(List.of("lossy")), names("fl_lossy"),
                reported::add))
                .isInstanceOf(StepFailure.class)
                .hasMessageContaining("lossy.first holds 1000 rows, but 2000 were copied")
                .hasMessageNotContaining("lossy.second")
                .hasMessageContaining("CopyData");
        assertThat(reported).extracting(CopiedTable::table).contains("lossy.first");
        assertThat(slotLsnOnSource("cutover_slot_fl_lossy")).as("a failed load leaves no slot").isNull();
    }

    @Test
    void aLoadWhoseSourceSessionsAreEndedKeepsItsSlotAndIsTakenUpFromTheTablesItFinished() {
        db.onBoth("CREATE SCHEMA ended", "CREATE TABLE ended.big (id int PRIMARY KEY, filler text)",
                "CREATE TABLE ended.small (id int PRIMARY KEY)");
        db.onSource("INSERT INTO ended.big SELECT g, repeat('b', 200) FROM generate_series(1, 3000) g",
                "INSERT INTO ended.small SELECT generate_series(1, 10)");
        LoadOptions oneWorker = new LoadOptions(1, 1L << 40, Duration.ofSeconds(30));
        DatabasePair pair = db.pair(List.of("ended"));
        ReplicationNames names = names("fl_ended");
        List<CopiedTable> reported = Collections.synchronizedList(new ArrayList<>());

        // Largest first: once big is copied and recorded, the source ends every session of the database (as a
        // restart would), so small's copy fails on a connection the server closed.
        assertThatThrownBy(() -> new FullLoad(oneWorker).run(pair, names, table -> {
            reported.add(table);
            db.onSource("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database()"
                    + " AND pid <> pg_backend_pid() AND backend_type = 'client backend'");
        }))
                .isInstanceOfSatisfying(StepFailure.class, failure -> assertThat(failure.retryable()).isTrue());
        assertThat(reported).extracting(CopiedTable::table).containsExactly("ended.big");
        assertThat(slotLsnOnSource(names.slot())).as("the slot is kept for the load to be taken up").isNotNull();

        ResumedLoad resumed = await().atMost(Duration.ofSeconds(30)).ignoreException(StepFailure.class)
                .until(() -> LoadResume.resume(pair, names, Map.of()), Optional::isPresent)
                .orElseThrow();

        assertThat(resumed.kept()).containsOnlyKeys(new TableName("ended", "big"));
        assertThat(resumed.withheld()).as("the rest, cutover's heartbeat among them, left to table synchronisation")
                .contains(new TableName("ended", "small")).doesNotContain(new TableName("ended", "big"));
    }

    @Test
    void rowsATargetTriggerSkipsFailTheCopyOfTheirTable() {
        db.onBoth("CREATE SCHEMA skipping", "CREATE TABLE skipping.items (id int PRIMARY KEY)");
        db.onTarget("CREATE FUNCTION skipping.every_tenth() RETURNS trigger LANGUAGE plpgsql AS"
                        + " $$ BEGIN RETURN CASE WHEN NEW.id % 10 = 0 THEN NULL ELSE NEW END; END $$",
                "CREATE TRIGGER skip BEFORE INSERT ON skipping.items FOR EACH ROW EXECUTE FUNCTION skipping.every_tenth()");
        db.onSource("INSERT INTO skipping.items SELECT generate_series(1, 500)");

        assertThatThrownBy(() -> new FullLoad(SPLITTING).run(db.pair(List.of("skipping")), names("fl_skipping"),
                table -> { }))
                .isInstanceOf(StepFailure.class)
                .hasMessageContaining("skipping.items")
                .hasMessageContaining("450 of the 500 rows")
                .hasMessageContaining("trigger");
    }

    @Test
    void aRowCommittedDuringTheCopyIsNotCopiedButWaitsInTheSlot() {
        db.onBoth("CREATE SCHEMA later", "CREATE TABLE later.big (id int PRIMARY KEY, filler text)",
                "CREATE TABLE later.items (id int PRIMARY KEY)");
        db.onSource("INSERT INTO later.big SELECT g, repeat('x', 200) FROM generate_series(1, 2000) g",
                "INSERT INTO later.items SELECT generate_series(1, 100)");
        LoadOptions oneAtATime = new LoadOptions(1, 1024 * 1024, Duration.ofSeconds(30));

        new FullLoad(oneAtATime).run(db.pair(List.of("later")), names("fl_later"), table -> {
            if (table.table().equals("later.big")) {
                db.onSource("INSERT INTO later.items VALUES (101)");
            }
        });

        assertThat(db.countOnSource("SELECT count(*) FROM later.items")).isEqualTo(101);
        assertThat(db.countOnTarget("SELECT count(*) FROM later.items")).isEqualTo(100);
        assertThat(changesInSlot("cutover_slot_fl_later", "cutover_pub_fl_later"))
                .as("begin, relation, insert and commit of the row wait in the slot").isGreaterThanOrEqualTo(3);
    }

    @Test
    void anInterruptedEarlierLoadIsThrownAwayAndTheLoadStartsOver() {
        db.onBoth("CREATE SCHEMA again", "CREATE TABLE again.items (id int PRIMARY KEY, name text)");
        db.onSource("INSERT INTO again.items SELECT g, 'item ' || g FROM generate_series(1, 1000) g");
        ReplicationNames names = names("fl_again");
        db.onSource("SELECT pg_create_logical_replication_slot('" + names.slot() + "', 'pgoutput')");
        db.onTarget("INSERT INTO again.items SELECT g, 'half-copied' FROM generate_series(1, 400) g",
                "INSERT INTO cutover.heartbeat VALUES (99, now())");
        String oldSlotLsn = slotLsnOnSource(names.slot());
        DatabasePair pair = db.pair(List.of("again"));

        FullLoadResult result = new FullLoad(SPLITTING).run(pair, names, table -> { });

        assertThat(db.countOnTarget("SELECT count(*) FROM again.items WHERE name = 'half-copied'")).isZero();
        assertThat(db.countOnTarget("SELECT count(*) FROM again.items")).isEqualTo(1000);
        assertThat(new DataVerifier(100).verify(pair).mismatches()).isEmpty();
        assertThat(result.consistentPoint().toString()).isNotEqualTo(oldSlotLsn);
        assertThat(slotLsnOnSource(names.slot())).isEqualTo(result.consistentPoint().toString());
    }

    @Test
    void aTransactionOpenOnTheSourceThatHoldsUpTheSlotIsNamedWithItsPid() throws SQLException {
        db.onBoth("CREATE SCHEMA busy", "CREATE TABLE busy.items (id int PRIMARY KEY)");
        try (Connection blocker = TestDatabase.endpoint(db.source(), db.name()).connect();
                Statement statement = blocker.createStatement()) {
            blocker.setAutoCommit(false);
            statement.execute("INSERT INTO busy.items VALUES (1)");
            int pid = pid(statement);
            LoadOptions impatient = new LoadOptions(2, 1024 * 1024, Duration.ofSeconds(2));

            assertThatThrownBy(() -> new FullLoad(impatient).run(db.pair(List.of("busy")), names("fl_busy"), table -> { }))
                    .isInstanceOfSatisfying(StepFailure.class, failure -> assertThat(failure.retryable()).isTrue())
                    .hasMessageContaining("pid " + pid)
                    .hasMessageContaining("pg_terminate_backend");
            blocker.rollback();
        }
        assertThat(slotLsnOnSource("cutover_slot_fl_busy")).as("no half-made slot is left").isNull();
    }

    @Test
    void aSourceWithoutFreeSlotsIsReportedWithTheSettingToRaise() throws SQLException {
        db.onBoth("CREATE SCHEMA full_slots", "CREATE TABLE full_slots.items (id int PRIMARY KEY)");
        List<String> fillers = new ArrayList<>();
        try {
            long free = db.countOnSource("SELECT current_setting('max_replication_slots')::int"
                    + " - (SELECT count(*) FROM pg_replication_slots)");
            for (int i = 0; i < free; i++) {
                String name = "filler_" + i;
                db.onSource("SELECT pg_create_physical_replication_slot('" + name + "')");
                fillers.add(name);
            }

            assertThatThrownBy(() -> new FullLoad(SPLITTING).run(db.pair(List.of("full_slots")), names("fl_full"),
                    table -> { }))
                    .isInstanceOf(StepFailure.class)
                    .hasMessageContaining("max_replication_slots");
        } finally {
            for (String filler : fillers) {
                db.onSource("SELECT pg_drop_replication_slot('" + filler + "')");
            }
        }
    }

    @Test
    void aLoginWithoutTheNeededPrivilegesIsToldWhichOnesItNeeds() {
        db.onBoth("CREATE SCHEMA guarded", "CREATE TABLE guarded.items (id int PRIMARY KEY)");
        db.onSource("DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'plain_reader') THEN"
                + " CREATE ROLE plain_reader LOGIN PASSWORD 'plain-reader'; END IF; END $$");
        DatabasePair pair = db.pair(List.of("guarded"));
        DatabasePair asReader = new DatabasePair(new dev.cutover.platform.database.Endpoint(db.source().host(),
                db.source().port(), db.name(), "plain_reader", "plain-reader", null), pair.target(), List.of(),
                List.of("guarded"));

        assertThatThrownBy(() -> new FullLoad(SPLITTING).run(asReader, names("fl_guarded"), table -> { }))
                .isInstanceOf(StepFailure.class)
                .hasMessageContaining("plain_reader@")
                .hasMessageContaining("REPLICATION");
    }

    @Test
    void aPublicationOfTheSameNameThatCutoverDidNotCreateIsLeftAlone() {
        db.onBoth("CREATE SCHEMA foreign_pub", "CREATE TABLE foreign_pub.items (id int PRIMARY KEY)");
        db.onSource("CREATE PUBLICATION cutover_pub_fl_foreign FOR TABLE foreign_pub.items");

        assertThatThrownBy(() -> new FullLoad(SPLITTING).run(db.pair(List.of("foreign_pub")), names("fl_foreign"),
                table -> { }))
                .isInstanceOf(StepFailure.class)
                .hasMessageContaining("cutover_pub_fl_foreign")
                .hasMessageContaining("not created by cutover");
    }

    @Test
    void aTableWithoutReplicaIdentityIsRefusedBeforeItIsPublished() {
        db.onBoth("CREATE SCHEMA keyless", "CREATE TABLE keyless.notes (body text)");

        assertThatThrownBy(() -> new FullLoad(SPLITTING).run(db.pair(List.of("keyless")), names("fl_keyless"),
                table -> { }))
                .isInstanceOf(StepFailure.class)
                .hasMessageContaining("keyless.notes")
                .hasMessageContaining("REPLICA IDENTITY FULL");
        assertThat(db.countOnSource("SELECT count(*) FROM pg_publication WHERE pubname = 'cutover_pub_fl_keyless'"))
                .isZero();
    }

    @Test
    void aTableMissingOnTheTargetAsksForThePreDataFirst() {
        db.onSource("CREATE SCHEMA lonely", "CREATE TABLE lonely.items (id int PRIMARY KEY)");

        assertThatThrownBy(() -> new FullLoad(SPLITTING).run(db.pair(List.of("lonely")), names("fl_lonely"),
                table -> { }))
                .isInstanceOf(StepFailure.class)
                .hasMessageContaining("lonely.items")
                .hasMessageContaining("pre-data");
    }

    @Test
    void generatedColumnsAreLeftToTheTargetToCompute(LocalStack stack) {
        stack.target().createDatabase("generated_source");
        stack.target().createDatabase("generated_target");
        TestDatabase source = new TestDatabase("generated_source", stack.target(), stack.target());
        TestDatabase target = new TestDatabase("generated_target", stack.target(), stack.target());
        String table = "CREATE TABLE public.lines (id int PRIMARY KEY, price numeric, qty int,"
                + " total numeric GENERATED ALWAYS AS (price * qty) STORED)";
        source.onSource(table);
        target.onTarget(table);
        source.onSource("INSERT INTO public.lines (id, price, qty) SELECT g, g * 0.5, g FROM generate_series(1, 300) g");
        DatabasePair pair = new DatabasePair(TestDatabase.endpoint(stack.target(), source.name()),
                TestDatabase.endpoint(stack.target(), target.name()), List.of(), List.of("public"));
        ReplicationNames names = ReplicationNames.forDatabase("fl_generated");

        try {
            new FullLoad(SPLITTING).run(pair, names, copied -> { });

            assertThat(target.textOnTarget("SELECT sum(total)::text FROM public.lines"))
                    .isEqualTo(source.textOnSource("SELECT sum(price * qty)::text FROM public.lines"));
        } finally {
            source.onSource("SELECT pg_drop_replication_slot('" + names.slot() + "')");
        }
    }

    @Test
    void aLoadAskedToStopCopiesNoFurtherTableAndDropsItsSlot() {
        db.onBoth("CREATE SCHEMA stopped",
                "CREATE TABLE stopped.big (id int PRIMARY KEY, note text)",
                "CREATE TABLE stopped.middle (id int PRIMARY KEY, note text)",
                "CREATE TABLE stopped.small (id int PRIMARY KEY, note text)");
        db.onSource("INSERT INTO stopped.big SELECT g, repeat('x', 100) FROM generate_series(1, 3000) g",
                "INSERT INTO stopped.middle SELECT g, repeat('x', 100) FROM generate_series(1, 2000) g",
                "INSERT INTO stopped.small SELECT g, repeat('x', 100) FROM generate_series(1, 1000) g");
        LoadAbort abort = new LoadAbort();
        List<CopiedTable> reported = Collections.synchronizedList(new ArrayList<>());
        LoadOptions oneWorker = new LoadOptions(1, Long.MAX_VALUE, Duration.ofSeconds(30));

        // The abort arrives while the first table's answer is being published: one worker, so nothing else runs.
        assertThatThrownBy(() -> new FullLoad(oneWorker).run(db.pair(List.of("stopped")), names("fl_stopped"),
                table -> {
                    reported.add(table);
                    abort.abort("migration m-1 was aborted");
                }, abort))
                .isInstanceOf(StepFailure.class)
                .hasMessageContaining("the full load was stopped: migration m-1 was aborted");

        assertThat(reported).hasSize(1);
        assertThat(db.countOnTarget("SELECT (SELECT count(*) FROM stopped.big) + (SELECT count(*) FROM stopped.middle)"
                + " + (SELECT count(*) FROM stopped.small)")).isEqualTo(reported.getFirst().rows());
        assertThat(db.countOnSource("SELECT count(*) FROM pg_replication_slots WHERE slot_name = 'cutover_slot_fl_stopped'"))
                .isZero();
    }

    private String slotLsnOnSource(String slot) {
        return db.textOnSource("SELECT confirmed_flush_lsn::text FROM pg_replication_slots WHERE slot_name = '"
                + slot + "'");
    }

    private long changesInSlot(String slot, String publication) {
        return db.countOnSource("SELECT count(*) FROM pg_logical_slot_peek_binary_changes('" + slot
                + "', NULL, NULL, 'proto_version', '1', 'publication_names', '" + publication + "')");
    }

    private static int pid(Statement statement) throws SQLException {
        try (ResultSet row = statement.executeQuery("SELECT pg_backend_pid()")) {
            row.next();
            return row.getInt(1);
        }
    }
}
