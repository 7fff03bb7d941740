package dev.cutover.schema;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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

import dev.cutover.platform.StepFailure;
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
 * Post-data of a load taken up after an interruption, on PostgreSQL 11 -> 17: the load kept every table but
 * {@code customer}, which table synchronisation copies later, so the target's {@code customer} is empty while
 * post-data runs although the kept {@code store} and {@code orders} (partitioned) reference its rows.
 */
@ExtendWith(SharedStackExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ResumedLoadForeignKeysIntegrationTest {

    private static final List<String> WITHHELD = List.of("public.customer");

    /** Foreign keys of the public schema with their definitions. */
    private static final String FOREIGN_KEYS = """
            SELECT c.relname || ' ' || k.conname || ' ' || pg_get_constraintdef(k.oid)
              FROM pg_constraint k JOIN pg_class c ON c.oid = k.conrelid JOIN pg_namespace n ON n.oid = c.relnamespace
             WHERE n.nspname = 'public' AND k.contype = 'f' AND c.relispartition IS NOT TRUE
             ORDER BY 1""";

    private final PgTools tools = new PgTools(null, Path.of(System.getProperty("java.io.tmpdir"), "schema-tests"),
            Duration.ofMinutes(5));
    private final PostDataBuilder builder = new PostDataBuilder(tools);
    private DatabasePair pair;

    @BeforeAll
    void copyEveryTableButTheWithheldOne(LocalStack stack) {
        pair = TestDatabases.create(stack, "schema_resumed_load", List.of());
        TestDatabases.execute(pair.source(), TestDatabases.resource("rich-schema.sql"));
        // Every store has a manager: its foreign key to customer has rows to check.
        TestDatabases.execute(pair.source(), "UPDATE public.store SET manager_id = (SELECT min(id) FROM public.customer)");
        // A key the source itself never validated, over rows it would refuse: it must stay NOT VALID.
        TestDatabases.execute(pair.source(), "CREATE TABLE public.customer_note (customer_id bigint, note text)",
                "INSERT INTO public.customer_note VALUES (-1, 'written before the key')",
                "ALTER TABLE public.customer_note ADD CONSTRAINT customer_note_customer_fk FOREIGN KEY (customer_id)"
                        + " REFERENCES public.customer(id) NOT VALID");
        new PreDataApplier(tools).apply(pair);
        TestDatabases.copyData(pair);
        TestDatabases.execute(pair.target(), "TRUNCATE public.customer");
    }

    @Test
    @Order(1)
    void postDataAddsTheForeignKeysToTheWithheldTableNotValidAndLeavesThePartitionedTablesOneOut() {
        SectionReport report = builder.apply(pair, 2, "migration-resumed", WITHHELD);

        assertThat(TestDatabases.strings(pair.target(), FOREIGN_KEYS)).containsExactly(
                "customer customer_preferred_store_fk FOREIGN KEY (preferred_store_id) REFERENCES store(id)",
                "customer_note customer_note_customer_fk FOREIGN KEY (customer_id) REFERENCES customer(id) NOT VALID",
                "store store_manager_id_fkey FOREIGN KEY (manager_id) REFERENCES customer(id) NOT VALID");
        assertThat(report.note()).hasValueSatisfying(note -> assertThat(note)
                .contains("1 foreign key(s)", "[public.customer]", "NOT VALID", "1 of partitioned tables left out"));
        assertThat(TestDatabases.number(pair.target(), "SELECT count(*) FROM public.customer")).isZero();
    }

    @Test
    @Order(2)
    void finishingThemBeforeTheRowsAreInFailsNamingTheKeyAndTheMissingRows() {
        assertThatThrownBy(() -> builder.finishForeignKeys(pair, 2, WITHHELD))
                .isInstanceOf(StepFailure.class)
                .hasMessageContaining("rows reference keys that are not on the target");
    }

    @Test
    @Order(3)
    void onceTableSynchronisationCopiedTheRowsTheyAreValidatedOrAddedAndTheSchemasMatch() {
        TestDatabases.copyTable(pair, "public.customer");

        int finished = builder.finishForeignKeys(pair, 2, WITHHELD);

        assertThat(finished).isEqualTo(2);
        assertThat(TestDatabases.strings(pair.target(), FOREIGN_KEYS))
                .containsExactlyElementsOf(TestDatabases.strings(pair.source(), FOREIGN_KEYS));
        assertThat(new SchemaVerifier().verify(pair)).isEmpty();
    }

    @Test
    @Order(4)
    void finishingAgainChangesNothing() {
        assertThat(builder.finishForeignKeys(pair, 2, WITHHELD)).isZero();
        assertThat(builder.finishForeignKeys(pair, 2, List.of())).isZero();
    }
}
