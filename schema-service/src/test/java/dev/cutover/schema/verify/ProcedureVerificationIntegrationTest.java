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
import dev.cutover.stack.SharedStackExtension;

/** Procedures, which PostgreSQL 14 and later print with {@code IN} before each argument, on the stack's 11 -> 17. */
@ExtendWith(SharedStackExtension.class)
class ProcedureVerificationIntegrationTest {

    @Test
    void aProcedureMovedFrom11To17IsNotADifference(LocalStack stack) {
        DatabasePair pair = TestDatabases.create(stack, "verify_procedure", List.of());
        TestDatabases.execute(pair.source(),
                "CREATE TABLE public.accounts (id bigint, seats integer)",
                "CREATE PROCEDURE public.bump_seats(acct bigint, n integer) LANGUAGE sql"
                        + " AS $$UPDATE public.accounts SET seats = seats + n WHERE id = acct$$",
                "CREATE PROCEDURE public.reset(INOUT done boolean, who text DEFAULT 'ops') LANGUAGE plpgsql"
                        + " AS $$BEGIN done := true; END$$");
        new PreDataApplier(new PgTools(null, Path.of(System.getProperty("java.io.tmpdir"), "schema-tests"),
                Duration.ofMinutes(5))).apply(pair);

        assertThat(TestDatabases.strings(pair.target(), "SELECT pg_get_function_identity_arguments("
                + "'public.bump_seats(bigint, integer)'::regprocedure)")).containsExactly("IN acct bigint, IN n integer");
        assertThat(new SchemaVerifier().verify(pair)).isEmpty();
    }
}
