package dev.cutover.schema;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

import dev.cutover.platform.database.DatabasePair;
import dev.cutover.platform.database.Endpoint;
import dev.cutover.schema.pgtools.PgTools;
import dev.cutover.schema.section.PostDataBuilder;
import dev.cutover.schema.section.PreDataApplier;
import dev.cutover.schema.section.SectionReport;
import dev.cutover.schema.sequences.SequenceSync;
import dev.cutover.schema.sequences.SyncReport;
import dev.cutover.schema.testing.TestDatabases;
import dev.cutover.stack.PostgresServer;

/**
 * Measures what this service does inside a migration's critical path, on a PostgreSQL 11 source and a
 * 17 target started for the run: post-data built by one worker against several, on a few hundred MB of
 * rows with many indexes; and a sync of 500 sequences. Not a test: run it as README.md says.
 *
 * <p>Arguments (all optional): scale (1 = about 400 MB of table data and 500 MB of indexes; 0 = sequences only),
 * then the worker counts to compare (default 1 2 4).
 */
public final class PostDataBenchmark {

    private static final Path WORK = Path.of(System.getProperty("java.io.tmpdir"), "schema-benchmark");
    private static final int SEQUENCES = 500;
    private static final int SYNC_RUNS = 7;

    private PostDataBenchmark() {
    }

    public static void main(String[] args) {
        double scale = args.length > 0 ? Double.parseDouble(args[0]) : 1.0;
        List<Integer> workers = new ArrayList<>();
        for (int i = 1; i < args.length; i++) {
            workers.add(Integer.parseInt(args[i]));
        }
        if (workers.isEmpty()) {
            workers = List.of(1, 2, 4);
        }
        try (PostgresServer source = PostgresServer.start(PostgresServer.Options.of("11.22.1"));
                PostgresServer target = PostgresServer.start(PostgresServer.Options.of("17.11.0"))) {
            source.createDatabase("bench");
            target.createDatabase("bench");
            DatabasePair pair = new DatabasePair(TestDatabases.endpoint(source, "bench"),
                    TestDatabases.endpoint(target, "bench"), List.of(), List.of("public"));
            PgTools tools = new PgTools(null, WORK, Duration.ofHours(1));
            if (scale > 0) {
                postData(pair, tools, scale, workers);
            }
            sequences(pair, tools);
        }
    }

    private static void postData(DatabasePair pair, PgTools tools, double scale, List<Integer> workers) {
        long started = System.nanoTime();
        TestDatabases.execute(pair.source(), TABLES, data(scale));
        TestDatabases.execute(pair.source(), INDEXES, "VACUUM ANALYZE");
        System.out.printf(Locale.ROOT, "source ready in %.1f s: %s of tables, %s of indexes, %d post-data objects%n",
                seconds(System.nanoTime() - started),
                TestDatabases.strings(pair.source(), "SELECT pg_size_pretty(sum(pg_table_size(c.oid))) FROM pg_class c"
                        + " JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'public' AND c.relkind = 'r'").getFirst(),
                TestDatabases.strings(pair.source(), "SELECT pg_size_pretty(sum(pg_relation_size(c.oid))) FROM pg_class c"
                        + " JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'public' AND c.relkind = 'i'").getFirst(),
                TestDatabases.number(pair.source(), "SELECT (SELECT count(*) FROM pg_indexes WHERE schemaname = 'public')"
                        + " + (SELECT count(*) FROM pg_constraint WHERE contype = 'f')"));
        new PreDataApplier(tools).apply(pair);
        TestDatabases.execute(pair.target(), data(scale), "VACUUM ANALYZE");
        System.out.printf(Locale.ROOT, "%-8s %10s %8s %12s%n", "workers", "seconds", "indexes", "constraints");
        for (int count : workers) {
            SectionReport report = new PostDataBuilder(tools).apply(pair, count);
            System.out.printf(Locale.ROOT, "%-8d %10.1f %8d %12d%n", count, seconds(report.duration().toNanos()),
                    report.indexes(), report.constraints());
            TestDatabases.execute(pair.target(), DROP_POST_DATA);
        }
    }

    private static void sequences(DatabasePair pair, PgTools tools) {
        StringBuilder create = new StringBuilder("DROP SCHEMA public CASCADE; CREATE SCHEMA public;");
        for (int i = 0; i < SEQUENCES; i++) {
            create.append("CREATE SEQUENCE public.seq_").append(i).append(";");
        }
        Endpoint source = pair.source();
        TestDatabases.execute(source, create.toString());
        TestDatabases.execute(pair.target(), "DROP SCHEMA public CASCADE; CREATE SCHEMA public;");
        new PreDataApplier(tools).apply(pair);
        List<Long> millis = new ArrayList<>();
        for (int run = 0; run < SYNC_RUNS; run++) {
            TestDatabases.execute(source, "SELECT setval(format('public.seq_%s', i)::regclass, 1000 * i + " + (run + 1) + ")"
                    + " FROM generate_series(0, " + (SEQUENCES - 1) + ") i");
            SyncReport report = new SequenceSync().sync(pair, 0);
            millis.add(report.duration().toMillis());
        }
        List<Long> sorted = millis.stream().sorted(Comparator.naturalOrder()).toList();
        System.out.printf(Locale.ROOT, "sync of %d sequences, %d runs: median %d ms, min %d ms, max %d ms (runs: %s)%n",
                SEQUENCES, SYNC_RUNS, sorted.get(SYNC_RUNS / 2), sorted.getFirst(), sorted.getLast(), millis);
    }

