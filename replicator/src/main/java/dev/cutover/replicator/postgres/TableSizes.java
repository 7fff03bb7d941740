package dev.cutover.replicator.postgres;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The size of tables on the source, as their share of a copy is estimated. */
public final class TableSizes {

    private TableSizes() {
    }

    /** {@code pg_table_size} of each table (heap, TOAST, free space map; no indexes, which are not copied). */
    public static Map<TableName, Long> of(Connection source, List<TableName> tables) throws SQLException {
        Map<TableName, Long> sizes = new LinkedHashMap<>();
        try (PreparedStatement statement = source.prepareStatement("SELECT pg_table_size(?::regclass)")) {
            for (TableName table : tables) {
                statement.setString(1, table.quoted());
                try (ResultSet row = statement.executeQuery()) {
                    sizes.put(table, row.next() ? row.getLong(1) : 0);
                }
            }
        }
        return sizes;
    }
}
