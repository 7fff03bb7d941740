package dev.cutover.replicator;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import dev.cutover.platform.database.DatabasePair;
import dev.cutover.platform.database.Endpoint;
import dev.cutover.replicator.copy.FullLoad;
import dev.cutover.replicator.copy.FullLoadResult;
import dev.cutover.replicator.copy.LoadOptions;
import dev.cutover.replicator.postgres.ReplicationNames;
import dev.cutover.replicator.postgres.Slots;
import dev.cutover.schema.pgtools.PgTools;
import dev.cutover.schema.section.BuildMemory;
import dev.cutover.schema.section.PostDataBuilder;
import dev.cutover.schema.section.TablePostData;
import dev.cutover.stack.PostgresServer;

/**
 * Full load plus indexes, PostgreSQL 11 to 17 on this machine: this replicator against native logical
 * replication, pg_dump/pg_restore and pgcopydb, on the same servers and the same generated data. Not a
 * test: run it by hand (see the module's README) and read the table it prints.
 *
 * <p>Arguments: gigabytes of table data to generate (default 2.2), replicator workers (default 2), rounds
 * (default 3; the medians are reported), optionally the methods to run, comma-separated (default {@code all}:
 * {@code cutover,cutover-one-table,cutover-after,cutover-server-memory,native,dump,dump-z0,pgcopydb}), and the data set ({@link BenchmarkData}: {@code shop},
 * the default, or {@code documents}).
 *
 * <p>Every method's time includes the target's statistics, as a target that is to serve needs them: the replicator's
 * post-data analyzes each table (schema-service's {@code Statistics}), pgcopydb runs {@code VACUUM ANALYZE} itself,
 * and the other methods end with {@code vacuumdb --analyze-only -j 2}.
 *
 * <p>{@code cutover} runs the copy and the post-data the way the migration saga does, with the same classes and
 * without Kafka: each table's indexes and keys are built as soon as its copy ends, two tables at once as
 * schema-service builds them, while the other tables are still being copied, with the foreign keys whose two tables
 * are done; after the load the whole section builds the rest. {@code cutover-one-table} builds one table's post-data
 * at a time (schema-service with {@code post-data-tables-at-once=1}), {@code cutover-after} the whole section only
 * after the copy, {@code cutover-server-memory} builds in the target's own {@code maintenance_work_mem} instead of
 * schema-service's 1 GB ({@code post-data-maintenance-work-mem=0}), for comparison.
 */
public final class FullLoadBenchmark {

    private static final String SOURCE_DB = "bench";
    private static final Map<String, String> SETTINGS = Map.of("shared_buffers", "'512MB'", "max_wal_size", "'8GB'",
            "maintenance_work_mem", "'256MB'", "checkpoint_timeout", "'30min'", "max_sync_workers_per_subscription", "2");

    private final PostgresServer source;
    private final PostgresServer target;
    private final Path work;
    private final int workers;
    private final int rounds;

    private FullLoadBenchmark(PostgresServer source, PostgresServer target, Path work, int workers, int rounds) {
        this.rounds = rounds;
        this.source = source;
        this.target = target;
        this.work = work;
        this.workers = workers;
    }

    public static void main(String[] args) throws Exception {
        double gigabytes = args.length > 0 ? Double.parseDouble(args[0]) : 2.2;
        int workers = args.length > 1 ? Integer.parseInt(args[1]) : 2;
        int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 3;
        List<String> only = args.length > 3 && !args[3].equals("all") ? List.of(args[3].split(",")) : List.of();
        BenchmarkData data = BenchmarkData.named(args.length > 4 ? args[4] : "shop", gigabytes);
        // The servers run as the postgres user, who must reach their directories.
        Path work = Files.createDirectories(Path.of("/var/tmp", "cutover-benchmark-" + ProcessHandle.current().pid()));
        Files.setPosixFilePermissions(work, PosixFilePermissions.fromString("rwxr-xr-x"));
        try (PostgresServer source = PostgresServer.start(PostgresServer.Options.of("11.22.1")
                .withDirectory(work.resolve("pg11")).withSettings(SETTINGS));
                PostgresServer target = PostgresServer.start(PostgresServer.Options.of("17.11.0")
                        .withDirectory(work.resolve("pg17")).withSettings(SETTINGS))) {
            new FullLoadBenchmark(source, target, work, workers, rounds).run(data, only);
        } finally {
            new ProcessBuilder("rm", "-rf", work.toString()).inheritIO().start().waitFor();
        }
    }

