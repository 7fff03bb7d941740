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
import dev.cutover.schema.sequences.SequenceSync;
import dev.cutover.schema.sequences.SyncReport;
import dev.cutover.schema.testing.TestDatabases;
import dev.cutover.schema.verify.Difference;
import dev.cutover.schema.verify.SchemaVerifier;
import dev.cutover.stack.LocalStack;
import dev.cutover.stack.SharedStackExtension;

/**
 * The whole schema path on the stack's PostgreSQL 11 -> 17, in the order a migration runs it:
 * pre-data, the copy, post-data, verification, sequence sync.
 */
@ExtendWith(SharedStackExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SchemaRoundTripIntegrationTest {

    /** Objects the post-data section creates: after pre-data they are exactly what is missing. */
    private static final List<String> POST_DATA_KINDS = List.of("MISSING_INDEX", "MISSING_CONSTRAINT", "MISSING_TRIGGER");

    private final PgTools tools = new PgTools(null, Path.of(System.getProperty("java.io.tmpdir"), "schema-tests"),
            Duration.ofMinutes(5));
    private final SchemaVerifier verifier = new SchemaVerifier();
    private DatabasePair pair;

    @BeforeAll
    void createTheRichSchemaOnTheSource(LocalStack stack) {
        pair = TestDatabases.create(stack, "schema_round_trip", List.of());
        TestDatabases.execute(pair.source(), TestDatabases.resource("rich-schema.sql"));
    }

    @Test
    @Order(1)
    void preDataLeavesOnlyPostDataObjectsMissing() {
        SectionReport report = new PreDataApplier(tools).apply(pair);

        assertThat(report.statements()).isPositive();
        List<Difference> differences = verifier.verify(pair);
        assertThat(differences).isNotEmpty().allSatisfy(difference -> assertThat(difference.kind()).isIn(POST_DATA_KINDS));
        assertThat(TestDatabases.strings(pair.target(), "SELECT to_regclass('cutover.canary')::text")).containsExactly("cutover.canary");
        assertThat(TestDatabases.strings(pair.source(), "SELECT to_regclass('cutover.heartbeat')::text")).containsExactly("cutover.heartbeat");
    }

    @Test
    @Order(2)
    void postDataAfterTheCopyLeavesNoDifferenceAndPopulatedViews() {
        TestDatabases.copyData(pair);

        SectionReport report = new PostDataBuilder(tools).apply(pair, 3);

        assertThat(verifier.verify(pair)).isEmpty();
        assertThat(report.indexes()).isEqualTo(TestDatabases.number(pair.source(), """
                SELECT count(*) FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
                  JOIN pg_namespace n ON n.oid = c.relnamespace
                 WHERE n.nspname = 'public' AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = i.indexrelid)"""));
        assertThat(report.constraints()).isEqualTo(TestDatabases.number(pair.source(), """
                SELECT count(*) FROM pg_constraint k JOIN pg_class c ON c.oid = k.conrelid
                  JOIN pg_namespace n ON n.oid = c.relnamespace
                 WHERE n.nspname = 'public' AND k.contype IN ('p', 'u', 'f', 'x') AND (k.contype <> 'f' OR k.conparentid = 0)"""));
        assertThat(report.skipped()).isZero();
        String counts = "SELECT string_agg(status || '=' || n, ',' ORDER BY status) FROM public.status_counts";
        assertThat(TestDatabases.strings(pair.target(), counts)).isEqualTo(TestDatabases.strings(pair.source(), counts));
    }

    @Test
    @Order(3)
    void postDataSentAgainBuildsNothingTwice() {
        SectionReport report = new PostDataBuilder(tools).apply(pair, 2);

        assertThat(report.indexes()).isZero();
        assertThat(report.constraints()).isZero();
        assertThat(report.skipped()).isPositive();
        assertThat(verifier.verify(pair)).isEmpty();
    }

    @Test
    @Order(4)
    void afterTheSyncEverySequenceOnTheTargetStandsWhereTheSourcesDoes() {
        TestDatabases.execute(pair.source(), "INSERT INTO public.store (name) VALUES ('late store')",
                "SELECT nextval('public.invoice_number')", "SELECT setval('public.countdown', 7, true)");

        SyncReport report = new SequenceSync().sync(pair, 0);

        List<String> sequences = TestDatabases.strings(pair.source(),
                "SELECT format('%I.%I', schemaname, sequencename) FROM pg_sequences WHERE schemaname = 'public' ORDER BY 1");
        assertThat(sequences).contains("public.customer_id_seq", "public.store_id_seq", "public.orders_id_seq",
                "public.invoice_number", "public.countdown");
        assertThat(report.sequences()).isEqualTo(sequences.size());
        for (String sequence : sequences) {
            String position = "SELECT last_value || ' ' || is_called FROM " + sequence;
            assertThat(TestDatabases.strings(pair.target(), position)).as(sequence)
                    .isEqualTo(TestDatabases.strings(pair.source(), position));
        }
        assertThat(TestDatabases.strings(pair.target(), "SELECT nextval('public.store_id_seq')"))
                .isEqualTo(TestDatabases.strings(pair.source(), "SELECT nextval('public.store_id_seq')"));
    }
}
