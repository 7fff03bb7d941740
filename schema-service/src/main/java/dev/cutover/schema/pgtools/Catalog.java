package dev.cutover.schema.pgtools;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import dev.cutover.platform.StepFailure;
import dev.cutover.platform.database.Endpoint;
import dev.cutover.platform.database.ServerUnavailable;

/** Small catalog questions every command asks, and the one way SQL failures become step failures. */
public final class Catalog {

    private Catalog() {
    }

    /** 11 for 11.22, 17 for 17.11. */
    public static int majorVersion(Connection connection) throws SQLException {
        return serverVersionNumber(connection) / 10_000;
    }

    /** {@code server_version_num}, e.g. 110022. */
    public static int serverVersionNumber(Connection connection) throws SQLException {
        try (ResultSet result = connection.createStatement().executeQuery("SHOW server_version_num")) {
            result.next();
            return Integer.parseInt(result.getString(1));
        }
    }

    /** Names of the schemas in this database. */
    public static Set<String> schemas(Connection connection) throws SQLException {
        return strings(connection, "SELECT nspname FROM pg_catalog.pg_namespace ORDER BY 1");
    }

    /** Extensions installed in this database, except plpgsql, which every database has. */
    public static Set<String> extensions(Connection connection) throws SQLException {
        return strings(connection, "SELECT extname FROM pg_catalog.pg_extension WHERE extname <> 'plpgsql' ORDER BY 1");
    }

    public static Set<String> strings(Connection connection, String query) throws SQLException {
        Set<String> values = new LinkedHashSet<>();
        try (ResultSet result = connection.createStatement().executeQuery(query)) {
            while (result.next()) {
                values.add(result.getString(1));
            }
        }
        return values;
    }

    public static Array textArray(Connection connection, Collection<String> values) throws SQLException {
        return connection.createArrayOf("text", values.toArray());
    }

    /** Runs a query with one text[] parameter (typically the configured schemas) and returns the first column. */
    public static List<String> stringsFor(Connection connection, String query, Collection<String> values) throws SQLException {
        List<String> result = new ArrayList<>();
        try (PreparedStatement statement = connection.prepareStatement(query)) {
            statement.setArray(1, textArray(connection, values));
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    result.add(rows.getString(1));
                }
            }
        }
        return result;
    }

    /**
     * A failure talking to a server, as a step failure: connection problems may pass (retryable),
     * anything else needs a person.
     */
    public static StepFailure failure(String doing, Endpoint endpoint, SQLException e) {
        boolean retryable = ServerUnavailable.is(e) || "40P01".equals(e.getSQLState());
        return new StepFailure(doing + " on " + endpoint.describe() + " failed: " + e.getMessage(), retryable, e);
    }
}
