package dev.cutover.schema.preflight;

import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;

import dev.cutover.platform.database.DatabasePair;
import dev.cutover.platform.database.Replication;
import dev.cutover.platform.database.WarmConnections;
import dev.cutover.schema.pgtools.PgTools;
import dev.cutover.schema.sequences.SequenceSync;
import dev.cutover.schema.testing.TestDatabases;
import dev.cutover.stack.PostgresServer;

/**
 * Times the cutover's preflight ({@code CheckPreflight(CUTOVER)}) part by part, on a PostgreSQL 11 source and a 17
 * target started for the run, replicated through an adopted publication, on warm connections as the service has them:
 * the first run (this JVM's first pass through the code, as at a production cutover) and the median and slowest of
 * the runs after it. Not a test: run it as README.md says.
 *
 * <p>Arguments (all optional): runs after the first (default 20), schemas (default 3), tables per schema (default 100).
 */
public final class PreflightBenchmark {

    private static final String DATABASE = "bench";
    private static final String APP_ROLE = "bench_app";

    private PreflightBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int runs = args.length > 0 ? Integer.parseInt(args[0]) : 20;
        int schemas = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        int tables = args.length > 2 ? Integer.parseInt(args[2]) : 100;
        try (PostgresServer source = PostgresServer.start(PostgresServer.Options.of("11.22.1"));
                PostgresServer target = PostgresServer.start(PostgresServer.Options.of("17.11.0"));
                WarmConnections connections = new WarmConnections();
                SequenceSync sequences = new SequenceSync(connections)) {
            source.createDatabase(DATABASE);
            target.createDatabase(DATABASE);
            DatabasePair pair = new DatabasePair(TestDatabases.endpoint(source, DATABASE),
                    TestDatabases.endpoint(target, DATABASE), List.of(APP_ROLE), List.of());
            Replication replication = replicate(pair, schemas, tables);
            PgTools tools = new PgTools(null, Path.of(System.getProperty("java.io.tmpdir"), "schema-benchmark"),
                    Duration.ofMinutes(1));
            PreflightChecker checker = new PreflightChecker(tools, Duration.ofMinutes(5), connections);
            ReplicationProof proof = new ReplicationProof(Duration.ofSeconds(10), connections);
            List<String> appSchemas = TestDatabases.strings(pair.source(), "SELECT nspname FROM pg_namespace"
                    + " WHERE nspname LIKE 'app%'");
            connections.warm(pair.source());
            connections.warm(pair.target());

            Map<String, List<Long>> timings = new LinkedHashMap<>();
            try (CutoverPreflight beside = new CutoverPreflight(checker, Duration.ofSeconds(10))) {
                beside.warm(pair);
                for (int run = 0; run <= runs; run++) {
                    // The preflight as SchemaCommands runs it (the sequences' warm-up is not waited for), then one part
                    // after the other as it ran before decision 121, then its parts.
                    time(timings, "whole preflight", () -> beside.run(pair, DATABASE, replication));
                    time(timings, "  one part after the other", () -> {
                        checker.check(pair, Scope.CUTOVER);
                        return proof.prove(pair, DATABASE, replication);
                    });
                    sequences.ready(pair).get();
                    PreflightChecker.Report report = time(timings, "  PreflightChecker.run", () -> checker.run(pair,
                            Scope.CUTOVER));
                    record(timings, "    facts, as run reports them", report.facts());
                    record(timings, "      source's, at once", report.source());
                    record(timings, "      target's, at once", report.target());
                    record(timings, "    passwords, as run reports them", report.passwords());
                    time(timings, "  ReplicationProof.prove", () -> proof.prove(pair, DATABASE, replication));
                    time(timings, "    pg_dump --version", tools::pgDumpVersion);
                    time(timings, "    source facts", () -> sourceFacts(pair, connections));
                    time(timings, "    target facts", () -> targetFacts(pair, appSchemas, connections, false));
                    time(timings, "    target facts + statistics",
                            () -> targetFacts(pair, appSchemas, connections, true));
                    time(timings, "    passwords", () -> AppRolePasswords.carryOver(pair, connections));
                }
                System.out.printf(Locale.ROOT, "%d schemas x %d tables, %d runs after the first%n", schemas, tables,
                        runs);
                System.out.printf(Locale.ROOT, "%-32s %8s %8s %8s%n", "part (ms)", "first", "median", "max");
                timings.forEach((part, all) -> {
                    List<Long> warm = new ArrayList<>(all.subList(1, all.size()));
                    warm.sort(null);
                    System.out.printf(Locale.ROOT, "%-32s %8.1f %8.1f %8.1f%n", part, all.getFirst() / 1e6,
                            warm.get(warm.size() / 2) / 1e6, warm.getLast() / 1e6);
                });
            }
        }
    }

    private static Object sourceFacts(DatabasePair pair, WarmConnections connections) {
        try (WarmConnections.Lease lease = connections.lease(pair.source())) {
            return FactsReader.source(lease.connection(), pair.schemasOn(lease.connection()), pair.appRoles());
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Object targetFacts(DatabasePair pair, List<String> schemas, WarmConnections connections,
            boolean statistics) {
        try (WarmConnections.Lease lease = connections.lease(pair.target())) {
            Object facts = FactsReader.target(lease.connection(), pair.appRoles());
            if (!statistics) {
                return facts;
            }
            return TargetStatistics.warning(TargetStatistics.read(lease.connection(), pair.scope()), schemas);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static <T> T time(Map<String, List<Long>> timings, String part, Supplier<T> work) {
        long started = System.nanoTime();
        T result = work.get();
        record(timings, part, Duration.ofNanos(System.nanoTime() - started));
        return result;
    }

    private static void record(Map<String, List<Long>> timings, String part, Duration took) {
        timings.computeIfAbsent(part, name -> new ArrayList<>()).add(took.toNanos());
    }

    /** Tables with keys and sequences on both sides, ANALYZEd on the target, replicated by an adopted publication. */
    private static Replication replicate(DatabasePair pair, int schemas, int tables) {
        List<String> ddl = new ArrayList<>();
        for (int s = 0; s < schemas; s++) {
            ddl.add("CREATE SCHEMA app" + s);
            for (int t = 0; t < tables; t++) {
                ddl.add("CREATE TABLE app" + s + ".t" + t + " (id bigserial PRIMARY KEY, note text, at timestamptz)");
            }
        }
        TestDatabases.execute(pair.source(), ddl.toArray(String[]::new));
        TestDatabases.execute(pair.target(), ddl.toArray(String[]::new));
        TestDatabases.execute(pair.target(), "ANALYZE");
        TestDatabases.execute(pair.source(), "CREATE ROLE " + APP_ROLE + " LOGIN PASSWORD 'the-apps-password'",
                "CREATE PUBLICATION bench_pub FOR ALL TABLES");
        TestDatabases.execute(pair.target(), "CREATE ROLE " + APP_ROLE + " NOLOGIN PASSWORD 'someone-elses'");
        TestDatabases.execute(pair.target(), "CREATE SUBSCRIPTION bench_sub CONNECTION 'host=" + pair.source().host()
                + " port=" + pair.source().port() + " dbname=" + DATABASE + " user=" + pair.source().user()
                + " password=" + pair.source().resolvePassword() + "' PUBLICATION bench_pub WITH (copy_data = false)");
        return new Replication("bench_pub", null, "bench_sub", true).resolve(DATABASE);
    }
}
