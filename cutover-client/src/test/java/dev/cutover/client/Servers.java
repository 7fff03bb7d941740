package dev.cutover.client;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

import dev.cutover.stack.Postgres;

/** What the servers say about the application's connections. */
public final class Servers {

    private Servers() {
    }

    /** The address of the server {@code connection} reached. */
    public static String serverAddress(Connection connection) throws SQLException {
        return single(connection, "select host(inet_server_addr())");
    }

    /** The one value {@code sql} returns on {@code connection}, as text. */
    public static String single(Connection connection, String sql) throws SQLException {
        try (Statement statement = connection.createStatement(); ResultSet row = statement.executeQuery(sql)) {
            row.next();
            return row.getString(1);
        }
    }

    /** How many sessions {@code application} has on {@code server}. */
    public static int sessions(Postgres server, String application) throws SQLException {
        return count(server, application, "");
    }

    /** True while one of {@code application}'s sessions on {@code server} waits for a lock. */
    public static boolean waitingForALock(Postgres server, String application) throws SQLException {
        return count(server, application, " and wait_event_type = 'Lock'") > 0;
    }

    private static int count(Postgres server, String application, String condition) throws SQLException {
        try (Connection admin = server.connect(SandboxStack.DATABASE);
                PreparedStatement count = admin.prepareStatement(
                        "select count(*) from pg_stat_activity where application_name = ?" + condition)) {
            count.setString(1, application);
            try (ResultSet row = count.executeQuery()) {
                row.next();
                return row.getInt(1);
            }
        }
    }
}