    private void run(BenchmarkData data, List<String> only) throws Exception {
        say("source PostgreSQL " + source.version() + " at " + source.port() + ", target " + target.version() + " at "
                + target.port() + ", work directory " + work);
        source.createDatabase(SOURCE_DB);
        Instant generating = Instant.now();
        generate(data);
        // Each table with its TOAST: a wide row's text is stored out of line, and copied like any other.
        String tablesOnly = " FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.relkind = 'r'"
                + " AND n.nspname = 'public'";
        long tableBytes = scalar(source, SOURCE_DB, "SELECT sum(pg_table_size(c.oid))" + tablesOnly);
        long biggest = scalar(source, SOURCE_DB, "SELECT max(pg_table_size(c.oid))" + tablesOnly);
        long tables = scalar(source, SOURCE_DB, "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'");
        long indexes = scalar(source, SOURCE_DB, "SELECT count(*) FROM pg_indexes WHERE schemaname = 'public'");
        long foreignKeys = scalar(source, SOURCE_DB, "SELECT count(*) FROM pg_constraint WHERE contype = 'f'");
        long rows = totalRows(source, SOURCE_DB);
        say(String.format(Locale.ROOT, "generated data set %s: %.2f GiB of table data (%d rows) in %d tables, %d indexes,"
                + " %d foreign keys, in %d s; the biggest table holds %.0f%%", data.name(), tableBytes / GIB, rows, tables,
                indexes, foreignKeys, Duration.between(generating, Instant.now()).toSeconds(), 100.0 * biggest / tableBytes));

        Map<String, Method> all = new LinkedHashMap<>();
        all.put("cutover", db -> cutover(db, true, 2, BuildMemory.DEFAULT));
        all.put("cutover-server-memory", db -> cutover(db, true, 2, BuildMemory.SERVER_SETTINGS));
        all.put("cutover-one-table", db -> cutover(db, true, 1, BuildMemory.DEFAULT));
        all.put("cutover-after", db -> cutover(db, false, 2, BuildMemory.DEFAULT));
        all.put("native", this::nativeSubscription);
        all.put("dump", db -> dumpRestore(db, ""));
        all.put("dump-z0", db -> dumpRestore(db, "-Z0"));
        all.put("pgcopydb", this::pgcopydb);
        Map<String, String> labels = Map.of(
                "cutover", "cutover: copy + post-data per table as copied, " + workers + " + " + workers + " workers",
                "cutover-one-table", "cutover: as above, one table's post-data at a time",
                "cutover-server-memory", "cutover: as above, post-data in the target's maintenance_work_mem",
                "cutover-after", "cutover: copy, then post-data, " + workers + " + " + workers + " workers",
                "native", "native subscription copy_data = true + psql post-data",
                "dump", "pg_dump -Fd -j 2 + pg_restore -j 2",
                "dump-z0", "pg_dump -Fd -j 2 -Z0 + pg_restore -j 2",
                "pgcopydb", "pgcopydb clone --table-jobs 2 --index-jobs 2");
        for (String name : only) {
            if (!all.containsKey(name)) {
                throw new IllegalArgumentException("no method " + name + "; the methods are " + all.keySet());
            }
        }
        Map<String, Method> methods = new LinkedHashMap<>();
        all.forEach((name, method) -> {
            if (only.isEmpty() || only.contains(name)) {
                methods.put(labels.get(name), method);
            }
        });
        // Rounds run the methods in turn, so a busy moment of the machine falls on all of them alike.
        Map<String, List<Double>> seconds = new LinkedHashMap<>();
        Map<String, List<Double>> cpu = new LinkedHashMap<>();
        for (int round = 1; round <= rounds; round++) {
            say("== round " + round + " of " + rounds);
            say("   load average " + loadAverage());
            int index = 0;
            for (Map.Entry<String, Method> method : methods.entrySet()) {
                Took took = measure("m" + index++, rows, method.getValue());
                seconds.computeIfAbsent(method.getKey(), key -> new ArrayList<>()).add(took.seconds());
                cpu.computeIfAbsent(method.getKey(), key -> new ArrayList<>()).add(took.cpuSeconds());
            }
        }
        double ours = median(seconds.values().iterator().next());
        say(String.format(Locale.ROOT, "%n%-66s %9s %9s %15s %9s  %s", "method (median of " + rounds + ")", "seconds",
                "MiB/s", "time vs first", "CPU s", "each round (s)"));
        seconds.forEach((method, took) -> say(String.format(Locale.ROOT, "%-66s %9.1f %9.1f %14.2fx %9.1f  %s", method,
                median(took), tableBytes / MIB / median(took), median(took) / ours, median(cpu.get(method)),
                took.stream().map(t -> String.format(Locale.ROOT, "%.1f", t)).toList())));
    }

