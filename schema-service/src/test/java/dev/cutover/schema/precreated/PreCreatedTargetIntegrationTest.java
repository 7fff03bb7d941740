package dev.cutover.schema.precreated;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import dev.cutover.platform.StepFailure;
import dev.cutover.platform.database.DatabasePair;
import dev.cutover.schema.pgtools.PgTools;
import dev.cutover.schema.preflight.Finding;
import dev.cutover.schema.preflight.PreflightChecker;
import dev.cutover.schema.preflight.Scope;
import dev.cutover.schema.preflight.Severity;
import dev.cutover.schema.section.PostDataBuilder;
import dev.cutover.schema.section.PreDataApplier;
import dev.cutover.schema.section.SectionReport;
import dev.cutover.schema.testing.TestDatabases;
import dev.cutover.schema.verify.SchemaVerifier;
import dev.cutover.stack.LocalStack;
import dev.cutover.stack.SharedStackExtension;

/**
 * A target whose schema a team created beforehand, on the stack's PostgreSQL 11 -> 17: accepted and used when it is
 * the source's, refused naming each difference when it is not, refused when its tables hold rows.
 */
@ExtendWith(SharedStackExtension.class)
class PreCreatedTargetIntegrationTest {

    /** The target's post-data objects in the moved schema: what the load must not meet. */
    private static final String POST_DATA_ON_TARGET = """
            SELECT 'constraint ' || k.conname FROM pg_constraint k JOIN pg_class c ON c.oid = k.conrelid
              JOIN pg_namespace n ON n.oid = c.relnamespace
             WHERE n.nspname = 'public' AND k.contype IN ('p', 'u', 'f', 'x')
            UNION ALL
            SELECT 'index ' || c.relname FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
              JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'public'
            UNION ALL
            SELECT 'trigger ' || t.tgname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid
              JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'public' AND NOT t.tgisinternal""";

    private static final String TABLES = """
            SELECT format('%I.%I', n.nspname, c.relname) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
             WHERE c.relkind = 'r' AND n.nspname = 'public' ORDER BY 1""";

    private final PgTools tools = new PgTools(null, Path.of(System.getProperty("java.io.tmpdir"), "schema-tests"),
            Duration.ofMinutes(5));
    private final PreflightChecker preflight = new PreflightChecker(tools, Duration.ofMinutes(5));

    @Test
    void aTargetCreatedFromTheSourcesOwnSchemaDumpIsUsedAndEndsWithEveryRowAndEveryObject(LocalStack stack) {
        DatabasePair pair = TestDatabases.create(stack, "precreated_whole", List.of());
        TestDatabases.execute(pair.source(), TestDatabases.resource("rich-schema.sql"));
        createFromTheSourcesSchemaDump(pair);
        assertThat(TestDatabases.strings(pair.target(), POST_DATA_ON_TARGET)).as("the dump's post-data is on the target")
                .contains("constraint customer_preferred_store_fk", "trigger customer_audit", "index store_name_key");

        assertThat(preCreatedFindings(pair)).singleElement().satisfies(finding -> {
            assertThat(finding.severity()).isEqualTo(Severity.WARNING);
            assertThat(finding.message()).contains("created beforehand and matches the source's");
        });

        SectionReport preData = new PreDataApplier(tools).apply(pair);

        assertThat(preData.note()).hasValueSatisfying(note -> assertThat(note).contains("nothing of the source's pre-data is applied"));
        assertThat(TestDatabases.strings(pair.target(), POST_DATA_ON_TARGET)).as("set aside for the load").isEmpty();
        assertThat(TestDatabases.strings(pair.target(), "SELECT to_regclass('cutover.canary')::text"))
                .containsExactly("cutover.canary");

        loadAsTheReplicatorDoes(pair);
        PostDataBuilder postData = new PostDataBuilder(tools);
        for (String table : TestDatabases.strings(pair.source(), TABLES)) {
            postData.applyTables(pair, 2, List.of(table), "migration-precreated");
        }
        postData.apply(pair, 2, "migration-precreated");

        assertThat(new SchemaVerifier().verify(pair)).isEmpty();
        for (String table : TestDatabases.strings(pair.source(), TABLES)) {
            String rows = "SELECT count(*) FROM " + table;
            assertThat(TestDatabases.number(pair.target(), rows)).as(table)
                    .isEqualTo(TestDatabases.number(pair.source(), rows)).isPositive();
        }
        String counts = "SELECT string_agg(status || '=' || n, ',' ORDER BY status) FROM public.status_counts";
        assertThat(TestDatabases.strings(pair.target(), counts)).isEqualTo(TestDatabases.strings(pair.source(), counts));
    }

