package dev.cutover.schema.preflight;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import dev.cutover.platform.database.DatabasePair;
import dev.cutover.platform.database.Endpoint;
import dev.cutover.platform.database.WarmConnections;
import dev.cutover.schema.pgtools.PgTools;
import dev.cutover.schema.testing.TestDatabases;
import dev.cutover.stack.LocalStack;
import dev.cutover.stack.SharedStackExtension;

/** The cutover's preflight runs as a cutover starts, while its operator waits: every login there is time lost. */
@ExtendWith(SharedStackExtension.class)
class CutoverPreflightLoginsIntegrationTest {

    private static final String APP_ROLE = "preflight_logins_app";

    @Test
    void theCutoversPreflightLogsInOncePerServerAndLeavesTheLoginForTheSwitch(LocalStack stack) {
        DatabasePair pair = TestDatabases.create(stack, "preflight_logins", List.of(APP_ROLE));
        TestDatabases.execute(pair.source(), "CREATE ROLE " + APP_ROLE, "CREATE TABLE public.orders (id bigint PRIMARY KEY)");
        TestDatabases.execute(pair.target(), "CREATE ROLE " + APP_ROLE + " NOLOGIN");
        try (WarmConnections connections = new WarmConnections()) {
            PreflightChecker checker = new PreflightChecker(new PgTools(null,
                    Path.of(System.getProperty("java.io.tmpdir"), "schema-tests"), Duration.ofMinutes(1)),
                    Duration.ofMinutes(5), connections);

            assertThat(checker.check(pair, Scope.CUTOVER)).isEmpty();
            List<String> sourceSessions = sessions(pair.source());
            List<String> targetSessions = sessions(pair.target());
            assertThat(checker.check(pair, Scope.CUTOVER)).isEmpty();

            assertThat(sourceSessions).hasSize(1).isEqualTo(sessions(pair.source()));
            assertThat(targetSessions).hasSize(1).isEqualTo(sessions(pair.target()));
        }
    }

    /** The service's sessions on the endpoint's database, by server process id. */
    private static List<String> sessions(Endpoint endpoint) {
        return TestDatabases.strings(endpoint, "SELECT pid FROM pg_stat_activity WHERE application_name = 'cutover'"
                + " AND datname = current_database() AND pid <> pg_backend_pid()");
    }
}