    private static double median(List<Double> values) {
        List<Double> sorted = values.stream().sorted().toList();
        int middle = sorted.size() / 2;
        return sorted.size() % 2 == 1 ? sorted.get(middle) : (sorted.get(middle - 1) + sorted.get(middle)) / 2;
    }

    private interface Method {
        void load(String targetDb) throws Exception;
    }

    /**
     * @param seconds    wall-clock time
     * @param cpuSeconds CPU time of both servers (every process of theirs), this JVM and the programs it ran: on a
     *                   shared machine it varies less than wall-clock time, and on two cores it is what decides
     */
    private record Took(double seconds, double cpuSeconds) {
    }

    private Took measure(String name, long expectedRows, Method method) throws Exception {
        String targetDb = "bench_" + name;
        target.createDatabase(targetDb);
        say("-- " + name + " into " + targetDb);
        // Dirty pages left by the data generation or the method before are written now, not during this one.
        execute(source, SOURCE_DB, "CHECKPOINT");
        execute(target, "postgres", "CHECKPOINT");
        shell("sync");
        Instant started = Instant.now();
        long cpuBefore = cpuTicks();
        method.load(targetDb);
        double took = Duration.between(started, Instant.now()).toMillis() / 1000.0;
        double cpuSeconds = (cpuTicks() - cpuBefore) / TICKS_PER_SECOND;
        long copied = totalRows(target, targetDb);
        long indexes = scalar(target, targetDb, "SELECT count(*) FROM pg_indexes WHERE schemaname = 'public'");
        long foreignKeys = scalar(target, targetDb, "SELECT count(*) FROM pg_constraint WHERE contype = 'f'");
        say(String.format(Locale.ROOT, "-- %s: %.1f s, %.1f CPU s, %d rows (source %d), %d indexes, %d foreign keys",
                name, took, cpuSeconds, copied, expectedRows, indexes, foreignKeys));
        if (copied != expectedRows) {
            throw new IllegalStateException(name + " copied " + copied + " rows instead of " + expectedRows);
        }
        execute(target, "postgres", "DROP DATABASE " + targetDb);
        return new Took(took, cpuSeconds);
    }

    /** Linux counts process CPU time in /proc in units of 1/100 s (USER_HZ). */
    private static final double TICKS_PER_SECOND = 100;

    /** CPU used so far by both servers' processes, this JVM and every program it ran, in ticks. */
    private long cpuTicks() throws IOException {
        return processTree(postmaster(work.resolve("pg11"))) + processTree(postmaster(work.resolve("pg17")))
                + processTree(ProcessHandle.current().pid());
    }

    private static long postmaster(Path directory) throws IOException {
        return Long.parseLong(Files.readAllLines(directory.resolve("data").resolve("postmaster.pid")).getFirst().strip());
    }

    /** A process's own time, its ended children's (counted once they were waited for) and its live children's. */
    private static long processTree(long pid) throws IOException {
        long ticks = ticks(pid, true);
        for (ProcessHandle child : ProcessHandle.of(pid).map(handle -> handle.children().toList()).orElse(List.of())) {
            try {
                ticks += ticks(child.pid(), false);
            } catch (IOException ended) {
                // It ended after being listed; its time is now its parent's, read above or at the next reading.
            }
        }
        return ticks;
    }

    private static long ticks(long pid, boolean withEndedChildren) throws IOException {
        String stat = Files.readString(Path.of("/proc", String.valueOf(pid), "stat"));
        // The fields after the command name, which may hold spaces and is closed by the last ')'.
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        long ticks = Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
        return withEndedChildren ? ticks + Long.parseLong(fields[13]) + Long.parseLong(fields[14]) : ticks;
    }