    @Test
    void aChangedColumnAMissingTableAndAnExtraTableAreOneBlockerEachAndPreDataRefusesThem(LocalStack stack) {
        DatabasePair pair = TestDatabases.create(stack, "precreated_different", List.of());
        TestDatabases.execute(pair.source(),
                "CREATE TABLE public.orders (id bigint PRIMARY KEY, total numeric(12,2) NOT NULL, note text)",
                "CREATE TABLE public.lines (order_id bigint NOT NULL REFERENCES public.orders, n int, PRIMARY KEY (order_id, n))");
        TestDatabases.execute(pair.target(),
                "CREATE TABLE public.orders (id bigint PRIMARY KEY, total text NOT NULL, note text)",
                "CREATE TABLE public.leftover (id int PRIMARY KEY, what text)");

        assertThat(preCreatedFindings(pair)).extracting(Finding::severity, Finding::object).containsExactly(
                tuple(Severity.BLOCKER, "public.leftover"),
                tuple(Severity.BLOCKER, "public.lines"),
                tuple(Severity.BLOCKER, "public.orders.total"));
        assertThat(preCreatedFindings(pair)).extracting(Finding::message).last().asString()
                .contains("the target's is 'position 2 text not null', the source's 'position 2 numeric(12,2) not null'");

        assertThatThrownBy(() -> new PreDataApplier(tools).apply(pair)).isInstanceOf(StepFailure.class)
                .hasMessageContaining("3 problem(s)").hasMessageContaining("public.leftover")
                .hasMessageContaining("public.lines").hasMessageContaining("public.orders.total");
        assertThat(TestDatabases.strings(pair.target(), "SELECT to_regclass('cutover.canary')::text"))
                .as("a refused target is left as it was").containsOnlyNulls();
    }

    @Test
    void aTargetTableHoldingRowsIsABlockerNamingIt(LocalStack stack) {
        DatabasePair pair = TestDatabases.create(stack, "precreated_rows", List.of());
        for (var side : List.of(pair.source(), pair.target())) {
            TestDatabases.execute(side, "CREATE TABLE public.orders (id bigint PRIMARY KEY)",
                    "CREATE TABLE public.lines (id bigint PRIMARY KEY)");
        }
        TestDatabases.execute(pair.target(), "INSERT INTO public.orders VALUES (1)");

        assertThat(preCreatedFindings(pair)).extracting(Finding::severity, Finding::check, Finding::object)
                .containsExactly(tuple(Severity.BLOCKER, "target_rows", "public.orders"));
    }

    private List<Finding> preCreatedFindings(DatabasePair pair) {
        return preflight.check(pair, Scope.MIGRATION).stream()
                .filter(finding -> finding.check().startsWith("target_"))
                .toList();
    }

    /** What a team does: the source's whole schema (pre-data and post-data) restored on the target. */
    private void createFromTheSourcesSchemaDump(DatabasePair pair) {
        Path archive = tools.dump(pair.source(), List.of("--schema-only"));
        try {
            tools.apply(pair.target(), tools.script(archive, tools.list(archive)));
        } finally {
            PgTools.delete(archive);
        }
    }

    /**
     * Empties each table with TRUNCATE ONLY and copies it, in name order, as the replicator's full load does: a
     * foreign key left on the target refuses the TRUNCATE, and a trigger left there writes audit rows the source
     * does not have.
     */
    private static void loadAsTheReplicatorDoes(DatabasePair pair) {
        for (String table : TestDatabases.strings(pair.source(), TABLES)) {
            TestDatabases.execute(pair.target(), "TRUNCATE ONLY " + table);
        }
        TestDatabases.copyData(pair);
    }
}
