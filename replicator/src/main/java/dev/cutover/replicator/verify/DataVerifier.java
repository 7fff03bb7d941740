package dev.cutover.replicator.verify;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.Queue;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.cutover.platform.database.DatabasePair;
import dev.cutover.platform.database.Endpoint;
import dev.cutover.platform.database.LoadTables;
import dev.cutover.platform.database.SchemaScope;
import dev.cutover.replicator.postgres.Failures;
import dev.cutover.replicator.postgres.KeySample;
import dev.cutover.replicator.postgres.Sql;
import dev.cutover.replicator.postgres.TableName;

/**
 * Compares every moved table between source and target: both servers sum row hashes per key range, each range
 * scanned on both at the same time, several tables (or parts of one large table) at once, and only the sums cross
 * the network.
 */
public final class DataVerifier {

    private static final Logger log = LoggerFactory.getLogger(DataVerifier.class);

    /** More ranges than this make the bucket array itself the cost; tables that large get coarser ranges. */
    private static final int MAX_RANGES = 1000;
    /** PostgreSQL's usual page size, to turn a size into pages for the estimate of a table never analysed. */
    private static final long BLOCK_SIZE = 8192;

    /**
     * Settings that decide how values print; both sides must print a value alike to hash it alike. Floats hash in
     * their binary form where a column holds them; inside a range or a composite they print, and only
     * {@code extra_float_digits = 0} prints them alike on every version (12 and later print the shortest exact form
     * for any positive value, 11 prints 17 digits for 3).
     */
    private static final List<String> SAME_TEXT = List.of("SET TimeZone = 'UTC'", "SET DateStyle = 'ISO, YMD'",
            "SET IntervalStyle = 'postgres'", "SET bytea_output = 'hex'", "SET extra_float_digits = 0",
            "SET lc_monetary = 'C'");

    private final long rowsPerRange;
    private final int workers;

    /** @param rowsPerRange about how many rows one checksum covers: smaller ranges name a difference more precisely */
    public DataVerifier(long rowsPerRange) {
        this(rowsPerRange, 1);
    }

    /**
     * @param rowsPerRange about how many rows one checksum covers: smaller ranges name a difference more precisely
     * @param workers      how many scans run at once on each server: tables side by side, and a large table's ranges
     *                     split among them, so that one table holding most of the bytes does not verify alone
     */
    public DataVerifier(long rowsPerRange, int workers) {
        if (rowsPerRange < 1) {
            throw new IllegalArgumentException("rows per range must be positive, was " + rowsPerRange);
        }
        if (workers < 1) {
            throw new IllegalArgumentException("verification needs at least one worker, was " + workers);
        }
        this.rowsPerRange = rowsPerRange;
        this.workers = workers;
    }

    /** How many groups of a table's sampled ranges each worker takes, for a table in key order. */
    private static final int GROUPS_PER_WORKER = 4;

    /** Changed rows looked up by key in one statement: the keys are inline, so the statement must stay reasonable. */
    private static final int KEYS_PER_LOOKUP = 1000;
    /**
     * Past this share of a range's rows changed, the range is read whole: looking that many rows up by key costs about
     * as much as reading them all in order.
     */
    private static final int LOOKUP_SHARE = 50;

    /**
     * One table to compare: its columns, its key ranges, about how many rows it holds, and what to compare.
     *
     * @param runs      the ranges compared whole
     * @param lookups   for ranges not compared whole, the keys of their changed rows, compared row by row
     * @param scattered whether the key's order is not the table's pages' (random keys such as uuids), so that each
     *                  range's rows lie all over its pages
     */
    private record TablePlan(TableName table, List<HashedColumn> columns, KeyRanges ranges, long rows,
            List<RangeSample.Run> runs, Map<Integer, List<String>> lookups, boolean scattered) {

        int checked() {
            return runs.stream().mapToInt(RangeSample.Run::length).sum();
        }

        long looked() {
            return lookups.values().stream().mapToLong(List::size).sum();
        }
    }

