package dev.cutover.replicator.copy;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import java.util.TreeMap;

import dev.cutover.platform.database.Endpoint;
import dev.cutover.replicator.postgres.Failures;
import dev.cutover.replicator.postgres.Lsn;

/**
 * The tables a load has finished, written on the target as each one is, beside the rows they describe: a replicator
 * killed mid-load gets its {@code CopyData} again from Kafka, without the list the saga would send, and takes the load
 * up from this record instead ({@link LoadResume}). Each row names the load's slot and its consistent point, so a
 * record left by an earlier load of the same name never counts for a later one. The table lives in cutover's own
 * schema, which neither verification compares and the reverse replication does not publish.
 */
final class LoadRecord {

    static final String TABLE = "cutover.copied_tables";

    private LoadRecord() {
    }

    /** Forgets what earlier loads of this slot finished: called before a load starts over. */
    static void clear(Endpoint target, String slot) {
        try (Connection connection = target.connect()) {
            create(connection);
            try (PreparedStatement delete = connection.prepareStatement("DELETE FROM " + TABLE + " WHERE slot = ?")) {
                delete.setString(1, slot);
                delete.executeUpdate();
            }
            TaskRecord.clear(connection, slot);
        } catch (SQLException e) {
            throw Failures.of("clearing the record of an earlier load in " + TABLE, target.describe(), e);
        }
    }

    /** Records a table whose every range is committed on the target. */
    static void copied(Endpoint target, String slot, Lsn consistentPoint, CopiedTable table) {
        try (Connection connection = target.connect();
                PreparedStatement insert = connection.prepareStatement("INSERT INTO " + TABLE
                        + " (slot, consistent_point, table_name, rows) VALUES (?, ?, ?, ?)"
                        + " ON CONFLICT (slot, table_name) DO UPDATE SET consistent_point = EXCLUDED.consistent_point,"
                        + " rows = EXCLUDED.rows")) {
            insert.setString(1, slot);
            insert.setString(2, consistentPoint.toString());
            insert.setString(3, table.table());
            insert.setLong(4, table.rows());
            insert.executeUpdate();
        } catch (SQLException e) {
            throw Failures.of("recording " + table.table() + " as copied in " + TABLE, target.describe(), e);
        }
    }

    /** The progress of a load, recorded before it is passed on. */
    static CopyProgress recording(Endpoint target, String slot, Lsn consistentPoint, CopyProgress progress) {
        return table -> {
            copied(target, slot, consistentPoint, table);
            progress.tableCopied(table);
        };
    }

    /** What the load of {@code slot} from {@code consistentPoint} finished, by qualified table name; empty if nothing. */
    static Map<String, Long> read(Connection target, String slot, Lsn consistentPoint) throws SQLException {
        Map<String, Long> copied = new TreeMap<>();
        try (PreparedStatement select = target.prepareStatement("SELECT table_name, rows FROM " + TABLE
                + " WHERE slot = ? AND consistent_point = ?")) {
            select.setString(1, slot);
            select.setString(2, consistentPoint.toString());
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    copied.put(rows.getString(1), rows.getLong(2));
                }
            }
        } catch (SQLException e) {
            // No record table yet: no load of this version ran against the target.
            if ("42P01".equals(e.getSQLState()) || "3F000".equals(e.getSQLState())) {
                return Map.of();
            }
            throw e;
        }
        return copied;
    }

    private static void create(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute("CREATE SCHEMA IF NOT EXISTS cutover");
            statement.execute("CREATE TABLE IF NOT EXISTS " + TABLE + " (slot text NOT NULL, consistent_point text NOT NULL,"
                    + " table_name text NOT NULL, rows bigint NOT NULL, PRIMARY KEY (slot, table_name))");
            TaskRecord.create(statement);
        }
    }
}