    /**
     * The replicator's copy and schema-service's post-data builder. Overlapped, each copied table's post-data is built
     * beside the copy, {@code tablesAtOnce} tables at once, as schema-service builds a migration's tables
     * ({@link TablePostData}, two by default), and
     * the whole section once they are done.
     */
    private void cutover(String targetDb, boolean overlapped, int tablesAtOnce, BuildMemory memory) throws Exception {
        shell("pg_dump --section=pre-data --no-publications --no-subscriptions " + from() + " | psql -q -v ON_ERROR_STOP=1 "
                + to(targetDb));
        Instant copying = Instant.now();
        DatabasePair pair = new DatabasePair(endpoint(source, SOURCE_DB), endpoint(target, targetDb), List.of(),
                List.of("public"));
        ReplicationNames names = ReplicationNames.forDatabase("benchmark");
        PostDataBuilder postData = new PostDataBuilder(new PgTools(null, work.resolve("schema"), Duration.ofHours(1)),
                memory);
        List<RuntimeException> failures = new CopyOnWriteArrayList<>();
        try (TablePostData tables = new TablePostData(tablesAtOnce)) {
            FullLoadResult result = new FullLoad(new LoadOptions(workers, 256L * 1024 * 1024, Duration.ofSeconds(60)))
                    .run(pair, names, table -> {
                        say(String.format(Locale.ROOT, "   %-24s %10d rows %8.1f MB %7.1f s", table.table(), table.rows(),
                                table.bytes() / 1e6, table.took().toMillis() / 1000.0));
                        if (overlapped) {
                            tables.submit(targetDb, () -> {
                                try {
                                    postData.applyTables(pair, workers, List.of(table.table()), targetDb);
                                } catch (RuntimeException e) {
                                    failures.add(e);
                                }
                            });
                        }
                    });
            Instant copied = Instant.now();
            say(String.format(Locale.ROOT, "   copy: %.1f s, %.1f MB/s of COPY stream", Duration.between(copying,
                    copied).toMillis() / 1000.0, result.megabytesPerSecond()));
            tables.awaitAll(targetDb);
            if (!failures.isEmpty()) {
                throw failures.getFirst();
            }
            if (overlapped) {
                postData.apply(pair, workers, targetDb);
            } else {
                postData.apply(pair, workers);
            }
            say(String.format(Locale.ROOT, "   post-data done %.1f s after the copy",
                    Duration.between(copied, Instant.now()).toMillis() / 1000.0));
        }
        try (Connection connection = endpoint(source, SOURCE_DB).connect()) {
            Slots.drop(connection, names.slot(), Duration.ofSeconds(10));
            try (Statement statement = connection.createStatement()) {
                statement.execute("DROP PUBLICATION IF EXISTS " + names.publication());
            }
        }
    }

    private static String loadAverage() throws IOException {
        return Files.readString(Path.of("/proc/loadavg")).strip();
    }

