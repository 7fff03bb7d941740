package dev.cutover.schema;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;

import dev.cutover.platform.database.DatabasePair;
import dev.cutover.schema.pgtools.PgTools;
import dev.cutover.schema.section.PostDataBuilder;
import dev.cutover.schema.section.PreDataApplier;
import dev.cutover.schema.section.SectionReport;
import dev.cutover.schema.testing.TestDatabases;
import dev.cutover.schema.verify.SchemaVerifier;
import dev.cutover.stack.LocalStack;
import dev.cutover.stack.SharedStackExtension;

/**
 * Post-data the way a migration builds it on PostgreSQL 11 -> 17: the indexes and keys of each table as soon as it
 * is copied, then the whole section, which adds what needs several tables and skips what is there.
 */
@ExtendWith(SharedStackExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PostDataTableByTableIntegrationTest {

    private static final String MIGRATION = "migration-table-by-table";

    /** Indexes and constraints of the target's public schema, each with its definition. */
    private static final String KEYS_AND_INDEXES = """
            SELECT c.relname || ' ' || k.conname || ' ' || pg_get_constraintdef(k.oid)
              FROM pg_constraint k JOIN pg_class c ON c.oid = k.conrelid JOIN pg_namespace n ON n.oid = c.relnamespace
             WHERE n.nspname = 'public' AND k.contype IN ('p', 'u', 'f', 'x')
            UNION ALL
            SELECT pg_get_indexdef(i.indexrelid)
              FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_namespace n ON n.oid = c.relnamespace
             WHERE n.nspname = 'public'
            ORDER BY 1""";

    private final PgTools tools = new PgTools(null, Path.of(System.getProperty("java.io.tmpdir"), "schema-tests"),
            Duration.ofMinutes(5));
    private final PostDataBuilder builder = new PostDataBuilder(tools);
    private DatabasePair pair;

    @BeforeAll
    void copyTheRichSchemaWithoutItsPostData(LocalStack stack) {
        pair = TestDatabases.create(stack, "schema_table_by_table", List.of());
        TestDatabases.execute(pair.source(), TestDatabases.resource("rich-schema.sql"));
        new PreDataApplier(tools).apply(pair);
        TestDatabases.copyData(pair);
    }

    @Test
    @Order(1)
    void aCopiedTableGetsItsOwnIndexesAndKeysAndNothingThatNeedsAnotherTable() {
        SectionReport report = builder.applyTables(pair, 2, List.of("public.store"), MIGRATION);

        assertThat(TestDatabases.strings(pair.target(), KEYS_AND_INDEXES)).containsExactlyInAnyOrder(
                "store store_pkey PRIMARY KEY (id)",
                "store store_name_manager_key UNIQUE (name, manager_id) INCLUDE (id) DEFERRABLE INITIALLY DEFERRED",
                "CREATE UNIQUE INDEX store_pkey ON public.store USING btree (id)",
                "CREATE UNIQUE INDEX store_name_manager_key ON public.store USING btree (name, manager_id) INCLUDE (id)",
                "CREATE UNIQUE INDEX store_name_key ON public.store USING btree (lower(name)) WHERE (name IS NOT NULL)");
        assertThat(report.indexes()).isEqualTo(1);
        assertThat(report.constraints()).isEqualTo(2);
    }

    @Test
    @Order(2)
    void everyTableByItselfBuildsWhatTheSourceHasOnItAndTheForeignKeysToTablesBuiltBefore() {
        for (String table : TestDatabases.strings(pair.source(), """
                SELECT n.nspname || '.' || c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                 WHERE c.relkind = 'r' AND n.nspname = 'public' ORDER BY 1""")) {
            builder.applyTables(pair, 2, List.of(table), MIGRATION);
        }

        List<String> onTarget = TestDatabases.strings(pair.target(), KEYS_AND_INDEXES);
        assertThat(onTarget).contains("customer customer_pkey PRIMARY KEY (id)",
                "customer customer_email_key UNIQUE (email)", "orders_2024 orders_2024_pkey PRIMARY KEY (id, ordered_on)");
        assertThat(onTarget).filteredOn(definition -> definition.contains("FOREIGN KEY")).containsExactlyInAnyOrder(
                "customer customer_preferred_store_fk FOREIGN KEY (preferred_store_id) REFERENCES store(id)",
                "store store_manager_id_fkey FOREIGN KEY (manager_id) REFERENCES customer(id)");
        assertThat(onTarget).as("the partitioned parent's key and foreign key wait for the whole section")
                .noneMatch(definition -> definition.startsWith("orders orders_"));
        assertThat(TestDatabases.strings(pair.target(),
                "SELECT indisclustered::text FROM pg_index WHERE indexrelid = 'public.customer_pkey'::regclass"))
                .containsExactly("true");
    }

    @Test
    @Order(3)
    void theWholeSectionThenAddsTheRestAndTheTargetMatchesTheSource() {
        SectionReport report = builder.apply(pair, 2, MIGRATION);

        assertThat(new SchemaVerifier().verify(pair)).isEmpty();
        assertThat(report.skipped()).isPositive();
        assertThat(report.constraints()).isPositive();
        assertThat(TestDatabases.strings(pair.target(), KEYS_AND_INDEXES))
                .containsExactlyElementsOf(TestDatabases.strings(pair.source(), KEYS_AND_INDEXES));
    }

    @Test
    @Order(4)
    void everyTableWithRowsHasThePlannersStatisticsPartitionedParentsIncluded() {
        List<String> withoutStatistics = TestDatabases.strings(pair.target(), """
                SELECT format('%I.%I', n.nspname, c.relname)
                  FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                 WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p', 'm')
                   AND NOT EXISTS (SELECT 1 FROM pg_statistic s WHERE s.starelid = c.oid)""");

        for (String table : withoutStatistics) {
            assertThat(TestDatabases.strings(pair.target(), "SELECT count(*) FROM " + table))
                    .as("%s has rows but no statistics", table).containsExactly("0");
        }
        assertThat(TestDatabases.strings(pair.target(), """
                SELECT DISTINCT c.relname FROM pg_statistic s JOIN pg_class c ON c.oid = s.starelid
                 WHERE s.stainherit AND c.relname = 'orders'""")).as("autovacuum never analyzes a partitioned parent")
                .containsExactly("orders");
    }
}
