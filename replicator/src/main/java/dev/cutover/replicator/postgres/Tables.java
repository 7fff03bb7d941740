package dev.cutover.replicator.postgres;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.cutover.platform.database.LoadTables;

/**
 * The tables that move: every ordinary table (and leaf partition) of the configured schemas and of {@code cutover}.
 * Partitioned tables hold no rows of their own (their leaves do), views and materialized views are not tables,
 * and an inheritance parent and each of its children are tables of their own. The list itself is
 * {@link LoadTables}, in platform, which schema-service's plan reads too.
 */
public final class Tables {

    private Tables() {
    }

    /** The load's tables, as {@link LoadTables} finds them for the load and for schema-service's plan alike. */
    public static List<TableName> list(Connection source, List<String> schemas) throws SQLException {
        return LoadTables.of(source, schemas).stream().map(table -> new TableName(table.schema(), table.name())).toList();
    }

    /** Those of the tables that are {@code UNLOGGED}: logical replication cannot carry their changes. */
    public static List<TableName> unlogged(Connection source, List<TableName> tables) throws SQLException {
        List<TableName> unlogged = new ArrayList<>();
        try (PreparedStatement statement = source.prepareStatement(
                "SELECT relpersistence = 'u' FROM pg_class WHERE oid = ?::regclass")) {
            for (TableName table : tables) {
                statement.setString(1, table.quoted());
                try (ResultSet row = statement.executeQuery()) {
                    if (row.next() && row.getBoolean(1)) {
                        unlogged.add(table);
                    }
                }
            }
        }
        return unlogged;
    }

    /**
     * The columns of each table that the server computes itself ({@code GENERATED ALWAYS AS ... STORED},
     * PostgreSQL 12+): COPY may not name them. Tables without any are left out of the map.
     */
    public static Map<TableName, Set<String>> generatedColumns(Connection connection, List<TableName> tables)
            throws SQLException {
        Map<TableName, Set<String>> generated = new HashMap<>();
        if (serverVersion(connection) < 120000) {
            return generated;
        }
        try (PreparedStatement statement = connection.prepareStatement("""
                SELECT attname FROM pg_attribute
                WHERE attrelid = ?::regclass AND attnum > 0 AND NOT attisdropped AND attgenerated <> ''""")) {
            for (TableName table : tables) {
                statement.setString(1, table.quoted());
                try (ResultSet rows = statement.executeQuery()) {
                    while (rows.next()) {
                        generated.computeIfAbsent(table, name -> new HashSet<>()).add(rows.getString(1));
                    }
                }
            }
        }
        return generated;
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
