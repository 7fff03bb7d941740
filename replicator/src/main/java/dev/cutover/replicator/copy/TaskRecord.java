package dev.cutover.replicator.copy;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Optional;

/**
 * The tasks of shared loads committed on the target, each written in the transaction that stored its rows. Kafka may
 * give a task to a second instance (the first one's offset was not committed when it died, or a rebalance moved its
 * partition): the record says the rows are there already, and its key stops two copies of one task from both
 * committing. A range is not emptied before it is copied, so without this a range given twice would be there twice.
 */
final class TaskRecord {

    static final String TABLE = "cutover.copied_tasks";

    private TaskRecord() {
    }

    /** Called with {@link LoadRecord}'s, before a load's tasks are handed out. */
    static void create(Statement statement) throws SQLException {
        statement.execute("CREATE TABLE IF NOT EXISTS " + TABLE + " (load_id text NOT NULL, task int NOT NULL,"
                + " slot text NOT NULL, table_name text NOT NULL, rows bigint NOT NULL, bytes bigint NOT NULL,"
                + " PRIMARY KEY (load_id, task))");
    }

    static void clear(Connection target, String slot) throws SQLException {
        try (PreparedStatement delete = target.prepareStatement("DELETE FROM " + TABLE + " WHERE slot = ?")) {
            delete.setString(1, slot);
            delete.executeUpdate();
        }
    }

    /** What an earlier delivery of the task committed, if one did. */
    static Optional<TaskStream.Moved> find(Connection target, SharedTask task) throws SQLException {
        try (PreparedStatement select = target.prepareStatement("SELECT rows, bytes FROM " + TABLE
                + " WHERE load_id = ? AND task = ?")) {
            select.setString(1, task.loadId());
            select.setInt(2, task.number());
            try (ResultSet row = select.executeQuery()) {
                return row.next() ? Optional.of(new TaskStream.Moved(row.getLong(1), row.getLong(2))) : Optional.empty();
            }
        }
    }

    /** In the transaction that copied the rows; a second copy of the task committed first makes it fail (23505). */
    static void insert(Connection target, SharedTask task, TaskStream.Moved moved) throws SQLException {
        try (PreparedStatement insert = target.prepareStatement("INSERT INTO " + TABLE
                + " (load_id, task, slot, table_name, rows, bytes) VALUES (?, ?, ?, ?, ?, ?)")) {
            insert.setString(1, task.loadId());
            insert.setInt(2, task.number());
            insert.setString(3, task.slot());
            insert.setString(4, task.table().toString());
            insert.setLong(5, moved.rows());
            insert.setLong(6, moved.bytes());
            insert.executeUpdate();
        }
    }
}
