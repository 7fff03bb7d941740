package dev.cutover.replicator.copy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import dev.cutover.platform.database.DatabasePair;
import dev.cutover.platform.database.Endpoint;
import dev.cutover.replicator.postgres.Lsn;
import dev.cutover.replicator.postgres.Publications;
import dev.cutover.replicator.postgres.ReplicationNames;
import dev.cutover.replicator.postgres.TableName;
import dev.cutover.replicator.streaming.Streaming;
import dev.cutover.replicator.testing.TestDatabase;
import dev.cutover.replicator.verify.DataVerifier;
import dev.cutover.replicator.verify.Verification;
import dev.cutover.stack.LocalStack;
import dev.cutover.stack.SharedStackExtension;

/**
 * A load interrupted by a crash taken up with the replicator's own pieces, 11 -> 17: {@link LoadResume} given the
 * tables the load reported copied keeps those the target still holds, withholds the rest, and
 * {@link Streaming#start(DatabasePair, ReplicationNames, List, Duration)} subscribes at the slot's point, hands the
 * withheld tables to table synchronisation and returns once every table is ready; a writer runs throughout.
 */
@ExtendWith(SharedStackExtension.class)
class LoadResumeIntegrationTest {

    private static final int SEED = 3000;
    private static final long MAX_WRITES = 400_000;
    private static final Duration PATIENCE = Duration.ofSeconds(90);
    private static final List<String> TABLES = List.of("kept_a", "kept_b", "partial", "untouched");

    private static TestDatabase db;

    @BeforeAll
    static void createDatabase(LocalStack stack) {
        db = TestDatabase.create("load_resume", stack.source(), stack.target());
        for (String table : TABLES) {
            db.onBoth("CREATE SCHEMA IF NOT EXISTS resume",
                    "CREATE TABLE resume." + table + " (id bigint PRIMARY KEY, n bigint, note text)");
            db.onSource("INSERT INTO resume." + table + " SELECT g, g, 'seed' FROM generate_series(1, " + SEED + ") g");
        }
    }

    @Test
    void aLoadTakenUpAfterACrashKeepsTheTablesItFinishedAndHasTheRestSynchronisedBeforeItStreams() throws Exception {
        DatabasePair pair = db.pair(List.of("resume"));
        Endpoint source = pair.source();
        ReplicationNames names = ReplicationNames.forDatabase("load_resume");
        Streaming streaming = new Streaming(Duration.ofSeconds(10));
        AtomicLong writes = new AtomicLong();
        AtomicBoolean stop = new AtomicBoolean();
        AtomicReference<Throwable> writerFailure = new AtomicReference<>();
        Thread writer = Thread.ofPlatform().name("writer").start(() -> write(writes, stop, writerFailure));
        try {
            awaitMoreWrites(writes, 200);

            // The interrupted load, as FullLoad makes it: publication, slot at L1 with its snapshot, two tables
            // copied whole and reported, one range of a third, then the process gone.
            List<SourceTable> described;
            try (Connection from = source.connect()) {
                List<TableName> all = TABLES.stream().map(table -> new TableName("resume", table)).toList();
                Publications.recreate(from, names.publication(), all, source.describe());
                described = new SourceCatalog(from).describe(all, Long.MAX_VALUE);
            }
            Map<String, SourceTable> byName = described.stream()
                    .collect(Collectors.toMap(table -> table.name().name(), table -> table));
            SnapshotSlot slot = SnapshotSlot.create(source, names.slot(), Duration.ofSeconds(30));
            Lsn consistentPoint = slot.snapshot().consistentPoint();
            List<CopyTask> interrupted = List.of(
                    new CopyTask(byName.get("kept_a"), new CopyRange.All(), 1, 0),
                    new CopyTask(byName.get("kept_b"), new CopyRange.All(), 1, 0),
                    new CopyTask(byName.get("partial"),
                            new CopyRange.Keys("id", "bigint", Optional.empty(), Optional.of("1000")), 2, 0));
            Map<String, Long> copied = new ConcurrentHashMap<>();
            new ParallelCopy(source, pair.target(), slot.snapshot().snapshotName(), interrupted, 2,
                    table -> copied.put(table.table(), table.rows()), new LoadAbort()).run(slot::close);
            slot.close();
            assertThat(copied).as("TableCopied of the interrupted load").containsOnlyKeys("resume.kept_a", "resume.kept_b");
            String copiedBy = db.textOnTarget("SELECT string_agg(DISTINCT xmin::text, ',') FROM resume.kept_a");
            String fileOfKeptA = db.textOnTarget("SELECT pg_relation_filenode('resume.kept_a')::text");
            awaitMoreWrites(writes, 300);

            // CopyData again, with what the saga recorded: the two tables, and a count for the partial one that its
            // rows on the target do not match (as for a split table some of whose ranges were reported).
            Map<String, Long> reported = new HashMap<>(copied);
            reported.put("resume.partial", 1_000_000L);
            ResumedLoad resumed = LoadResume.resume(pair, names, reported).orElseThrow();
            ResumedLoad repeated = LoadResume.resume(pair, names, reported).orElseThrow();

            assertThat(resumed.consistentPoint()).isEqualTo(consistentPoint);
            assertThat(resumed.kept()).isEqualTo(Map.of(new TableName("resume", "kept_a"), copied.get("resume.kept_a"),
                    new TableName("resume", "kept_b"), copied.get("resume.kept_b")));
            assertThat(resumed.withheld()).containsExactly(new TableName("resume", "partial"),
                    new TableName("resume", "untouched"));
            assertThat(repeated).as("taken up again after another crash: the same").isEqualTo(resumed);
            assertThat(db.textOnSource("SELECT string_agg(tablename, ',' ORDER BY tablename) FROM pg_publication_tables"
                    + " WHERE pubname = '" + names.publication() + "'")).isEqualTo("kept_a,kept_b");
            assertThat(db.countOnTarget("SELECT count(*) FROM resume.partial")).as("withheld tables emptied").isZero();

            streaming.start(pair, names, resumed.withheld(), PATIENCE);

            assertThat(subscribedTables(names)).as("every table ready when streaming is reported")
                    .isEqualTo(Map.of("kept_a", "r", "kept_b", "r", "partial", "r", "untouched", "r"));
            streaming.start(pair, names, resumed.withheld(), PATIENCE);
            awaitMoreWrites(writes, 300);
            stop.set(true);
            writer.join();
            assertThat(writerFailure.get()).isNull();
            Lsn end = Lsn.parse(db.textOnSource("SELECT pg_current_wal_lsn()::text"));
            await().atMost(PATIENCE).until(() -> confirmed(names).isAtLeast(end));

            Verification verification = new DataVerifier(500).verify(pair);

            assertThat(verification.mismatches()).isEmpty();
            assertThat(verification.tables()).isEqualTo(TABLES.size());
            assertThat(verification.rows()).isEqualTo(db.countOnSource(
                    "SELECT (SELECT count(*) FROM resume.kept_a) + (SELECT count(*) FROM resume.kept_b)"
                            + " + (SELECT count(*) FROM resume.partial) + (SELECT count(*) FROM resume.untouched)"));
            assertThat(db.textOnTarget("SELECT pg_relation_filenode('resume.kept_a')::text"))
                    .as("kept_a was not emptied again").isEqualTo(fileOfKeptA);
            assertThat(db.countOnTarget("SELECT count(*) FROM resume.kept_a WHERE xmin::text = '" + copiedBy + "'"))
                    .as("kept_a still holds the rows the interrupted load's transaction wrote").isPositive();
            assertThat(db.textOnTarget("""
                    SELECT string_agg(c.relname || ':' || (r.srsublsn IS NOT NULL)::text, ' ' ORDER BY c.relname)
                    FROM pg_subscription_rel r JOIN pg_class c ON c.oid = r.srrelid
                    JOIN pg_subscription s ON s.oid = r.srsubid WHERE s.subname = '%s'""".formatted(names.subscription())))
                    .as("only the withheld tables were copied again, each at its own sync LSN")
                    .isEqualTo("kept_a:false kept_b:false partial:true untouched:true");
        } finally {
            stop.set(true);
            writer.join();
            streaming.stop(pair, names, true);
        }
    }

