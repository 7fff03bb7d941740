package dev.cutover.replicator;

import static dev.cutover.replicator.FullLoadBenchmark.endpoint;
import static dev.cutover.replicator.FullLoadBenchmark.execute;
import static dev.cutover.replicator.FullLoadBenchmark.say;
import static dev.cutover.replicator.FullLoadBenchmark.scalar;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;

import dev.cutover.platform.database.DatabasePair;
import dev.cutover.replicator.copy.FullLoad;
import dev.cutover.replicator.copy.FullLoadResult;
import dev.cutover.replicator.copy.LoadOptions;
import dev.cutover.replicator.postgres.ReplicationNames;
import dev.cutover.replicator.streaming.Streaming;
import dev.cutover.replicator.verify.DataVerifier;
import dev.cutover.replicator.verify.Verification;
import dev.cutover.replicator.verify.VerificationScope;
import dev.cutover.replicator.verify.VerifyMode;
import dev.cutover.stack.PostgresServer;

/**
 * Full against sampled {@code VerifyData}, PostgreSQL 11 to 17 on this machine, after a real load and streaming with
 * changes applied through the subscription. Not a test: run it by hand (see the module's README) and read the figures
 * it prints.
 *
 * <p>Arguments: megabytes of table data to generate (default 300), workers (default 2), the sample's fraction
 * (default 0.05), rows per range (default 10000), rows changed on the source after the load (default 2000: updates of
 * recent rows, as an application makes them, inserts after the last key, and a few updates and deletes anywhere),
 * the verifications to time in order (default {@code full,sampled}), and {@code cold} to drop the machine's page cache
 * before the copy and before each verification (as root), as a database many times the memory would be read, and
 * {@code keep} to leave both servers running, with their data, until standard input ends (to look at plans).
 */
public final class VerifyBenchmark {

    private static final String DB = "verify_bench";
    private static final Map<String, String> SETTINGS = Map.of("shared_buffers", "'256MB'", "max_wal_size", "'4GB'");

