package dev.cutover.schema;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CyclicBarrier;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import dev.cutover.platform.database.DatabasePair;
import dev.cutover.schema.pgtools.PgTools;
import dev.cutover.schema.section.PostDataBuilder;
import dev.cutover.schema.section.PreDataApplier;
import dev.cutover.schema.section.SectionReport;
import dev.cutover.schema.section.TablePostData;
import dev.cutover.schema.testing.TestDatabases;
import dev.cutover.schema.verify.SchemaVerifier;
import dev.cutover.stack.LocalStack;
import dev.cutover.stack.SharedStackExtension;

/**
 * A migration's copied tables get their post-data several at once on PostgreSQL 11 -> 17: two tables that reference
 * each other, built at the same time, still get both foreign keys, each built once, and the whole section then adds
 * only what needs the rest.
 */
@ExtendWith(SharedStackExtension.class)
class PostDataOfTablesAtOnceIntegrationTest {

    private static final String MIGRATION = "migration-tables-at-once";

    private final PgTools tools = new PgTools(null, Path.of(System.getProperty("java.io.tmpdir"), "schema-tests"),
            Duration.ofMinutes(5));

    @Test
    void tablesBuiltAtTheSameTimeGetTheForeignKeysBetweenThemOnceAndTheWholeSectionCompletesTheRest(LocalStack stack) {
        DatabasePair pair = TestDatabases.create(stack, "schema_tables_at_once", List.of());
        TestDatabases.execute(pair.source(), TestDatabases.resource("rich-schema.sql"));
        new PreDataApplier(tools).apply(pair);
        TestDatabases.copyData(pair);
        PostDataBuilder builder = new PostDataBuilder(tools);
        List<Throwable> failures = new CopyOnWriteArrayList<>();
        List<SectionReport> reports = new CopyOnWriteArrayList<>();
        // store.manager_id references customer and customer.preferred_store_id references store: both start together.
        CyclicBarrier together = new CyclicBarrier(2);

        try (TablePostData tables = new TablePostData(2)) {
            for (String table : List.of("public.customer", "public.store")) {
                tables.submit(MIGRATION, () -> {
                    try {
                        together.await();
                        reports.add(builder.applyTables(pair, 2, List.of(table), MIGRATION));
                    } catch (InterruptedException | BrokenBarrierException | RuntimeException e) {
                        failures.add(e);
                    }
                });
            }
            tables.awaitAll(MIGRATION);
        }

        assertThat(failures).isEmpty();
        assertThat(TestDatabases.strings(pair.target(), """
                SELECT c.relname || ' ' || k.conname FROM pg_constraint k JOIN pg_class c ON c.oid = k.conrelid
                 WHERE k.contype = 'f' AND c.relnamespace = 'public'::regnamespace ORDER BY 1""")).containsExactly(
                "customer customer_preferred_store_fk", "store store_manager_id_fkey");
        assertThat(reports).hasSize(2);
        assertThat(reports.stream().mapToInt(SectionReport::constraints).sum())
                .as("two primary keys, customer's unique e-mail, store's unique name and the two foreign keys, each once")
                .isEqualTo(6);

        SectionReport whole = builder.apply(pair, 2, MIGRATION);

        assertThat(new SchemaVerifier().verify(pair)).isEmpty();
        assertThat(whole.skipped()).isPositive();
    }
}
