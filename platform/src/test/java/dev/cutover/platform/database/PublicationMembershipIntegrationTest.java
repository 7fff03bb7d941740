package dev.cutover.platform.database;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import dev.cutover.platform.StepFailure;
import dev.cutover.stack.LocalStack;
import dev.cutover.stack.SharedStackExtension;

/** Settling tables added to a publication, on the local stack's PostgreSQL 11 source. */
@ExtendWith(SharedStackExtension.class)
class PublicationMembershipIntegrationTest {

    @Test
    void aWriteStillOpenFromBeforeTheChangeHoldsItUpAndPastThePatienceItFailsRetryablyNamingTheSession(LocalStack stack)
            throws SQLException {
        try (Connection admin = stack.source().connect("postgres"); Statement statement = admin.createStatement();
                Connection open = stack.source().connect("postgres")) {
            statement.execute("CREATE TABLE settle_open (id int PRIMARY KEY)");
            statement.execute("CREATE PUBLICATION settle_open_pub");
            try {
                open.setAutoCommit(false);
                try (Statement writing = open.createStatement()) {
                    writing.execute("SET application_name = 'the-open-writer'");
                    writing.execute("INSERT INTO settle_open VALUES (1)");
                }
                statement.execute("ALTER PUBLICATION settle_open_pub ADD TABLE settle_open");

                assertThatThrownBy(() -> PublicationMembership.settle(admin, "settle_open_pub",
                        List.of("settle_open"), Duration.ZERO))
                        .isInstanceOfSatisfying(StepFailure.class, failure -> assertThat(failure.retryable()).isTrue())
                        .hasMessageContaining("settle_open_pub")
                        .hasMessageContaining("pid " + backend(open))
                        .hasMessageContaining("the-open-writer")
                        .hasMessageContaining("send the command again");

                open.commit();
                PublicationMembership.settle(admin, "settle_open_pub", List.of("settle_open"), Duration.ofSeconds(10));

                assertThat(count(statement, "SELECT count(*) FROM pg_publication WHERE pubname LIKE 'cutover\\_settle\\_%'"))
                        .as("the scratch publication lived only inside its transaction").isZero();
                assertThat(count(statement, "SELECT count(*) FROM pg_publication_tables WHERE pubname = 'settle_open_pub'"))
                        .as("the publication itself unchanged").isEqualTo(1);
            } finally {
                open.rollback();
                statement.execute("DROP PUBLICATION settle_open_pub");
                statement.execute("DROP TABLE settle_open");
            }
        }
    }

    private static int backend(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement();
                ResultSet row = statement.executeQuery("SELECT pg_backend_pid()")) {
            row.next();
            return row.getInt(1);
        }
    }

    private static long count(Statement statement, String sql) throws SQLException {
        try (ResultSet row = statement.executeQuery(sql)) {
            row.next();
            return row.getLong(1);
        }
    }
}