    private void nativeSubscription(String targetDb) throws Exception {
        shell("pg_dump --section=pre-data --no-publications --no-subscriptions " + from() + " | psql -q -v ON_ERROR_STOP=1 "
                + to(targetDb));
        Instant copying = Instant.now();
        execute(source, SOURCE_DB, "CREATE PUBLICATION bench_native FOR ALL TABLES");
        execute(target, targetDb, "CREATE SUBSCRIPTION bench_native CONNECTION 'host=" + source.host() + " port="
                + source.port() + " dbname=" + SOURCE_DB + " user=postgres password=" + source.password()
                + "' PUBLICATION bench_native WITH (copy_data = true)");
        while (scalar(target, targetDb, "SELECT count(*) FROM pg_subscription_rel WHERE srsubstate <> 'r'") > 0
                || scalar(target, targetDb, "SELECT count(*) FROM pg_subscription_rel") == 0) {
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(200));
        }
        say(String.format(Locale.ROOT, "   copy: %.1f s", Duration.between(copying, Instant.now()).toMillis() / 1000.0));
        Instant indexing = Instant.now();
        shell("pg_dump --section=post-data --no-publications --no-subscriptions " + from() + " | psql -q -v ON_ERROR_STOP=1 "
                + to(targetDb));
        say(String.format(Locale.ROOT, "   post-data: %.1f s", Duration.between(indexing, Instant.now()).toMillis() / 1000.0));
        analyze(targetDb);
        execute(target, targetDb, "DROP SUBSCRIPTION bench_native");
        execute(source, SOURCE_DB, "DROP PUBLICATION bench_native");
    }

    private void dumpRestore(String targetDb, String compression) throws Exception {
        Path dump = work.resolve("dump-" + targetDb);
        shell("pg_dump -Fd -j 2 " + compression + " -f " + dump + " " + from());
        shell("pg_restore -j 2 -d " + targetDb + " " + connection(target) + " " + dump);
        shell("rm -rf " + dump);
        analyze(targetDb);
    }

    /** The statistics a method that gathers none leaves to be gathered, counted in its time. */
    private void analyze(String targetDb) throws Exception {
        Instant analyzing = Instant.now();
        shell("vacuumdb --analyze-only -j 2 -q " + connection(target) + " -d " + targetDb);
        say(String.format(Locale.ROOT, "   statistics: %.1f s", Duration.between(analyzing, Instant.now()).toMillis() / 1000.0));
    }

    private void pgcopydb(String targetDb) throws Exception {
        Path dir = work.resolve("pgcopydb");
        shell("pgcopydb clone --table-jobs 2 --index-jobs 2 --dir " + dir + " --source " + uri(source, SOURCE_DB)
                + " --target " + uri(target, targetDb) + " > " + work.resolve("pgcopydb.log") + " 2>&1"
                + "; status=$?; tail -20 " + work.resolve("pgcopydb.log") + "; exit $status");
        shell("rm -rf " + dir);
    }

    /** About two thirds of the data in eleven tables with bigint keys, the rest in one uuid-keyed table. */
    private void generate(BenchmarkData data) throws Exception {
        execute(source, SOURCE_DB, data.schema().toArray(String[]::new));
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            for (List<String> stage : data.fills()) {
                List<Future<?>> running = new ArrayList<>();
                for (String fill : stage) {
                    running.add(pool.submit(() -> {
                        execute(source, SOURCE_DB, fill);
                        return null;
                    }));
                }
                for (Future<?> done : running) {
                    done.get();
                }
            }
        } finally {
            pool.shutdown();
        }
        execute(source, SOURCE_DB, data.indexes().toArray(String[]::new));
        execute(source, SOURCE_DB, "VACUUM ANALYZE");
    }

    private static long totalRows(PostgresServer server, String database) throws SQLException {
        List<String> tables = new ArrayList<>();
        try (Connection connection = server.connect(database); Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")) {
            while (rows.next()) {
                tables.add(rows.getString(1));
            }
        }
        long total = 0;
        for (String table : tables) {
            total += scalar(server, database, "SELECT count(*) FROM public." + table);
        }
        return total;
    }

    private String from() {
        return connection(source) + " " + SOURCE_DB;
    }

    private String to(String targetDb) {
        return connection(target) + " -d " + targetDb;
    }

    private static String connection(PostgresServer server) {
        return "-h " + server.host() + " -p " + server.port() + " -U " + server.superuser();
    }

    private static String uri(PostgresServer server, String database) {
        return "postgres://" + server.superuser() + ":" + server.password() + "@" + server.host() + ":" + server.port()
                + "/" + database;
    }

    static Endpoint endpoint(PostgresServer server, String database) {
        return new Endpoint(server.host(), server.port(), database, server.superuser(), server.password(), null);
    }

    private void shell(String command) throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder("bash", "-o", "pipefail", "-c", command).inheritIO();
        builder.environment().put("PGPASSWORD", source.password());
        int status = builder.start().waitFor();
        if (status != 0) {
            throw new IllegalStateException("exit status " + status + ": " + command);
        }
    }

    static long scalar(PostgresServer server, String database, String sql) throws SQLException {
        try (Connection connection = server.connect(database); Statement statement = connection.createStatement();
                ResultSet row = statement.executeQuery(sql)) {
            row.next();
            return row.getLong(1);
        }
    }

    static void execute(PostgresServer server, String database, String... statements) throws SQLException {
        try (Connection connection = server.connect(database); Statement statement = connection.createStatement()) {
            for (String sql : statements) {
                statement.execute(sql);
            }
        }
    }

    static void say(String line) {
        System.out.println(Instant.now().toString().substring(11, 19) + " " + line);
    }

    private static final double GIB = 1024.0 * 1024 * 1024;
    private static final double MIB = 1024.0 * 1024;
}