    private static void awaitMoreWrites(AtomicLong writes, long more) {
        long seen = writes.get();
        await().atMost(PATIENCE).until(() -> writes.get() >= seen + more);
    }

    /** The subscription's tables on the target and the state of each ('r' once ready). */
    private static Map<String, String> subscribedTables(ReplicationNames names) {
        String states = db.textOnTarget("""
                SELECT coalesce(string_agg(c.relname || '=' || r.srsubstate::text, ',' ORDER BY c.relname), '')
                FROM pg_subscription_rel r JOIN pg_class c ON c.oid = r.srrelid
                JOIN pg_subscription s ON s.oid = r.srsubid WHERE s.subname = '%s'""".formatted(names.subscription()));
        return states.isEmpty() ? Map.of() : Arrays.stream(states.split(","))
                .map(pair -> pair.split("=")).collect(Collectors.toMap(pair -> pair[0], pair -> pair[1]));
    }

    private static Lsn confirmed(ReplicationNames names) {
        String lsn = db.textOnSource("SELECT confirmed_flush_lsn::text FROM pg_replication_slots WHERE slot_name = '"
                + names.slot() + "'");
        return lsn == null ? new Lsn(0) : Lsn.parse(lsn);
    }

    /**
     * Inserts, updates and deletes in every table in turn, each its own transaction: a change lost or applied twice
     * shows as a missing row, a duplicate key that stops the apply worker, or a counter that differs.
     */
    private static void write(AtomicLong writes, AtomicBoolean stop, AtomicReference<Throwable> failure) {
        try (Connection connection = TestDatabase.endpoint(db.source(), db.name()).connect()) {
            List<PreparedStatement> inserts = statements(connection, "INSERT INTO resume.%s VALUES (?, ?, 'insert')");
            List<PreparedStatement> updates = statements(connection,
                    "UPDATE resume.%s SET n = n + ?, note = 'update' WHERE id = ?");
            List<PreparedStatement> deletes = statements(connection, "DELETE FROM resume.%s WHERE id = ?");
            for (long i = 0; i < MAX_WRITES && !stop.get(); i++) {
                int table = (int) (i % TABLES.size());
                long step = i / TABLES.size();
                switch ((int) (step % 3)) {
                    case 0 -> {
                        PreparedStatement insert = inserts.get(table);
                        insert.setLong(1, SEED + 1 + step);
                        insert.setLong(2, step);
                        insert.executeUpdate();
                    }
                    case 1 -> {
                        PreparedStatement update = updates.get(table);
                        update.setLong(1, step);
                        update.setLong(2, step * 7919 % (SEED + step) + 1);
                        update.executeUpdate();
                    }
                    default -> {
                        PreparedStatement delete = deletes.get(table);
                        delete.setLong(1, step / 3 * 7 % SEED + 1);
                        delete.executeUpdate();
                    }
                }
                writes.incrementAndGet();
            }
        } catch (SQLException | RuntimeException e) {
            failure.set(e);
        }
    }

    private static List<PreparedStatement> statements(Connection connection, String sql) throws SQLException {
        List<PreparedStatement> prepared = new ArrayList<>();
        for (String table : TABLES) {
            prepared.add(connection.prepareStatement(sql.formatted(table)));
        }
        return prepared;
    }
}