    /**
     * Some of a table's ranges (or the changed rows of some), scanned on both servers by one worker.
     *
     * @param what what it reads, for the log of where the time went, e.g. {@code ranges 0-499}
     */
    private record Slice(TablePlan plan, String what, String sql, long rows) {
    }

    /** How long a slice took on each server, for the log of where a verification's time went. */
    private record Took(Slice slice, long sourceMillis, long targetMillis) {

        long longer() {
            return Math.max(sourceMillis, targetMillis);
        }

        @Override
        public String toString() {
            return slice.plan().table() + " " + slice.what() + " " + sourceMillis + "/" + targetMillis + " ms";
        }
    }

    /** Each table's range sums on one side, merged from its slices. */
    private static final class Sums {

        private final Map<TableName, Map<Integer, RangeSum>> byTable = new HashMap<>();

        /** Adds up: a range's changed rows may be looked up in several slices. */
        synchronized void add(TableName table, Map<Integer, RangeSum> sums) {
            Map<Integer, RangeSum> all = byTable.computeIfAbsent(table, key -> new HashMap<>());
            sums.forEach((range, sum) -> all.merge(range, sum, RangeSum::plus));
        }

        synchronized Map<Integer, RangeSum> of(TableName table) {
            return byTable.getOrDefault(table, Map.of());
        }
    }

    /** Compares every range of every table. */
    public Verification verify(DatabasePair pair) {
        return verify(pair, new VerificationScope.Full());
    }

