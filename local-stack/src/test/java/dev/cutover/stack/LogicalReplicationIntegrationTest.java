package dev.cutover.stack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(SharedStackExtension.class)
class LogicalReplicationIntegrationTest {

    private static final String DATABASE = "replication_check";

    @Test
    void aRowInsertedOnTheSourceArrivesOnTheTargetThroughNativeLogicalReplication(LocalStack stack) throws SQLException {
        stack.startupTimes().forEach((part, took) -> System.out.printf("%-6s started in %5d ms%n", part, took.toMillis()));
        Postgres source = stack.source();
        Postgres target = stack.target();
        assertThat(source.majorVersion()).isEqualTo(PostgresBinaries.majorVersion(StackOptions.defaults().sourceVersion()));
        assertThat(target.majorVersion()).isEqualTo(PostgresBinaries.majorVersion(StackOptions.defaults().targetVersion()));
        source.createDatabase(DATABASE);
        target.createDatabase(DATABASE);
        String table = "CREATE TABLE orders (id bigint PRIMARY KEY, item text NOT NULL)";
        execute(source, table, "CREATE PUBLICATION orders_publication FOR TABLE orders");
        execute(target, table, "CREATE SUBSCRIPTION orders_subscription CONNECTION '" + source.connectionString(DATABASE)
                + "' PUBLICATION orders_publication");
        try {
            execute(source, "INSERT INTO orders VALUES (1, 'espresso')");

            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(20))
                    .untilAsserted(() -> assertThat(itemOnTarget(target, 1)).isEqualTo("espresso"));
        } finally {
            execute(target, "DROP SUBSCRIPTION orders_subscription");
        }
    }

    private static String itemOnTarget(Postgres target, long id) throws SQLException {
        try (Connection connection = target.connect(DATABASE);
                Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("SELECT item FROM orders WHERE id = " + id)) {
            return rows.next() ? rows.getString(1) : null;
        }
    }

    private static void execute(Postgres server, String... statements) throws SQLException {
        try (Connection connection = server.connect(DATABASE); Statement statement = connection.createStatement()) {
            for (String sql : statements) {
                statement.execute(sql);
            }
        }
    }
}
