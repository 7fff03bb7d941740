package dev.cutover.replicator.copy;

import java.sql.Connection;
import java.sql.SQLException;

import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;
import org.postgresql.copy.CopyManager;
import org.postgresql.copy.CopyOperation;
import org.postgresql.copy.CopyOut;

import dev.cutover.platform.StepFailure;
import dev.cutover.replicator.postgres.Sql;

/**
 * Streams one task's rows from a {@code COPY TO STDOUT} on the source into a {@code COPY FROM STDIN} on the target
 * without holding more than one buffer of them in memory. The caller owns both transactions: the source's has the
 * snapshot imported, the target's decides when the rows count.
 */
final class TaskStream {

    /** Rows are gathered into messages of about this size: one network message per row costs throughput. */
    private static final int BUFFER = 256 * 1024;

    private TaskStream() {
    }

    /**
     * What one task moved.
     *
     * @param rows  rows stored on the target
     * @param bytes bytes of COPY stream
     */
    record Moved(long rows, long bytes) {
    }

    /**
     * @param freeze     whether the target's table was emptied in the same transaction, so that COPY may write frozen rows
     * @param checkpoint called between buffers; it throws to stop the copy
     */
    static Moved copy(CopyTask task, Connection from, Connection to, boolean freeze, Runnable checkpoint)
            throws SQLException {
        SourceTable table = task.table();
        String columns = table.columns().isEmpty() ? "" : " (" + Sql.identifiers(table.columns()) + ")";
        // ONLY: an inheritance parent's own rows; its children are tables of their own and are copied as such.
        String select = "SELECT " + Sql.identifiers(table.columns()) + " FROM ONLY " + table.name().quoted()
                + task.range().condition().map(condition -> " WHERE " + condition).orElse("");
        String format = table.binary() ? "binary" : "text";
        CopyManager out = from.unwrap(PGConnection.class).getCopyAPI();
        CopyManager in = to.unwrap(PGConnection.class).getCopyAPI();
        CopyOut reading = null;
        CopyIn writing = null;
        try {
            reading = out.copyOut("COPY (" + select + ") TO STDOUT (FORMAT " + format + ")");
            writing = in.copyIn("COPY " + table.name().quoted() + columns + " FROM STDIN (FORMAT " + format
                    + (freeze ? ", FREEZE" : "") + ")");
            byte[] buffer = new byte[BUFFER];
            int filled = 0;
            long bytes = 0;
            byte[] row;
            while ((row = reading.readFromCopy()) != null) {
                if (filled + row.length > buffer.length) {
                    checkpoint.run();
                    writing.writeToCopy(buffer, 0, filled);
                    filled = 0;
                }
                if (row.length > buffer.length) {
                    writing.writeToCopy(row, 0, row.length);
                } else {
                    System.arraycopy(row, 0, buffer, filled, row.length);
                    filled += row.length;
                }
                bytes += row.length;
            }
            if (filled > 0) {
                writing.writeToCopy(buffer, 0, filled);
            }
            long rows = writing.endCopy();
            refuseSkippedRows(task, reading.getHandledRowCount(), rows);
            return new Moved(rows, bytes);
        } catch (SQLException | RuntimeException e) {
            cancel(reading);
            cancel(writing);
            throw e;
        }
    }

    /** COPY counts only the rows it stored: a BEFORE INSERT trigger that returns NULL drops a row silently. */
    private static void refuseSkippedRows(CopyTask task, long sent, long stored) {
        if (stored != sent) {
            throw new StepFailure("copying " + task.table().name() + " (" + task.range().describe() + "): the target"
                    + " stored " + stored + " of the " + sent + " rows sent; a BEFORE INSERT trigger on the target's"
                    + " table skipped the others (the pre-data section creates no triggers: they come with post-data,"
                    + " after the load). Drop or disable it until the load is done (ALTER TABLE "
                    + task.table().name().quoted() + " DISABLE TRIGGER ...), then send CopyData again", false);
        }
    }

    private static void cancel(CopyOperation operation) {
        if (operation != null && operation.isActive()) {
            try {
                operation.cancelCopy();
            } catch (SQLException e) {
                // The statement that failed is reported; a failed cancel only means the connection is gone.
            }
        }
    }
}
