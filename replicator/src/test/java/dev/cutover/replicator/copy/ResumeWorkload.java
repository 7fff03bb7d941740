package dev.cutover.replicator.copy;

import static org.awaitility.Awaitility.await;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;

import dev.cutover.platform.database.DatabasePair;
import dev.cutover.platform.database.Endpoint;
import dev.cutover.replicator.postgres.Lsn;
import dev.cutover.replicator.postgres.Publications;
import dev.cutover.replicator.postgres.ReplicationNames;
import dev.cutover.replicator.postgres.TableName;
import dev.cutover.replicator.testing.TestDatabase;

/**
 * The tables and the writer of the resumed-load tests: four tables in schema {@code resume} seeded on the source, and
 * a writer that inserts, updates and deletes in every table in turn, each its own transaction, so that a change lost
 * or applied twice shows as a missing row, a duplicate key that stops the apply worker, or a counter that differs.
 */
final class ResumeWorkload implements AutoCloseable {

    static final int SEED = 3000;
    static final Duration PATIENCE = Duration.ofSeconds(90);
    static final List<String> TABLES = List.of("kept_a", "kept_b", "partial", "untouched");

    private static final long MAX_WRITES = 400_000;

    private final TestDatabase db;
    private final AtomicLong writes = new AtomicLong();
    private final AtomicBoolean stop = new AtomicBoolean();
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private final Thread writer;

    private ResumeWorkload(TestDatabase db) {
        this.db = db;
        this.writer = Thread.ofPlatform().name("writer").start(this::write);
    }

    static void seed(TestDatabase db) {
        for (String table : TABLES) {
            db.onBoth("CREATE SCHEMA IF NOT EXISTS resume",
                    "CREATE TABLE resume." + table + " (id bigint PRIMARY KEY, n bigint, note text)");
            db.onSource("INSERT INTO resume." + table + " SELECT g, g, 'seed' FROM generate_series(1, " + SEED + ") g");
        }
    }

    static ResumeWorkload start(TestDatabase db) {
        return new ResumeWorkload(db);
    }

    void awaitMoreWrites(long more) {
        long seen = writes.get();
        await().atMost(PATIENCE).until(() -> writes.get() >= seen + more);
    }

    /** Stops the writer and returns what made it fail, if anything did. */
    Throwable stopWriting() throws InterruptedException {
        stop.set(true);
        writer.join();
        return failure.get();
    }

    @Override
    public void close() throws InterruptedException {
        stopWriting();
    }

    /** The subscription's tables on the target and the state of each ('r' once ready). */
    Map<String, String> subscribedTables(ReplicationNames names) {
        String states = db.textOnTarget("""
                SELECT coalesce(string_agg(c.relname || '=' || r.srsubstate::text, ',' ORDER BY c.relname), '')
                FROM pg_subscription_rel r JOIN pg_class c ON c.oid = r.srrelid
                JOIN pg_subscription s ON s.oid = r.srsubid WHERE s.subname = '%s'""".formatted(names.subscription()));
        return states.isEmpty() ? Map.of() : Arrays.stream(states.split(","))
                .map(pair -> pair.split("=")).collect(Collectors.toMap(pair -> pair[0], pair -> pair[1]));
    }

    /** Whether each table of the subscription was copied again by table synchronisation (its sync LSN is set). */
    String synchronisedAgain(ReplicationNames names) {
        return db.textOnTarget("""
                SELECT string_agg(c.relname || ':' || (r.srsublsn IS NOT NULL)::text, ' ' ORDER BY c.relname)
                FROM pg_subscription_rel r JOIN pg_class c ON c.oid = r.srrelid
                JOIN pg_subscription s ON s.oid = r.srsubid WHERE s.subname = '%s'""".formatted(names.subscription()));
    }

