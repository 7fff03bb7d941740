package dev.cutover.replicator.copy;

import java.util.List;
import java.util.Objects;

import dev.cutover.replicator.postgres.Lsn;
import dev.cutover.replicator.postgres.TableName;

/**
 * One task of a full load shared by several replicator instances, as it travels to whichever instance takes it: all
 * it needs to copy its rows inside the load's exported snapshot, with nothing of the plan that made it.
 *
 * @param loadId          the load it belongs to; its answer and its record on the target name it
 * @param number          the task's number in the load, from 0
 * @param slot            the load's slot
 * @param consistentPoint the slot's consistent point; a slot of that name elsewhere means the load is over
 * @param snapshotName    the exported snapshot, importable while the load's instance keeps its connection open
 * @param table           the table
 * @param columns         the columns COPY moves, in order
 * @param binary          whether COPY uses the binary format
 * @param range           the task's rows
 * @param parts           how many tasks the table was cut into; 1 when copied whole (emptied in the same transaction)
 * @param estimatedBytes  the share of the table's size the task is expected to move
 */
public record SharedTask(String loadId, int number, String slot, Lsn consistentPoint, String snapshotName,
        TableName table, List<String> columns, boolean binary, CopyRange range, int parts, long estimatedBytes) {

    public SharedTask {
        Objects.requireNonNull(loadId, "loadId");
        Objects.requireNonNull(slot, "slot");
        Objects.requireNonNull(consistentPoint, "consistentPoint");
        Objects.requireNonNull(snapshotName, "snapshotName");
        Objects.requireNonNull(table, "table");
        Objects.requireNonNull(range, "range");
        columns = List.copyOf(columns);
        if (number < 0 || parts < 1) {
            throw new IllegalArgumentException("task " + number + " of a table cut into " + parts + " parts");
        }
    }

    static SharedTask of(String loadId, int number, ExportedSnapshot snapshot, CopyTask task) {
        SourceTable table = task.table();
        return new SharedTask(loadId, number, snapshot.slot(), snapshot.consistentPoint(), snapshot.snapshotName(),
                table.name(), table.columns(), table.binary(), task.range(), task.parts(), task.estimatedBytes());
    }

    /** The task as this instance's copy takes it; only the table's name, columns and format matter there. */
    CopyTask copyTask() {
        return new CopyTask(new SourceTable(table, columns, binary, estimatedBytes, 0, new Split.Whole()), range, parts,
                estimatedBytes);
    }

    /** e.g. {@code public.orders (blocks [0,1200))}, for logs and messages. */
    public String describe() {
        return table + " (" + range.describe() + ")";
    }
}