    private static double seconds(long nanos) {
        return nanos / 1e9;
    }

    private static final String TABLES = """
            CREATE TABLE public.customers (id bigint PRIMARY KEY, email text NOT NULL, name text NOT NULL,
                country char(2) NOT NULL, created_at timestamptz NOT NULL);
            CREATE TABLE public.orders (id bigint PRIMARY KEY, customer_id bigint NOT NULL REFERENCES public.customers,
                status int NOT NULL, total numeric(12,2) NOT NULL, created_at timestamptz NOT NULL, note text);
            CREATE TABLE public.order_lines (order_id bigint NOT NULL REFERENCES public.orders, line int NOT NULL,
                product_id bigint NOT NULL, qty int NOT NULL, price numeric(12,2) NOT NULL, PRIMARY KEY (order_id, line));
            CREATE TABLE public.events (id uuid PRIMARY KEY, customer_id bigint NOT NULL REFERENCES public.customers,
                kind text NOT NULL, at timestamptz NOT NULL, payload text);
            """;

    /** The same rows on both sides: every value is computed from the row number. */
    private static String data(double scale) {
        long customers = Math.round(300_000 * scale);
        long orders = Math.round(1_200_000 * scale);
        long events = Math.round(800_000 * scale);
        return """
                INSERT INTO public.customers SELECT g, 'user' || g || '@example.com', 'name ' || md5(g::text),
                    chr(65 + g %% 26) || chr(65 + g %% 7), timestamptz '2020-01-01' + g * interval '1 minute'
                  FROM generate_series(1, %1$d) g;
                INSERT INTO public.orders SELECT g, 1 + g %% %1$d, g %% 5, (g %% 100000) / 100.0,
                    timestamptz '2021-01-01' + g * interval '13 seconds', CASE WHEN g %% 10 = 0 THEN md5(g::text) END
                  FROM generate_series(1, %2$d) g;
                INSERT INTO public.order_lines SELECT o, l, (o * 7 + l) %% 50000, 1 + (o + l) %% 9, ((o + l) %% 5000) / 10.0
                  FROM generate_series(1, %2$d) o, generate_series(1, 2) l;
                INSERT INTO public.events SELECT md5(g::text)::uuid, 1 + g %% %1$d, (ARRAY['view', 'cart', 'buy'])[1 + g %% 3],
                    timestamptz '2022-01-01' + g * interval '7 seconds', repeat(md5(g::text), 2)
                  FROM generate_series(1, %3$d) g;
                """.formatted(customers, orders, events);
    }

    private static final String INDEXES = """
            CREATE UNIQUE INDEX customers_email_key ON public.customers (email);
            CREATE INDEX customers_lower_name_idx ON public.customers (lower(name));
            CREATE INDEX customers_country_created_idx ON public.customers (country, created_at);
            CREATE INDEX orders_customer_idx ON public.orders (customer_id);
            CREATE INDEX orders_created_idx ON public.orders (created_at);
            CREATE INDEX orders_open_idx ON public.orders (customer_id, created_at) WHERE status < 2;
            CREATE INDEX orders_total_idx ON public.orders (total);
            CREATE INDEX order_lines_product_idx ON public.order_lines (product_id);
            CREATE INDEX order_lines_qty_price_idx ON public.order_lines (qty, price);
            CREATE INDEX events_customer_idx ON public.events (customer_id);
            CREATE INDEX events_at_idx ON public.events (at);
            CREATE INDEX events_kind_at_idx ON public.events (kind, at);
            CREATE INDEX events_payload_idx ON public.events (payload);
            """;

    /** Takes the target back to "data loaded, no post-data" between runs. */
    private static final String DROP_POST_DATA = """
            DO $$
            DECLARE item record;
            BEGIN
                FOR item IN SELECT conrelid::regclass AS t, conname FROM pg_constraint c
                             JOIN pg_namespace n ON n.oid = c.connamespace
                            WHERE n.nspname = 'public' ORDER BY contype = 'f' DESC LOOP
                    EXECUTE format('ALTER TABLE %s DROP CONSTRAINT %I', item.t, item.conname);
                END LOOP;
                FOR item IN SELECT indexrelid::regclass AS i FROM pg_index x JOIN pg_class c ON c.oid = x.indexrelid
                             JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'public' LOOP
                    EXECUTE format('DROP INDEX %s', item.i);
                END LOOP;
            END $$;
            CHECKPOINT;
            """;
}