    public Verification verify(DatabasePair pair, VerificationScope scope) {
        Endpoint source = pair.source();
        Endpoint target = pair.target();
        long started = System.nanoTime();
        List<TablePlan> plans = new ArrayList<>();
        try (Connection from = source.connect(); Connection to = scope instanceof VerificationScope.Sampled
                ? target.connect() : null) {
            // The load's own list, which carries each table's row estimate: no query per table for it.
            for (LoadTables.LoadTable listed : LoadTables.of(from, pair.schemasOn(from))) {
                if (SchemaScope.CUTOVER_SCHEMA.equals(listed.schema())) {
                    // The project's own bookkeeping, not the application's data: lag-monitor rewrites the heartbeat
                    // on the source every interval, so compared while it streams it differs by what replication has
                    // not applied yet, a false alarm.
                    continue;
                }
                TableName table = new TableName(listed.schema(), listed.name());
                long planning = System.nanoTime();
                long rows = estimatedRows(listed);
                KeyRanges ranges = ranges(from, table, rows, scope);
                List<HashedColumn> columns = columns(from, table);
                plans.add(switch (scope) {
                    case VerificationScope.Full full -> new TablePlan(table, columns, ranges, rows,
                            List.of(new RangeSample.Run(0, ranges.count() - 1)), Map.of(), false);
                    case VerificationScope.Sampled sampled -> sampledPlan(table, columns, ranges, rows, sampled,
                            changes(to, table, ranges, rows, target), scattered(from, table, ranges)
                                    ? OptionalDouble.of(rowsPerPage(listed, rows)) : OptionalDouble.empty());
                });
                log.debug("planned the verification of {} in {} ms", table, (System.nanoTime() - planning) / 1_000_000);
            }
        } catch (SQLException e) {
            throw Failures.of("planning the data's verification", scope instanceof VerificationScope.Sampled
                    ? source.describe() + " and " + target.describe() : source.describe(), e);
        }
        Queue<Slice> slices = new ConcurrentLinkedQueue<>(slices(plans).stream()
                .sorted(Comparator.comparingLong(Slice::rows).reversed()).toList());
        Sums onSource = new Sums();
        Sums onTarget = new Sums();
        long planned = System.nanoTime();
        Queue<Took> took = new ConcurrentLinkedQueue<>();
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<?>> running = new ArrayList<>();
            for (int worker = 0; worker < Math.min(workers, slices.size()); worker++) {
                running.add(threads.submit(() -> {
                    scan(source, target, slices, onSource, onTarget, took, threads);
                    return null;
                }));
            }
            for (Future<?> worker : running) {
                worker.get();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while verifying the data", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException failure) {
                throw failure;
            }
            throw new IllegalStateException(e.getCause().getMessage(), e.getCause());
        }
        List<Mismatch> mismatches = new ArrayList<>();
        long rows = 0;
        long looked = 0;
        int checked = 0;
        int total = 0;
        for (TablePlan plan : plans) {
            Map<Integer, RangeSum> left = onSource.of(plan.table());
            Map<Integer, RangeSum> right = onTarget.of(plan.table());
            List<Mismatch> found = Comparison.of(plan.table().toString(), plan.ranges(), left, right);
            rows += left.values().stream().mapToLong(RangeSum::rows).sum();
            checked += plan.checked();
            looked += plan.looked();
            total += plan.ranges().count();
            log.debug("verified {} in {} of {} ranges and {} changed rows: {} mismatches", plan.table(), plan.checked(),
                    plan.ranges().count(), plan.looked(), found.size());
            mismatches.addAll(found);
        }
        logWhereTheTimeWent(plans.size(), took, planned - started, System.nanoTime() - planned);
        return new Verification(plans.size(), rows, mismatches, scope, checked, total, looked);
    }

    /**
     * The sample and every range changed since streaming began: ranges where many rows changed are compared whole,
     * the others only in their changed rows, looked up by key. Nothing else of the table is read: no row count, which
     * would read every row (or every key) on both servers, the cost of a full check's reading without its proof; that
     * every row was copied the load proved itself, each copy task failing unless the target stored every row the
     * source sent (see {@code docs/decisions.md}, decision 132).
     *
     * @param scatteredRowsPerPage for a table whose key's order is not its pages' (random keys such as uuids), how many
     *                             rows its pages hold on average: its sample is that many times smaller, so that it
     *                             reads about the fraction of the table's pages a sample of a table in key order reads
     *                             (a range of random keys lies all over the table's pages, and is itself a random
     *                             sample of its rows)
     */
    private static TablePlan sampledPlan(TableName table, List<HashedColumn> columns, KeyRanges ranges, long rows,
            VerificationScope.Sampled sampled, ChangeRecord.Changes changes, OptionalDouble scatteredRowsPerPage) {
        double fraction = sampled.fraction() / Math.max(1, scatteredRowsPerPage.orElse(1));
        SortedSet<Integer> whole = RangeSample.pick(table, ranges.count(), fraction, sampled.seed(),
                changes.whole());
        Map<Integer, List<String>> lookups = new TreeMap<>();
        changes.ranges().forEach((range, keys) -> keys.filter(list -> !whole.contains(range))
                .ifPresent(list -> lookups.put(range, list)));
        return new TablePlan(table, columns, ranges, rows, RangeSample.runs(whole), lookups,
                scatteredRowsPerPage.isPresent());
    }

    private static double rowsPerPage(LoadTables.LoadTable table, long rows) {
        return (double) rows / Math.max(1, table.bytes() / BLOCK_SIZE);
    }

    /**
     * Whether the table's rows lie in its key's order on its pages so loosely that a range is read only by reading
     * the whole table: the planner's own measure, {@code pg_stats.correlation} of the key column, under 0.5 either way.
     * A table never analysed is taken to be in order, as before this measure was used.
     */
    private static boolean scattered(Connection source, TableName table, KeyRanges ranges) throws SQLException {
        if (ranges.bounds().isEmpty()) {
            return false;
        }
        try (PreparedStatement statement = source.prepareStatement("SELECT correlation FROM pg_catalog.pg_stats"
                + " WHERE schemaname = ? AND tablename = ? AND attname = ? AND NOT inherited")) {
            statement.setString(1, table.schema());
            statement.setString(2, table.name());
            statement.setString(3, ranges.column());
            try (ResultSet row = statement.executeQuery()) {
                return row.next() && row.getObject(1) != null && Math.abs(row.getDouble(1)) < 0.5;
            }
        }
    }

    /** What the change record says of a table; a table it cannot vouch for is compared whole. */
    private static ChangeRecord.Changes changes(Connection target, TableName table, KeyRanges ranges, long rows,
            Endpoint where) {
        int limit = (int) Math.min(Integer.MAX_VALUE, rows / ranges.count() / LOOKUP_SHARE);
        try {
            return ChangeRecord.changes(target, table, ranges, limit).orElseGet(() -> {
                Map<Integer, Optional<List<String>>> every = new HashMap<>();
                IntStream.range(0, ranges.count()).forEach(range -> every.put(range, Optional.empty()));
                return new ChangeRecord.Changes(every);
            });
        } catch (SQLException e) {
            throw Failures.of("reading the record of changed rows (" + ChangeRecord.KEYS + ")", where.describe(), e);
        }
    }

    /**
     * A run of ranges that could keep several workers busy is cut into one slice per worker, so that the biggest
     * table does not verify alone at the end; every other run is one slice.
     */
    private List<Slice> slices(List<TablePlan> plans) {
        List<Slice> slices = new ArrayList<>();
        for (TablePlan plan : plans) {
            int buckets = plan.ranges().count();
            List<RangeSample.Run> runs = plan.runs();
            if (runs.size() == 1) {
                RangeSample.Run run = runs.getFirst();
                int parts = Math.min(workers, run.length());
                for (int part = 0; part < parts; part++) {
                    int first = run.first() + run.length() * part / parts;
                    int last = run.first() + run.length() * (part + 1) / parts - 1;
                    slices.add(new Slice(plan, "ranges " + first + "-" + last,
                            rangeSums(plan.table(), plan.columns(), plan.ranges(), first, last),
                            plan.rows() * (last - first + 1) / buckets));
                }
            } else {
                // Scattered ranges are read a group at a time, one statement each. A table keyed by random values
                // holds a range's rows all over its pages, and one scan for several ranges reads them once: one group
                // per worker. A table in key order gets more groups than workers, so that no statement holds many
                // ranges (at 20 GB one of 25 ranges took four times its twin on the target, likely its bitmap turning
                // lossy) and a stretch slow to read on one server is shared by the workers.
                int groups = Math.min(plan.scattered() ? workers : workers * GROUPS_PER_WORKER, runs.size());
                for (int group = 0; group < groups; group++) {
                    List<RangeSample.Run> some = runs.subList(runs.size() * group / groups,
                            runs.size() * (group + 1) / groups);
                    slices.add(new Slice(plan, some.size() + " runs of sampled ranges",
                            runSums(plan.table(), plan.columns(), plan.ranges(), some),
                            plan.rows() * some.stream().mapToInt(RangeSample.Run::length).sum() / buckets));
                }
            }
            // Keys of several ranges share a statement: it sums by range anyway, and changes spread thin over many
            // ranges would otherwise cost a round trip each.
            List<String> keys = plan.lookups().values().stream().flatMap(List::stream).toList();
            for (int from = 0; from < keys.size(); from += KEYS_PER_LOOKUP) {
                List<String> some = keys.subList(from, Math.min(keys.size(), from + KEYS_PER_LOOKUP));
                slices.add(new Slice(plan, some.size() + " changed rows",
                        changedRowSums(plan.table(), plan.columns(), plan.ranges(), some), some.size()));
            }
        }
        return slices;
    }

    /**
     * Planning (each table's key quantiles, the change record) against scanning, and the slices that took longest:
     * what a verification slower than expected is made of.
     */
    private static void logWhereTheTimeWent(int tables, Queue<Took> took, long planningNanos, long scanningNanos) {
        List<Took> longest = took.stream().sorted(Comparator.comparingLong(Took::longer).reversed()).limit(5).toList();
        log.info("verified {} tables in {} ms: planning {} ms, scanning {} ms in {} slices; longest (source/target): {}",
                tables, (planningNanos + scanningNanos) / 1_000_000, planningNanos / 1_000_000,
                scanningNanos / 1_000_000, took.size(), longest);
    }

    /** One worker: its own connection to each server, scanning slices on both at once until none is left. */
    private static void scan(Endpoint source, Endpoint target, Queue<Slice> slices, Sums onSource, Sums onTarget,
            Queue<Took> took, ExecutorService threads) throws InterruptedException {
        try (Connection from = connect(source); Connection to = connect(target)) {
            Slice slice;
            while ((slice = slices.poll()) != null) {
                String sql = slice.sql();
                log.debug("verifying {} {}: {}", slice.plan().table(), slice.what(), sql);
                Future<Timed> there = threads.submit(() -> Timed.of(() -> sums(to, sql, target)));
                Timed here;
                try {
                    here = Timed.of(() -> sums(from, sql, source));
                } finally {
                    // The target's scan ends before its connection closes, whatever happened here.
                    awaitQuietly(there);
                }
                onSource.add(slice.plan().table(), here.sums());
                try {
                    Timed onThere = there.get();
                    took.add(new Took(slice, here.millis(), onThere.millis()));
                    onTarget.add(slice.plan().table(), onThere.sums());
                } catch (ExecutionException e) {
                    throw e.getCause() instanceof RuntimeException failure ? failure
                            : new IllegalStateException(e.getCause().getMessage(), e.getCause());
                }
            }
        } catch (SQLException e) {
            slices.clear();
            throw Failures.of("verifying the data", source.describe() + " and " + target.describe(), e);
        } catch (RuntimeException | InterruptedException e) {
            // The first failure is the verification's: the other workers stop taking slices instead of scanning on.
            slices.clear();
            throw e;
        }
    }

    /** One side's sums of a slice, and how long they took. */
    private record Timed(Map<Integer, RangeSum> sums, long millis) {

        static Timed of(Supplier<Map<Integer, RangeSum>> scan) {
            long started = System.nanoTime();
            Map<Integer, RangeSum> sums = scan.get();
            return new Timed(sums, (System.nanoTime() - started) / 1_000_000);
        }
    }

    private static void awaitQuietly(Future<?> scan) {
        try {
            scan.get();
        } catch (ExecutionException e) {
            // Reported by whoever reads the result.
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static Connection connect(Endpoint endpoint) throws SQLException {
        Connection connection = endpoint.connect();
        try {
            sameText(connection);
            return connection;
        } catch (SQLException e) {
            connection.close();
            throw e;
        }
    }

    static String rangeSums(TableName table, List<HashedColumn> columns, KeyRanges ranges) {
        return rangeSums(table, columns, ranges, 0, ranges.bounds().size());
    }

    /** The sums of the buckets of several runs, in one statement. */
    static String runSums(TableName table, List<HashedColumn> columns, KeyRanges ranges, List<RangeSample.Run> runs) {
        return bucketSums(table, columns, ranges, " WHERE " + runs.stream()
                .map(run -> "(" + ranges.condition(run.first(), run.last()) + ")")
                .collect(Collectors.joining(" OR ")));
    }

    /** The sums of the rows with these keys, by bucket, each looked up through the key's index. */
    static String changedRowSums(TableName table, List<HashedColumn> columns, KeyRanges ranges, List<String> keys) {
        return bucketSums(table, columns, ranges, " WHERE r." + Sql.identifier(ranges.column()) + " IN (" + keys.stream()
                .map(key -> Sql.literal(key) + "::" + ranges.type()).collect(Collectors.joining(", ")) + ")");
    }

    /** The sums of buckets {@code first} to {@code last}, reading only their rows (through the key's index). */
    static String rangeSums(TableName table, List<HashedColumn> columns, KeyRanges ranges, int first, int last) {
        return bucketSums(table, columns, ranges, ranges.where(first, last));
    }

    /**
     * The count and hash sum of each bucket of the rows {@code where} keeps. The buckets are computed in a subquery the
     * planner keeps whole ({@code OFFSET 0}): grouped directly, PostgreSQL takes the bucket expression to have as many
     * values as the key itself, expects a group per row, and sorts every row it reads, in temporary files of the
     * slice's size (a 20 GB table filled the disk), where a hash of a few thousand buckets is all it needs; over the
     * subquery's output it expects few groups and hashes them, in half the CPU of the sort.
     */
    private static String bucketSums(TableName table, List<HashedColumn> columns, KeyRanges ranges, String where) {
        return "SELECT bucket, count(*), coalesce(sum(h), 0) FROM (SELECT " + ranges.bucketExpression()
                + " AS bucket, " + RowHash.expression(columns) + " AS h FROM ONLY " + table.quoted() + " r" + where
                + " OFFSET 0) buckets GROUP BY 1";
    }

    private static void sameText(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            for (String setting : SAME_TEXT) {
                statement.execute(setting);
            }
        }
    }

    private static Map<Integer, RangeSum> sums(Connection connection, String sql, Endpoint where) {
        Map<Integer, RangeSum> sums = new HashMap<>();
        try (Statement statement = connection.createStatement(); ResultSet rows = statement.executeQuery(sql)) {
            while (rows.next()) {
                BigDecimal checksum = rows.getBigDecimal(3);
                sums.put(rows.getInt(1), new RangeSum(rows.getLong(2), checksum));
            }
        } catch (SQLException e) {
            throw Failures.of("verifying the data", where.describe(), e);
        }
        return sums;
    }

    /** The table's columns, with the binary output function for types whose text form changed across versions. */
    private static List<HashedColumn> columns(Connection source, TableName table) throws SQLException {
        List<HashedColumn> columns = new ArrayList<>();
        try (PreparedStatement statement = source.prepareStatement("""
                SELECT a.attname,
                       CASE WHEN (CASE WHEN b.typcategory = 'A' THEN b.typelem ELSE b.oid END) IN
                                 ('float4'::regtype, 'float8'::regtype, 'point'::regtype, 'lseg'::regtype,
                                  'line'::regtype, 'box'::regtype, 'path'::regtype, 'polygon'::regtype,
                                  'circle'::regtype)
                            THEN b.typsend::text END
                FROM pg_attribute a
                JOIN pg_type t ON t.oid = a.atttypid
                JOIN pg_type b ON b.oid = CASE WHEN t.typtype = 'd' THEN t.typbasetype ELSE t.oid END
                WHERE a.attrelid = ?::regclass AND a.attnum > 0 AND NOT a.attisdropped
                ORDER BY a.attnum""")) {
            statement.setString(1, table.quoted());
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    columns.add(new HashedColumn(rows.getString(1), Optional.ofNullable(rows.getString(2))));
                }
            }
        }
        return columns;
    }

    /** About how many rows the table holds, from its statistics, else from its size. */
    private static long estimatedRows(LoadTables.LoadTable table) {
        // Never analysed (or analysed empty): assume small rows, so that ranges err on the fine side.
        return table.estimatedRows().stream().filter(rows -> rows > 0).findFirst()
                .orElse(table.bytes() / BLOCK_SIZE * 100);
    }

    private KeyRanges ranges(Connection source, TableName table, long rows, VerificationScope scope)
            throws SQLException {
        Optional<KeySample.KeyColumn> key = KeySample.leadingKeyColumn(source, table);
        if (key.isEmpty()) {
            return KeyRanges.whole();
        }
        int bounds = (int) Math.min(MAX_RANGES - 1, (rows + rowsPerRange - 1) / rowsPerRange - 1);
        if (bounds < 1) {
            return new KeyRanges(key.get().column(), key.get().type(), List.of());
        }
        long blocks;
        try (PreparedStatement statement = source.prepareStatement(
                "SELECT pg_relation_size(?::regclass) / current_setting('block_size')::bigint")) {
            statement.setString(1, table.quoted());
            try (ResultSet row = statement.executeQuery()) {
                row.next();
                blocks = row.getLong(1);
            }
        }
        // A sampled verification's seed also picks the blocks the bounds come from, so that it can be repeated.
        List<String> quantiles = switch (scope) {
            case VerificationScope.Full full -> KeySample.quantiles(source, table, key.get().column(), bounds, blocks);
            case VerificationScope.Sampled sampled -> KeySample.quantiles(source, table, key.get().column(), bounds,
                    blocks, sampled.seed());
        };
        return new KeyRanges(key.get().column(), key.get().type(), quantiles);
    }
}