    Lsn confirmed(ReplicationNames names) {
        String lsn = db.textOnSource("SELECT confirmed_flush_lsn::text FROM pg_replication_slots WHERE slot_name = '"
                + names.slot() + "'");
        return lsn == null ? new Lsn(0) : Lsn.parse(lsn);
    }

    /** Every row of the four tables on the source. */
    long rowsOnSource() {
        return db.countOnSource("SELECT (SELECT count(*) FROM resume.kept_a) + (SELECT count(*) FROM resume.kept_b)"
                + " + (SELECT count(*) FROM resume.partial) + (SELECT count(*) FROM resume.untouched)");
    }

    /** What the interrupted load left: its slot's consistent point and the tables it reported copied, with rows. */
    record Interrupted(Lsn consistentPoint, Map<String, Long> reported) {
    }

    /**
     * A load interrupted as the full load would be: the publication, the slot at L1 with its exported snapshot,
     * {@code kept_a} and {@code kept_b} copied whole and reported, ids below 1,000 of {@code partial} copied, then the
     * process gone (the snapshot's connection closed as soon as the workers held it). {@code untouched} is never read.
     */
    static Interrupted interruptLoad(DatabasePair pair, ReplicationNames names) throws SQLException {
        Endpoint source = pair.source();
        List<SourceTable> described;
        try (Connection from = source.connect()) {
            List<TableName> all = TABLES.stream().map(table -> new TableName("resume", table)).toList();
            Publications.recreate(from, names.publication(), all, source.describe());
            described = new SourceCatalog(from).describe(all, Long.MAX_VALUE);
        }
        Map<String, SourceTable> byName = described.stream()
                .collect(Collectors.toMap(table -> table.name().name(), table -> table));
        LoadRecord.clear(pair.target(), names.slot());
        SnapshotSlot slot = SnapshotSlot.create(source, names.slot(), Duration.ofSeconds(30));
        Lsn consistentPoint = slot.snapshot().consistentPoint();
        List<CopyTask> interrupted = List.of(
                new CopyTask(byName.get("kept_a"), new CopyRange.All(), 1, 0),
                new CopyTask(byName.get("kept_b"), new CopyRange.All(), 1, 0),
                new CopyTask(byName.get("partial"),
                        new CopyRange.Keys("id", "bigint", Optional.empty(), Optional.of("1000")), 2, 0));
        Map<String, Long> reported = new ConcurrentHashMap<>();
        new ParallelCopy(source, pair.target(), slot.snapshot().snapshotName(), interrupted, 2,
                LoadRecord.recording(pair.target(), names.slot(), consistentPoint,
                        table -> reported.put(table.table(), table.rows())), new LoadAbort()).run(slot::close);
        slot.close();
        return new Interrupted(consistentPoint, Map.copyOf(reported));
    }

    private void write() {
        try (Connection connection = TestDatabase.endpoint(db.source(), db.name()).connect()) {
            List<PreparedStatement> inserts = statements(connection, "INSERT INTO resume.%s VALUES (?, ?, 'insert')");
            List<PreparedStatement> updates = statements(connection,
                    "UPDATE resume.%s SET n = n + ?, note = 'update' WHERE id = ?");
            List<PreparedStatement> deletes = statements(connection, "DELETE FROM resume.%s WHERE id = ?");
            for (long i = 0; i < MAX_WRITES && !stop.get(); i++) {
                writeOne(inserts, updates, deletes, i);
                writes.incrementAndGet();
            }
        } catch (SQLException | RuntimeException e) {
            failure.set(e);
        }
    }

    private static void writeOne(List<PreparedStatement> inserts, List<PreparedStatement> updates,
            List<PreparedStatement> deletes, long i) throws SQLException {
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
    }

    private static List<PreparedStatement> statements(Connection connection, String sql) throws SQLException {
        List<PreparedStatement> prepared = new ArrayList<>();
        for (String table : TABLES) {
            prepared.add(connection.prepareStatement(sql.formatted(table)));
        }
        return prepared;
    }
}
