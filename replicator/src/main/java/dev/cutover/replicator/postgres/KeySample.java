package dev.cutover.replicator.postgres;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Key values that cut a table into ranges of about equal row counts, from a sample of its blocks. The
 * ranges need not be exact, only the same wherever they are used, so a cheap sample is enough.
 */
public final class KeySample {

    /** Blocks a sample reads at most: enough rows for fine quantiles, cheap for any table. */
    private static final long SAMPLE_BLOCKS = 1000;

    private KeySample() {
    }

    /**
     * A table's leading primary-key column.
     *
     * @param column the column's name
     * @param type   its SQL type as {@code format_type} writes it, to cast bounds with
     * @param only   whether it is the whole primary key
     */
    public record KeyColumn(String column, String type, boolean only) {
    }

    public static Optional<KeyColumn> leadingKeyColumn(Connection connection, TableName table) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement("""
                SELECT a.attname, format_type(a.atttypid, a.atttypmod), i.indnatts = 1
                FROM pg_index i JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = i.indkey[0]
                WHERE i.indrelid = ?::regclass AND i.indisprimary""")) {
            statement.setString(1, table.quoted());
            try (ResultSet row = statement.executeQuery()) {
                return row.next() ? Optional.of(new KeyColumn(row.getString(1), row.getString(2), row.getBoolean(3)))
                        : Optional.empty();
            }
        }
    }

    /**
     * {@code count} values of the column at fractions 1/(count+1) .. count/(count+1) of a sample of the
     * table, ascending, without repeats; empty for an empty table.
     */
    public static List<String> quantiles(Connection connection, TableName table, String column, int count, long blocks)
            throws SQLException {
        return quantiles(connection, table, column, count, blocks, "");
    }

    /** The same, from a sample of blocks that {@code seed} picks: the same blocks again while the table is unchanged. */
    public static List<String> quantiles(Connection connection, TableName table, String column, int count, long blocks,
            long seed) throws SQLException {
        return quantiles(connection, table, column, count, blocks, " REPEATABLE (" + seed + ")");
    }

    private static List<String> quantiles(Connection connection, TableName table, String column, int count, long blocks,
            String repeatable) throws SQLException {
        double percent = Math.min(100.0, 100.0 * SAMPLE_BLOCKS / Math.max(1, blocks));
        StringBuilder fractions = new StringBuilder("ARRAY[");
        for (int i = 1; i <= count; i++) {
            fractions.append(i == 1 ? "" : ",").append((double) i / (count + 1));
        }
        fractions.append("]::float8[]");
        String sql = "SELECT (percentile_disc(" + fractions + ") WITHIN GROUP (ORDER BY " + Sql.identifier(column)
                + "))::text[] FROM ONLY " + table.quoted() + " TABLESAMPLE SYSTEM (" + percent + ")" + repeatable;
        try (Statement statement = connection.createStatement(); ResultSet row = statement.executeQuery(sql)) {
            row.next();
            Array array = row.getArray(1);
            if (array == null) {
                return List.of();
            }
            return Arrays.stream((String[]) array.getArray()).distinct().toList();
        }
    }
}
