package dev.cutover.platform.database;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import dev.cutover.stack.LocalStack;
import dev.cutover.stack.Postgres;
import dev.cutover.stack.SharedStackExtension;

@ExtendWith(SharedStackExtension.class)
class LoginsAtStartUpIntegrationTest {

    @Test
    void loginsThatWorkToRolesThatExistFindNothing(LocalStack stack) {
        DatabasesSettings settings = settings(endpoint(stack.source(), "postgres", stack.source().password()),
                endpoint(stack.target(), "postgres", stack.target().password()), List.of(stack.source().superuser()));

        assertThat(LoginsAtStartUp.problems(settings)).isEmpty();
    }

    @Test
    void aWrongPasswordIsNamedWithTheSettingToCorrect(LocalStack stack) {
        DatabasesSettings settings = settings(endpoint(stack.source(), "postgres", stack.source().password()),
                endpoint(stack.target(), "postgres", "not-the-password"), List.of());

        assertThat(LoginsAtStartUp.problems(settings)).singleElement().asString()
                .startsWith("cannot log in to the target of billing_app (cutover.databases.billing_app.target)")
                .contains("refused the login").contains("check the user, its password and pg_hba.conf")
                .contains("will fail the same way until cutover.databases.billing_app.target or the server is corrected");
    }

    @Test
    void aDatabaseThatDoesNotExistAndAnApplicationRoleNobodyCreatedAreNamed(LocalStack stack) {
        DatabasesSettings settings = settings(endpoint(stack.source(), "postgres", stack.source().password()),
                endpoint(stack.target(), "no_such_database", stack.target().password()), List.of("billing_rw"));

        assertThat(LoginsAtStartUp.problems(settings)).containsExactlyInAnyOrder(
                "the application role(s) [billing_rw] of billing_app do not exist on its source "
                        + stack.source().superuser() + "@" + stack.source().host() + ":" + stack.source().port()
                        + "/postgres: the fence could not lock them out; correct cutover.databases.billing_app"
                        + ".app-roles, or create the roles",
                "cannot log in to the target of billing_app (cutover.databases.billing_app.target): database"
                        + " no_such_database does not exist on " + stack.target().host() + ":" + stack.target().port()
                        + ": check the database name; every step that needs it will fail the same way until"
                        + " cutover.databases.billing_app.target or the server is corrected");
    }

    @Test
    void aServerThatCannotBeReachedNowIsLeftToTheStepsThatNeedIt(LocalStack stack) throws IOException {
        int closed;
        try (ServerSocket socket = new ServerSocket(0)) {
            closed = socket.getLocalPort();
        }
        Endpoint nowhere = new Endpoint("127.0.0.1", closed, "postgres", "postgres", "secret", null);
        DatabasesSettings settings = settings(endpoint(stack.source(), "postgres", stack.source().password()), nowhere,
                List.of());

        assertThat(LoginsAtStartUp.problems(settings)).singleElement().asString()
                .startsWith("cannot log in to the target of billing_app (cutover.databases.billing_app.target): cannot"
                        + " reach PostgreSQL at postgres@127.0.0.1:" + closed)
                .endsWith("every step that needs it tries again");
    }

    @Test
    void aServerThatTakesTheConnectionAndNeverAnswersIsNamedAfterThePatienceWithoutHoldingBackTheOthers(
            LocalStack stack) throws IOException {
        try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            Endpoint mute = new Endpoint("127.0.0.1", silent.getLocalPort(), "postgres", "postgres", "secret", null);
            DatabasesSettings settings = settings(endpoint(stack.source(), "postgres", "not-the-password"), mute,
                    List.of());

            List<String> problems = LoginsAtStartUp.problems(settings, Duration.ofSeconds(1));

            assertThat(problems).hasSize(2);
            assertThat(problems).anySatisfy(problem -> assertThat(problem)
                    .startsWith("cannot log in to the source of billing_app").contains("refused the login"));
            assertThat(problems).anySatisfy(problem -> assertThat(problem)
                    .startsWith("cannot log in to the target of billing_app (cutover.databases.billing_app.target)"));
        }
    }

    private static DatabasesSettings settings(Endpoint source, Endpoint target, List<String> appRoles) {
        return new DatabasesSettings(Map.of("billing_app", new DatabasePair(source, target, appRoles, List.of())));
    }

    private static Endpoint endpoint(Postgres server, String database, String password) {
        return new Endpoint(server.host(), server.port(), database, server.superuser(), password, null);
    }
}
