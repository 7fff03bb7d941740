package dev.cutover.replicator.postgres;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/** The tables that move: every ordinary table (and leaf partition) of the configured schemas and of {@code cutover}. */
public final class Tables {

    /** Schema of cutover's own tables (canary, heartbeat), which move with the application's. */
    public static final String CUTOVER_SCHEMA = "cutover";

    private Tables() {
    }

    public static List<TableName> list(Connection source, List<String> schemas) throws SQLException {
        List<String> all = new ArrayList<>(schemas);
        if (!all.contains(CUTOVER_SCHEMA)) {
            all.add(CUTOVER_SCHEMA);
        }
        try (PreparedStatement statement = source.prepareStatement("""
                SELECT n.nspname, c.relname
                FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                WHERE c.relkind = 'r' AND n.nspname = ANY (?)
                ORDER BY 1, 2""")) {
            statement.setArray(1, source.createArrayOf("text", all.toArray()));
            List<TableName> tables = new ArrayList<>();
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    tables.add(new TableName(rows.getString(1), rows.getString(2)));
                }
            }
            return tables;
        }
    }

    /** {@code server_version_num}, e.g. 110022 for 11.22. */
    public static int serverVersion(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement();
                ResultSet row = statement.executeQuery("SELECT current_setting('server_version_num')::int")) {
            row.next();
            return row.getInt(1);
        }
    }
}
