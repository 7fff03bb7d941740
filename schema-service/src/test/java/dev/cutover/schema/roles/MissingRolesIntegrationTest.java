package dev.cutover.schema.roles;

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
import dev.cutover.schema.preflight.Severity;
import dev.cutover.schema.section.PreDataApplier;
import dev.cutover.schema.testing.TestDatabases;
import dev.cutover.stack.LocalStack;
import dev.cutover.stack.SharedStackExtension;

/**
 * A schema whose owners, grants, default privileges and policies name roles the target lacks, on the stack's
 * PostgreSQL 11 -> 17. Roles belong to the server, so each test names its own.
 */
@ExtendWith(SharedStackExtension.class)
class MissingRolesIntegrationTest {

    private final PgTools tools = new PgTools(null, Path.of(System.getProperty("java.io.tmpdir"), "schema-tests"),
            Duration.ofMinutes(5));
    private final PreflightChecker preflight = new PreflightChecker(tools, Duration.ofMinutes(5));

    @Test
    void preflightNamesEveryMissingRoleInOneBlockerWithTheSqlToCreateThem(LocalStack stack) {
        DatabasePair pair = TestDatabases.create(stack, "roles_reported", List.of(), false);
        plantRoles(pair, "rr");

        List<Finding> findings = preflight.check(pair, Scope.MIGRATION);

        assertThat(findings).extracting(Finding::severity, Finding::check, Finding::object).containsExactly(tuple(
                Severity.BLOCKER, "schema_roles", "rr_auditor, rr_base, rr_default_reader, rr_owner, rr_reader"));
        assertThat(findings.getFirst().message()).contains("rr_owner (owns table public.invoices)",
                "rr_base (granted to rr_reader on the source)");
        assertThat(findings.getFirst().remedy()).contains(String.join("\n",
                "CREATE ROLE rr_auditor NOLOGIN;",
                "CREATE ROLE rr_base NOLOGIN;",
                "CREATE ROLE rr_default_reader NOLOGIN;",
                "CREATE ROLE rr_owner NOLOGIN;",
                "CREATE ROLE rr_reader NOLOGIN;",
                "GRANT rr_base TO rr_reader;",
                "GRANT rr_reader TO rr_app;"), "create-missing-roles=true");
    }

    @Test
    void withTheOptionOnPreDataCreatesThemWithoutLoginAndWithTheirMemberships(LocalStack stack) {
        DatabasePair pair = TestDatabases.create(stack, "roles_created", List.of(), true);
        plantRoles(pair, "rc");

        assertThat(preflight.check(pair, Scope.MIGRATION)).extracting(Finding::severity, Finding::check)
                .containsExactly(tuple(Severity.WARNING, "schema_roles"));

        new PreDataApplier(tools).apply(pair);

        assertThat(TestDatabases.strings(pair.target(), """
                SELECT rolname || ' ' || rolcanlogin || ' ' || (rolpassword IS NULL) FROM pg_authid
                 WHERE rolname LIKE 'rc\\_%' ORDER BY 1""")).containsExactly("rc_app true true",
                "rc_auditor false true", "rc_base false true", "rc_default_reader false true", "rc_owner false true",
                "rc_reader false true");
        assertThat(TestDatabases.strings(pair.target(), """
                SELECT r.rolname || ' to ' || m.rolname FROM pg_auth_members a JOIN pg_roles r ON r.oid = a.roleid
                  JOIN pg_roles m ON m.oid = a.member WHERE r.rolname LIKE 'rc\\_%' ORDER BY 1"""))
                .containsExactly("rc_base to rc_reader", "rc_reader to rc_app");
        assertThat(TestDatabases.strings(pair.target(), """
                SELECT pg_get_userbyid(relowner) || ' ' || has_table_privilege('rc_app', oid, 'SELECT')
                  FROM pg_class WHERE oid = 'public.invoices'::regclass""")).containsExactly("rc_owner true");
    }

    /** Roles on the source named by an owner, a grant, a default privilege and a policy; the app role on both sides. */
    private static void plantRoles(DatabasePair pair, String prefix) {
        TestDatabases.execute(pair.target(), "CREATE ROLE " + prefix + "_app LOGIN");
        TestDatabases.execute(pair.source(),
                "CREATE ROLE " + prefix + "_app LOGIN PASSWORD 'never-copied'",
                "CREATE ROLE " + prefix + "_base NOLOGIN",
                "CREATE ROLE " + prefix + "_reader LOGIN PASSWORD 'never-copied' IN ROLE " + prefix + "_base",
                "GRANT " + prefix + "_reader TO " + prefix + "_app",
                "CREATE ROLE " + prefix + "_owner NOLOGIN",
                "CREATE ROLE " + prefix + "_auditor NOLOGIN",
                "CREATE ROLE " + prefix + "_default_reader NOLOGIN",
                "CREATE TABLE public.invoices (id bigint PRIMARY KEY, account bigint)",
                "ALTER TABLE public.invoices OWNER TO " + prefix + "_owner",
                "GRANT SELECT ON public.invoices TO " + prefix + "_reader",
                "ALTER TABLE public.invoices ENABLE ROW LEVEL SECURITY",
                "CREATE POLICY audit ON public.invoices TO " + prefix + "_auditor USING (true)",
                "ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT ON TABLES TO " + prefix + "_default_reader");
    }
}
