package dev.cutover.schema.verify;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import dev.cutover.platform.database.DatabasePair;
import dev.cutover.schema.pgtools.PgTools;
import dev.cutover.schema.section.PreDataApplier;
import dev.cutover.schema.testing.TestDatabases;
import dev.cutover.stack.LocalStack;
import dev.cutover.stack.PostgresServer;
import dev.cutover.stack.SharedStackExtension;

/**
 * Objects that newer versions print or keep differently, moved from the stack's PostgreSQL 11 to its 17 and to a
 * PostgreSQL 15 started for the test: procedures (14+ print {@code IN} before each argument), range types (14+
 * create multirange constructor functions of their own) and NOT NULL domains (17 keeps the NOT NULL as a
 * constraint).
 */
@ExtendWith(SharedStackExtension.class)
class ProcedureVerificationIntegrationTest {

    /** The newest PostgreSQL 15 binaries published on Maven Central when this was written. */
    private static final String POSTGRES_15 = "15.19.0";

    private final PreDataApplier preData = new PreDataApplier(new PgTools(null,
            Path.of(System.getProperty("java.io.tmpdir"), "schema-tests"), Duration.ofMinutes(5)));

    @Test
    void proceduresRangesAndNotNullDomainsMovedFrom11To17AreNoDifference(LocalStack stack) {
        DatabasePair pair = TestDatabases.create(stack, "verify_procedure", List.of());
        createProcedures(pair);

        preData.apply(pair);

        assertThat(identity(pair)).containsExactly("IN acct bigint, IN n integer");
        assertThat(new SchemaVerifier().verify(pair)).isEmpty();
    }

    @Test
    void proceduresRangesAndNotNullDomainsMovedFrom11To15AreNoDifference(LocalStack stack) {
        stack.source().createDatabase("verify_procedure_15");
        try (PostgresServer target = PostgresServer.start(PostgresServer.Options.of(POSTGRES_15))) {
            target.createDatabase("verify_procedure_15");
            DatabasePair pair = new DatabasePair(TestDatabases.endpoint(stack.source(), "verify_procedure_15"),
                    TestDatabases.endpoint(target, "verify_procedure_15"), List.of(), List.of());
            createProcedures(pair);

            preData.apply(pair);

            assertThat(identity(pair)).containsExactly("IN acct bigint, IN n integer");
            assertThat(new SchemaVerifier().verify(pair)).isEmpty();
        }
    }

    private static void createProcedures(DatabasePair pair) {
        TestDatabases.execute(pair.source(),
                "CREATE TABLE public.accounts (id bigint, seats integer)",
                "CREATE PROCEDURE public.bump_seats(acct bigint, n integer) LANGUAGE sql"
                        + " AS $$UPDATE public.accounts SET seats = seats + n WHERE id = acct$$",
                "CREATE PROCEDURE public.reset(INOUT done boolean, who text DEFAULT 'ops') LANGUAGE plpgsql"
                        + " AS $$BEGIN done := true; END$$",
                "CREATE TYPE public.floatrange AS RANGE (subtype = float8)",
                "CREATE DOMAIN public.positive_int AS integer NOT NULL CHECK (VALUE > 0)",
                "CREATE TABLE public.shapes (id public.positive_int, span public.floatrange)");
    }

    /** What the target prints for the procedure: the difference the comparison must see through. */
    private static List<String> identity(DatabasePair pair) {
        return TestDatabases.strings(pair.target(), "SELECT pg_get_function_identity_arguments("
                + "'public.bump_seats(bigint, integer)'::regprocedure)");
    }
}
