package dev.cutover.schema.section;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import dev.cutover.platform.StepFailure;
import dev.cutover.platform.database.DatabasePair;
import dev.cutover.platform.database.Endpoint;
import dev.cutover.schema.pgtools.PgTools;
import dev.cutover.schema.sequences.SequenceSync;
import dev.cutover.schema.testing.TestDatabases;
import dev.cutover.stack.LocalStack;
import dev.cutover.stack.SharedStackExtension;

/** What an operator reads when a schema step cannot be done, provoked on real servers. */
@ExtendWith(SharedStackExtension.class)
class SchemaFailuresIntegrationTest {

    private static final Path WORK = Path.of(System.getProperty("java.io.tmpdir"), "schema-tests");
    private final PgTools tools = new PgTools(null, WORK, Duration.ofMinutes(1));

    @Test
    void preDataOntoATargetThatHasAnObjectAlreadyAsksForAnEmptyDatabase(LocalStack stack) {
        DatabasePair pair = TestDatabases.create(stack, "failure_exists", List.of());
        // A collation is no object VerifySchema compares, so this target is not taken for one created beforehand.
        String collation = "CREATE COLLATION public.plain (provider = libc, locale = 'C')";
        TestDatabases.execute(pair.source(), "CREATE TABLE public.orders (id bigint PRIMARY KEY)", collation);
        TestDatabases.execute(pair.target(), collation);

        assertThatThrownBy(() -> new PreDataApplier(tools).apply(pair)).isInstanceOfSatisfying(StepFailure.class,
                failure -> {
                    assertThat(failure.getMessage()).contains("already has an object").contains("\"plain\"")
                            .contains("already exists").contains("empty database");
                    assertThat(failure.retryable()).isFalse();
                });
    }

    @Test
    void aMissingPgDumpSaysWhatToInstall(LocalStack stack) {
        DatabasePair pair = TestDatabases.create(stack, "failure_no_pg_dump", List.of());
        PgTools nowhere = new PgTools(WORK.resolve("no-such-bin"), WORK, Duration.ofMinutes(1));

        assertThatThrownBy(() -> new PreDataApplier(nowhere).apply(pair)).isInstanceOf(StepFailure.class)
                .hasMessageContaining("pg_dump was not found").hasMessageContaining("cutover.schema.client-bin");
    }

    @Test
    void aTargetUserWithoutPrivilegesIsToldToUseAStrongerOne(LocalStack stack) {
        DatabasePair admin = TestDatabases.create(stack, "failure_weak_user", List.of());
        TestDatabases.execute(admin.source(), "CREATE TABLE public.orders (id bigint PRIMARY KEY)");
        TestDatabases.execute(admin.target(), "CREATE ROLE schema_weak LOGIN PASSWORD 'weak'");
        Endpoint weak = new Endpoint(admin.target().host(), admin.target().port(), admin.target().database(),
                "schema_weak", "weak", null);
        DatabasePair pair = new DatabasePair(admin.source(), weak, List.of(), List.of("public"));

        assertThatThrownBy(() -> new PreDataApplier(tools).apply(pair)).isInstanceOf(StepFailure.class)
                .hasMessageContaining("too few privileges").hasMessageContaining("schema_weak@");
    }

    @Test
    void duplicateRowsOnTheTargetStopTheKeyAndSayWhy(LocalStack stack) {
        DatabasePair pair = TestDatabases.create(stack, "failure_duplicates", List.of());
        TestDatabases.execute(pair.source(), "CREATE TABLE public.orders (id bigint PRIMARY KEY)");
        new PreDataApplier(tools).apply(pair);
        TestDatabases.execute(pair.target(), "INSERT INTO public.orders VALUES (1), (1)");

        assertThatThrownBy(() -> new PostDataBuilder(tools).apply(pair, 2)).isInstanceOf(StepFailure.class)
                .hasMessageContaining("CONSTRAINT INDEX public.orders_pkey").hasMessageContaining("duplicate rows");
    }

    @Test
    void aSequenceMissingOnTheTargetAsksForTheSchemaFirst(LocalStack stack) {
        DatabasePair pair = TestDatabases.create(stack, "failure_no_sequence", List.of());
        TestDatabases.execute(pair.source(), "CREATE SEQUENCE public.ticket_number");

        assertThatThrownBy(() -> new SequenceSync().sync(pair, 0)).isInstanceOf(StepFailure.class)
                .hasMessageContaining("missing on").hasMessageContaining("ApplySchema PRE_DATA");
    }
}
