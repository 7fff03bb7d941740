package dev.cutover.schema;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import dev.cutover.platform.database.DatabasePair;
import dev.cutover.schema.pgtools.PgTools;
import dev.cutover.schema.preflight.Finding;
import dev.cutover.schema.preflight.PreflightChecker;
import dev.cutover.schema.preflight.Scope;
import dev.cutover.schema.section.PostDataBuilder;
import dev.cutover.schema.section.PreDataApplier;
import dev.cutover.schema.testing.TestDatabases;
import dev.cutover.schema.verify.SchemaVerifier;
import dev.cutover.stack.LocalStack;
import dev.cutover.stack.SharedStackExtension;

/** Which schemas move, on the stack's PostgreSQL 11 -> 17, with a schema nobody listed. */
@ExtendWith(SharedStackExtension.class)
class SchemaScopeIntegrationTest {

    private final PgTools tools = new PgTools(null, Path.of(System.getProperty("java.io.tmpdir"), "schema-tests"),
            Duration.ofMinutes(5));
    private final PreflightChecker preflight = new PreflightChecker(tools, Duration.ofMinutes(5));

    @Test
    void aTableInASchemaNobodyListedMovesWithoutAnySetting(LocalStack stack) {
        DatabasePair pair = TestDatabases.create(stack, "scope_unlisted", List.of(), false);
        TestDatabases.execute(pair.source(),
                "CREATE EXTENSION citext",
                "CREATE TABLE public.accounts (id bigint PRIMARY KEY, email citext)",
                "CREATE SCHEMA billing",
                "CREATE TABLE billing.invoices (id bigint PRIMARY KEY, account bigint, total numeric)",
                "CREATE TABLE billing.ledger (entry text)");

        assertThat(preflight.check(pair, Scope.MIGRATION)).extracting(Finding::check, Finding::object)
                .containsExactly(tuple("replica_identity", "billing.ledger"));

        new PreDataApplier(tools).apply(pair);
        new PostDataBuilder(tools).apply(pair, 1);

        assertThat(tables(pair)).containsExactly("billing.invoices", "billing.ledger", "public.accounts");
        assertThat(new SchemaVerifier().verify(pair)).isEmpty();
    }

    @Test
    void anExcludedSchemaIsLeftBehindByPreflightAndPreData(LocalStack stack) {
        DatabasePair pair = TestDatabases.create(stack, "scope_excluded", List.of("scratch"), false);
        TestDatabases.execute(pair.source(),
                "CREATE TABLE public.accounts (id bigint PRIMARY KEY)",
                "CREATE SCHEMA billing",
                "CREATE TABLE billing.invoices (id bigint PRIMARY KEY)",
                "CREATE SCHEMA scratch",
                "CREATE TABLE scratch.dump (line text)");

        assertThat(preflight.check(pair, Scope.MIGRATION)).isEmpty();

        new PreDataApplier(tools).apply(pair);

        assertThat(tables(pair)).containsExactly("billing.invoices", "public.accounts");
        assertThat(TestDatabases.strings(pair.target(), "SELECT nspname FROM pg_namespace WHERE nspname = 'scratch'"))
                .isEmpty();
    }

    @Test
    void anExtensionInAnExcludedSchemaStopsPreflightInsteadOfPreData(LocalStack stack) {
        DatabasePair pair = TestDatabases.create(stack, "scope_extension", List.of("extensions"), false);
        TestDatabases.execute(pair.source(),
                "CREATE SCHEMA extensions",
                "CREATE EXTENSION citext SCHEMA extensions",
                "CREATE TABLE public.accounts (id bigint PRIMARY KEY)");

        assertThat(preflight.check(pair, Scope.MIGRATION)).extracting(Finding::check, Finding::object)
                .containsExactly(tuple("extension_schema", "citext"));
    }

    private static List<String> tables(DatabasePair pair) {
        return TestDatabases.strings(pair.target(), """
                SELECT n.nspname || '.' || c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                 WHERE c.relkind = 'r' AND n.nspname NOT IN ('pg_catalog', 'information_schema', 'cutover') ORDER BY 1""");
    }
}
