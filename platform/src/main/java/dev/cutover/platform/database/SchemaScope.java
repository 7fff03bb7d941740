package dev.cutover.platform.database;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * Which schemas of a database a migration moves. By default the whole database: every schema but PostgreSQL's
 * own ({@code pg_catalog}, {@code information_schema}, {@code pg_toast*}, {@code pg_temp*}) and cutover's own
 * ({@code cutover}), less the excluded ones. The scope is a rule, not a list: every step resolves it on the source
 * when it runs, so a schema created after the settings were written is not left behind unnoticed.
 *
 * @param include the schemas to move; empty means every schema of the database
 * @param exclude schemas left behind
 */
public record SchemaScope(List<String> include, List<String> exclude) {

    /** cutover's own schema (canary, heartbeat): installed by cutover on both sides, never moved as the application's. */
    public static final String CUTOVER_SCHEMA = "cutover";

    public SchemaScope {
        include = include == null ? List.of() : List.copyOf(include);
        exclude = exclude == null ? List.of() : List.copyOf(exclude);
        List<String> both = include.stream().filter(exclude::contains).toList();
        if (!both.isEmpty()) {
            throw new IllegalArgumentException("schemas " + both + " are both in schemas and in exclude-schemas:"
                    + " keep each in one list");
        }
        List<String> reserved = include.stream().filter(SchemaScope::reserved).toList();
        if (!reserved.isEmpty()) {
            throw new IllegalArgumentException("schemas " + reserved + " cannot be moved: they are PostgreSQL's or"
                    + " cutover's own; remove them from schemas");
        }
    }

    /** Every schema of the database but the excluded ones: pg_dump then dumps the database, not a list of schemas. */
    public boolean wholeDatabase() {
        return include.isEmpty();
    }

    /**
     * A SQL condition that {@code column}, a schema name, is in a scope; {@link #bind} sets its three parameters.
     * For a query that must not spend a round trip on {@link #resolve} first (the sequences, inside the downtime).
     */
    public static String condition(String column) {
        return "(left(" + column + ", 3) <> 'pg_' AND " + column + " NOT IN ('information_schema', '" + CUTOVER_SCHEMA
                + "') AND (cardinality(?::text[]) = 0 OR " + column + " = ANY (?::text[])) AND NOT " + column
                + " = ANY (?::text[]))";
    }

    /** Sets the parameters of one {@link #condition} from {@code first} on; returns the next parameter's index. */
    public int bind(PreparedStatement statement, int first) throws SQLException {
        Connection connection = statement.getConnection();
        statement.setArray(first, connection.createArrayOf("text", include.toArray()));
        statement.setArray(first + 1, connection.createArrayOf("text", include.toArray()));
        statement.setArray(first + 2, connection.createArrayOf("text", exclude.toArray()));
        return first + 3;
    }

    /** The schemas in scope on this server now, by name; included schemas the server lacks are not among them. */
    public List<String> resolve(Connection connection) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(
                "SELECT n.nspname FROM pg_catalog.pg_namespace n WHERE " + condition("n.nspname") + " ORDER BY 1")) {
            bind(statement, 1);
            List<String> schemas = new ArrayList<>();
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    schemas.add(rows.getString(1));
                }
            }
            return schemas;
        }
    }

    /** "the whole database", "the whole database but [audit]" or "schemas [sales, billing]", for messages. */
    public String describe() {
        if (wholeDatabase()) {
            return exclude.isEmpty() ? "the whole database" : "the whole database but " + exclude;
        }
        return "schemas " + include + (exclude.isEmpty() ? "" : " but " + exclude);
    }

    private static boolean reserved(String schema) {
        return schema.startsWith("pg_") || schema.equals("information_schema") || schema.equals(CUTOVER_SCHEMA);
    }
}