    private VerifyBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        double megabytes = args.length > 0 ? Double.parseDouble(args[0]) : 300;
        int workers = args.length > 1 ? Integer.parseInt(args[1]) : 2;
        double fraction = args.length > 2 ? Double.parseDouble(args[2]) : 0.05;
        long rowsPerRange = args.length > 3 ? Long.parseLong(args[3]) : 10_000;
        int changes = args.length > 4 ? Integer.parseInt(args[4]) : 2000;
        List<String> modes = List.of((args.length > 5 ? args[5] : "full,sampled").split(","));
        boolean cold = args.length > 6 && args[6].equals("cold");
        boolean keep = args.length > 7 && args[7].equals("keep");
        // The servers run as the postgres user, who must reach their directories.
        Path work = Files.createDirectories(Path.of("/var/tmp", "cutover-verify-benchmark-" + ProcessHandle.current().pid()));
        Files.setPosixFilePermissions(work, PosixFilePermissions.fromString("rwxr-xr-x"));
        try (PostgresServer source = PostgresServer.start(PostgresServer.Options.of("11.22.1")
                .withDirectory(work.resolve("pg11")).withSettings(SETTINGS));
                PostgresServer target = PostgresServer.start(PostgresServer.Options.of("17.11.0")
                        .withDirectory(work.resolve("pg17")).withSettings(SETTINGS))) {
            run(new Servers(source, target), megabytes, workers, fraction, rowsPerRange, changes, modes, cold);
            if (keep) {
                say("kept: psql -h 127.0.0.1 -U postgres -d " + DB + " -p " + source.port() + " (PostgreSQL "
                        + source.version() + ") or -p " + target.port() + " (" + target.version()
                        + "); close standard input to stop them");
                System.in.transferTo(java.io.OutputStream.nullOutputStream());
            }
        } finally {
            new ProcessBuilder("rm", "-rf", work.toString()).inheritIO().start().waitFor();
        }
    }

    private record Servers(PostgresServer source, PostgresServer target) {
    }

    private static void run(Servers servers, double megabytes, int workers, double fraction,
            long rowsPerRange, int changes, List<String> modes, boolean cold) throws Exception {
        servers.source().createDatabase(DB);
        servers.target().createDatabase(DB);
        // About 200 bytes a row; events keyed by a sequence (70 % of the data), orders by random uuids.
        long events = Math.round(megabytes * 0.7 * 1024 * 1024 / 200);
        long orders = Math.round(megabytes * 0.3 * 1024 * 1024 / 200);
        String eventsTable = "CREATE TABLE public.events (id bigint %s, account int, at timestamptz, payload text)";
        String ordersTable = "CREATE TABLE public.orders (id uuid %s, n bigint, amount numeric, note text)";
        execute(servers.source(), DB, eventsTable.formatted("PRIMARY KEY"), ordersTable.formatted("PRIMARY KEY"),
                "INSERT INTO public.events SELECT g, g % 1000, now() - g * interval '1 s', repeat(md5(g::text), 5)"
                        + " FROM generate_series(1, " + events + ") g",
                "INSERT INTO public.orders SELECT md5(g::text)::uuid, g, g * 1.5, repeat(md5((g + 1)::text), 5)"
                        + " FROM generate_series(1, " + orders + ") g",
                "VACUUM ANALYZE");
        execute(servers.target(), DB, eventsTable.formatted(""), ordersTable.formatted(""));
        long bytes = scalar(servers.source(), DB, "SELECT pg_table_size('public.events') + pg_table_size('public.orders')");
        say(String.format(Locale.ROOT, "generated %.0f MiB in %d + %d rows", bytes / MIB, events, orders));

        DatabasePair pair = new DatabasePair(endpoint(servers.source(), DB), endpoint(servers.target(), DB), List.of(),
                List.of("public"));
        ReplicationNames names = ReplicationNames.forDatabase(DB);
        dropPageCache(cold);
        FullLoadResult load = new FullLoad(new LoadOptions(workers, 64L * 1024 * 1024, Duration.ofSeconds(60)))
                .run(pair, names, table -> { });
        say(String.format(Locale.ROOT, "copied in %.1f s", load.took().toMillis() / 1000.0));
        execute(servers.target(), DB, "ALTER TABLE public.events ADD PRIMARY KEY (id)",
                // As a migration leaves the target: statistics gathered, not vacuumed (a table loaded in ranges has no
                // visibility map yet, so an index-only scan there still reads the table).
                "ALTER TABLE public.orders ADD PRIMARY KEY (id)", "ANALYZE");
        Streaming streaming = new Streaming(Duration.ofSeconds(10));
        streaming.start(pair, names, VerifyMode.SAMPLED);
        try {
            int recent = changes * 6 / 10;
            int appended = changes * 3 / 10;
            int anywhere = changes - recent - appended;
            execute(servers.source(), DB,
                    "UPDATE public.events SET payload = 'updated' WHERE id > " + (events - recent),
                    "INSERT INTO public.events SELECT g, 1, now(), 'new' FROM generate_series(" + (events + 1) + ", "
                            + (events + appended) + ") g",
                    "UPDATE public.orders SET note = 'updated' WHERE n % " + Math.max(1, orders / Math.max(1, anywhere))
                            + " = 0",
                    "DELETE FROM public.events WHERE id % " + Math.max(1, events / Math.max(1, anywhere)) + " = 7");
            awaitCatchUp(servers, names);
            say("changed " + changes + " rows on the source; the target caught up");

            List<Verification> verifications = new ArrayList<>();
            for (String mode : modes) {
                dropPageCache(cold);
                verifications.add(switch (mode) {
                    case "full" -> timed("full", () -> new DataVerifier(rowsPerRange, workers).verify(pair), load);
                    case "sampled" -> timed("sampled", () -> new DataVerifier(rowsPerRange, workers)
                            .verify(pair, new VerificationScope.Sampled(fraction, 1)), load);
                    default -> throw new IllegalArgumentException("no verification called " + mode
                            + ": name full or sampled");
                });
            }
            // What a sampled verification cannot make smaller: reading every table once on each side to count it.
            for (PostgresServer server : List.of(servers.source(), servers.target())) {
                Instant counting = Instant.now();
                scalar(server, DB, "SELECT (SELECT count(*) FROM ONLY public.events) + (SELECT count(*) FROM ONLY public.orders)");
                say(String.format(Locale.ROOT, "counting both tables on PostgreSQL %s alone: %.1f s", server.version(),
                        Duration.between(counting, Instant.now()).toMillis() / 1000.0));
            }
            for (Verification verification : verifications) {
                if (!verification.identical()) {
                    throw new IllegalStateException("the verification found differences: "
                            + verification.mismatches());
                }
            }
        } finally {
            streaming.stop(pair, names, true);
        }
    }

    /** Empties the machine's page cache, so that what is read next comes from the disk. */
    private static void dropPageCache(boolean cold) throws Exception {
        if (!cold) {
            return;
        }
        new ProcessBuilder("sync").inheritIO().start().waitFor();
        Files.writeString(Path.of("/proc/sys/vm/drop_caches"), "3");
        say("dropped the page cache");
    }

    private interface Run {
        Verification verify();
    }

    private static Verification timed(String label, Run run, FullLoadResult load) {
        Instant started = Instant.now();
        Verification verification = run.verify();
        double seconds = Duration.between(started, Instant.now()).toMillis() / 1000.0;
        say(String.format(Locale.ROOT, "%-8s %6.1f s = %5.1f %% of the copy time; %d of %d ranges, %d rows hashed",
                label, seconds, 100 * seconds / (load.took().toMillis() / 1000.0), verification.rangesChecked(),
                verification.rangesTotal(), verification.rows()));
        return verification;
    }

    private static void awaitCatchUp(Servers servers, ReplicationNames names) throws SQLException {
        long end = scalar(servers.source(), DB, "SELECT pg_current_wal_lsn() - '0/0'");
        Instant deadline = Instant.now().plus(Duration.ofMinutes(5));
        while (scalar(servers.source(), DB, "SELECT coalesce(max(confirmed_flush_lsn - '0/0'), 0)"
                + " FROM pg_replication_slots WHERE slot_name = '" + names.slot() + "'") < end) {
            if (Instant.now().isAfter(deadline)) {
                throw new IllegalStateException("the subscription did not catch up within 5 minutes");
            }
            LockSupport.parkNanos(Duration.ofMillis(200).toNanos());
        }
    }

    private static final double MIB = 1024.0 * 1024;
}
