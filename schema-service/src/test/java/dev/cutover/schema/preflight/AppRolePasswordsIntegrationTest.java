package dev.cutover.schema.preflight;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import dev.cutover.platform.database.DatabasePair;
import dev.cutover.platform.database.Endpoint;
import dev.cutover.schema.pgtools.PgTools;
import dev.cutover.schema.testing.TestDatabases;
import dev.cutover.stack.LocalStack;
import dev.cutover.stack.SharedStackExtension;

/** The application's password on a real PostgreSQL 11 source and 17 target. */
@ExtendWith(SharedStackExtension.class)
class AppRolePasswordsIntegrationTest {

    private static final String RUN = UUID.randomUUID().toString().substring(0, 6);

    private final PreflightChecker checker = new PreflightChecker(
            new PgTools(null, Path.of(System.getProperty("java.io.tmpdir"), "schema-tests"), Duration.ofMinutes(1)),
            Duration.ofMinutes(1));

    @Test
    void theLockedTargetRoleGetsTheSourcesPasswordSoTheApplicationLogsInWithItOnceTheTargetOpens(LocalStack stack)
            throws SQLException {
        String role = "carried_" + RUN;
        DatabasePair pair = TestDatabases.create(stack, "passwords_" + RUN, List.of(role));
        TestDatabases.execute(pair.source(), "create role " + role + " login password 'the-apps-password'");
        TestDatabases.execute(pair.target(), "create role " + role + " nologin password 'set-by-someone-else'");

        assertThat(checker.check(pair, Scope.CUTOVER)).extracting(Finding::check).doesNotContain("app_role_password");
        // What OpenTarget does.
        TestDatabases.execute(pair.target(), "alter role " + role + " login");

        try (Connection application = DriverManager.getConnection(stack.target().jdbcUrl(pair.target().database()),
                role, "the-apps-password")) {
            assertThat(application.isValid(5)).isTrue();
        }
        String verifier = "select rolpassword from pg_authid where rolname = '" + role + "'";
        assertThat(TestDatabases.strings(pair.target(), verifier)).isEqualTo(TestDatabases.strings(pair.source(), verifier))
                .first().asString().startsWith("SCRAM-SHA-256$");
    }

    @Test
    void anAdminWhoCannotReadPasswordVerifiersGetsAWarningSayingWhatToDo(LocalStack stack) {
        String role = "unproven_" + RUN;
        String admin = "rds_like_" + RUN;
        DatabasePair pair = TestDatabases.create(stack, "unproven_" + RUN, List.of(role));
        TestDatabases.execute(pair.source(), "create role " + role + " login password 'the-apps-password'",
                "create role " + admin + " login createrole password 'admin'");
        TestDatabases.execute(pair.target(), "create role " + role + " nologin password 'set-by-someone-else'");
        Endpoint source = pair.source();
        DatabasePair asAdmin = new DatabasePair(new Endpoint(source.host(), source.port(), source.database(), admin,
                "admin", null), pair.target(), pair.appRoles(), pair.schemas());

        assertThat(AppRolePasswords.carryOver(asAdmin))
                .extracting(Finding::severity, Finding::check, Finding::object)
                .containsExactly(tuple(Severity.WARNING, "app_role_password", role));
        assertThat(AppRolePasswords.carryOver(asAdmin).getFirst().remedy())
                .contains("ALTER ROLE " + role + " PASSWORD '...' on the target");
    }
}
