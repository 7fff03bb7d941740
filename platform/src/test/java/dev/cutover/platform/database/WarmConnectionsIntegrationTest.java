package dev.cutover.platform.database;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import dev.cutover.stack.LocalStack;
import dev.cutover.stack.SharedStackExtension;

@ExtendWith(SharedStackExtension.class)
class WarmConnectionsIntegrationTest {

    @Test
    void aLeasedConnectionIsHandedOutAgainAndOneThatDiedIsReplacedByANewLogin(LocalStack stack) throws SQLException {
        Endpoint source = endpoint(stack);
        try (WarmConnections connections = new WarmConnections()) {
            int first;
            try (WarmConnections.Lease lease = connections.lease(source)) {
                first = backend(lease.connection());
            }
            try (WarmConnections.Lease lease = connections.lease(source)) {
                assertThat(backend(lease.connection())).isEqualTo(first);
            }
            try (Connection admin = stack.source().connect("postgres"); Statement statement = admin.createStatement()) {
                statement.execute("select pg_terminate_backend(" + first + ")");
                // The signal is only sent: wait until the server has ended the session.
                await().atMost(Duration.ofSeconds(10)).until(() -> {
                    try (ResultSet rs = statement.executeQuery("select count(*) from pg_stat_activity where pid = "
                            + first)) {
                        rs.next();
                        return rs.getInt(1) == 0;
                    }
                });
            }
            try (WarmConnections.Lease lease = connections.lease(source)) {
                assertThat(backend(lease.connection())).isNotEqualTo(first);
            }
        }
    }

    @Test
    void aConnectionLeftInATransactionIsNotKept(LocalStack stack) throws SQLException {
        Endpoint source = endpoint(stack);
        try (WarmConnections connections = new WarmConnections()) {
            int first;
            try (WarmConnections.Lease lease = connections.lease(source)) {
                first = backend(lease.connection());
                lease.connection().setAutoCommit(false);
            }
            try (WarmConnections.Lease lease = connections.lease(source)) {
                assertThat(backend(lease.connection())).isNotEqualTo(first);
                assertThat(lease.connection().getAutoCommit()).isTrue();
            }
        }
    }

    private static Endpoint endpoint(LocalStack stack) {
        return new Endpoint(stack.source().host(), stack.source().port(), "postgres", stack.source().superuser(),
                stack.source().password(), null);
    }

    private static int backend(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement();
                ResultSet rs = statement.executeQuery("select pg_backend_pid()")) {
            rs.next();
            return rs.getInt(1);
        }
    }
}
