package dev.cutover.sandbox.rehearsal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.cutover.ctl.Cutoverctl;
import dev.cutover.platform.database.SchemaScope;
import dev.cutover.replicator.postgres.TableName;
import dev.cutover.replicator.postgres.Tables;
import dev.cutover.stack.LocalStack;
import dev.cutover.stack.Postgres;
import dev.cutover.stack.StackOptions;

/**
 * A migration's dry run through every service, started with {@code cutoverctl migrate start --dry-run} as an
 * operator would: the plan it prints names what the replicator's load would copy, and neither server is changed.
 */
class MigrationDryRunIntegrationTest {

    private static final String DATABASE = "plan";
    private static final String APP_ROLE = "plan_app";

    private static LocalStack stack;
    private static Services services;

    @BeforeAll
    static void startEveryService() throws Exception {
        stack = LocalStack.start(StackOptions.sandbox());
        for (Postgres server : List.of(stack.source(), stack.target())) {
            server.createDatabase(DATABASE);
            execute(server, "postgres", "CREATE ROLE " + APP_ROLE
                    + (server == stack.source() ? " LOGIN PASSWORD 'plan'" : " NOLOGIN"));
        }
        execute(stack.source(), DATABASE,
                "CREATE TABLE public.accounts (id bigint PRIMARY KEY, name text)",
                "INSERT INTO public.accounts SELECT i, 'account ' || i FROM generate_series(1, 5000) i",
                "CREATE SCHEMA sales",
                "CREATE TABLE sales.orders (id bigint PRIMARY KEY, account bigint, note text)",
                "INSERT INTO sales.orders SELECT i, i % 5000, repeat('o', 300) FROM generate_series(1, 20000) i",
                "ANALYZE",
                "CREATE SCHEMA scratch",
                "CREATE TABLE scratch.dump (line text)",
                "INSERT INTO scratch.dump SELECT repeat('s', 900) FROM generate_series(1, 20000)");
        services = new Services(stack, Files.createTempDirectory("cutover-dry-run"), Duration.ofSeconds(5),
                List.of(new Services.Database(DATABASE, stack.source(), stack.target(), APP_ROLE, null)));
        services.configure("cutover.databases." + DATABASE + ".exclude-schemas", "scratch");
        services.startAll();
    }

    @AfterAll
    static void stop() {
        if (services != null) {
            services.close();
        }
        if (stack != null) {
            stack.close();
        }
    }

    @Test
    void aDryRunPrintsWhatTheLoadWouldCopyLargestFirstAndChangesNothingOnEitherServer() throws SQLException {
        Run run = cutoverctl("migrate", "start", "--dry-run", "--bootstrap-servers", stack.kafkaBootstrapServers(),
                "--database", DATABASE, "--operator", Services.OPERATOR, "--timeout", "2m");
        System.out.print(run.out());

        assertThat(run.exitCode()).as(run.out()).isZero();
        assertThat(run.out()).contains("schemas   public, sales", "total     ", "(cutover.migration.full-load-rate)",
                "findings  ");
        assertThat(run.lines().getLast()).startsWith("planned (dry run) after ");
        assertThat(printedTables(run)).as("largest first, the excluded schema left out")
                .containsExactly("sales.orders", "public.accounts");
        assertThat(printedTables(run)).as("the replicator's own list").containsExactlyInAnyOrderElementsOf(
                loadTables().stream().map(TableName::toString).toList());
        nothingWasCreated();

        String migrationId = run.lines().getFirst();
        Run status = cutoverctl("migrate", "status", "--bootstrap-servers", stack.kafkaBootstrapServers(),
                "--migration", migrationId);
        assertThat(status.out()).contains("result    planned (dry run)", "          sales.orders");
    }

    @Test
    void aDryRunWithABlockerExitsNonZeroAndPrintsTheBlockerWithItsRemedy() throws SQLException {
        execute(stack.source(), DATABASE, "CREATE TABLE IF NOT EXISTS sales.ledger (entry text)");

        Run run = cutoverctl("migrate", "start", "--dry-run", "--bootstrap-servers", stack.kafkaBootstrapServers(),
                "--database", DATABASE, "--operator", Services.OPERATOR, "--timeout", "2m");

        execute(stack.source(), DATABASE, "DROP TABLE sales.ledger");
        assertThat(run.exitCode()).as(run.out()).isEqualTo(1);
        assertThat(run.out()).contains("BLOCKER replica_identity on sales.ledger", "(remedy: ", "          sales.ledger");
        assertThat(run.lines().getLast()).startsWith("stopped after ");
        nothingWasCreated();
    }

    /** The names in the plan's table lines, in the order printed. */
    private static List<String> printedTables(Run run) {
        List<String> tables = new ArrayList<>();
        boolean inTables = false;
        for (String line : run.lines()) {
            if (line.startsWith("tables ")) {
                inTables = true;
            } else if (inTables && line.startsWith("          ")) {
                tables.add(line.strip().split("\\s+")[0]);
            } else if (inTables) {
                break;
            }
        }
        return tables;
    }

    private static List<TableName> loadTables() throws SQLException {
        try (Connection source = stack.source().connect(DATABASE)) {
            return Tables.list(source, new SchemaScope(List.of(), List.of("scratch")).resolve(source));
        }
    }

    /** No schema, table, subscription, publication or slot: pre-data, the load and streaming never ran. */
    private static void nothingWasCreated() throws SQLException {
        assertThat(strings(stack.target(), DATABASE, """
                SELECT n.nspname || '.' || c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                 WHERE c.relkind IN ('r', 'p') AND n.nspname NOT IN ('pg_catalog', 'information_schema')"""))
                .as("tables on the target").isEmpty();
        assertThat(strings(stack.target(), DATABASE, "SELECT nspname FROM pg_namespace WHERE nspname IN ('sales',"
                + " 'cutover')")).as("schemas on the target").isEmpty();
        assertThat(strings(stack.target(), DATABASE, "SELECT subname FROM pg_subscription"))
                .as("subscriptions on the target").isEmpty();
        assertThat(strings(stack.source(), DATABASE, "SELECT slot_name FROM pg_replication_slots"))
                .as("slots on the source").isEmpty();
        assertThat(strings(stack.source(), DATABASE, "SELECT pubname FROM pg_publication"))
                .as("publications on the source").isEmpty();
        assertThat(strings(stack.source(), DATABASE, "SELECT nspname FROM pg_namespace WHERE nspname = 'cutover'"))
                .as("cutover's own schema, which pre-data installs on the source").isEmpty();
    }

    private record Run(int exitCode, String out) {

        List<String> lines() {
            return out.lines().toList();
        }
    }

    private static Run cutoverctl(String... args) {
        var out = new ByteArrayOutputStream();
        var print = new PrintStream(out, true, StandardCharsets.UTF_8);
        int exitCode = Cutoverctl.run(print, print, args);
        return new Run(exitCode, out.toString(StandardCharsets.UTF_8));
    }

    private static void execute(Postgres server, String database, String... statements) throws SQLException {
        try (Connection connection = server.connect(database); Statement statement = connection.createStatement()) {
            for (String sql : statements) {
                statement.execute(sql);
            }
        }
    }

    private static List<String> strings(Postgres server, String database, String query) throws SQLException {
        List<String> values = new ArrayList<>();
        try (Connection connection = server.connect(database); Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery(query)) {
            while (rows.next()) {
                values.add(rows.getString(1));
            }
        }
        return values;
    }
}
