package dev.cutover.stack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The layout the sandbox rehearses with: source and target on one port at two loopback addresses. */
class SandboxLayoutIntegrationTest {

    private static LocalStack stack;

    @BeforeAll
    static void startSourceAndTargetOnOnePort() {
        stack = LocalStack.start(StackOptions.sandbox().withParts(StackPart.SOURCE, StackPart.TARGET));
    }

    @AfterAll
    static void stop() {
        stack.close();
    }

    @Test
    void sourceAndTargetListenOnTheSamePortAtTheirOwnAddresses() throws SQLException {
        assertThat(stack.source().port()).isEqualTo(stack.target().port());
        assertThat(query(stack.source(), "SELECT host(inet_server_addr())")).isEqualTo("127.0.0.2");
        assertThat(query(stack.target(), "SELECT host(inet_server_addr())")).isEqualTo("127.0.0.3");
        assertThat(query(stack.source(), "SELECT current_setting('server_version_num')")).startsWith("11");
        assertThat(query(stack.target(), "SELECT current_setting('server_version_num')")).startsWith("17");
    }

    @Test
    void aStoppedServerComesBackOnTheSamePortWithItsData() throws SQLException {
        Postgres target = stack.target();
        int port = target.port();
        try (Connection connection = target.connect("postgres"); Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE survives_restart (id int)");
            statement.execute("INSERT INTO survives_restart VALUES (42)");
        }

        target.stop();
        assertThatThrownBy(() -> target.connect("postgres").close()).isInstanceOf(SQLException.class);
        target.start();

        assertThat(target.port()).isEqualTo(port);
        assertThat(query(target, "SELECT id FROM survives_restart")).isEqualTo("42");
    }

    @Test
    void theStackRefusesToShareOnePortAtOneAddress() {
        assertThatThrownBy(() -> StackOptions.defaults().withSamePostgresPort())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("different addresses");
    }

    private static String query(Postgres server, String sql) throws SQLException {
        try (Connection connection = server.connect("postgres");
                Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery(sql)) {
            rows.next();
            return rows.getString(1);
        }
    }
}
