package dev.cutover.replicator.copy;

import java.util.Collection;
import java.util.List;

import dev.cutover.replicator.postgres.TableName;

/**
 * A table to copy, as the source describes it.
 *
 * @param name    schema and name
 * @param columns the columns COPY moves, in order (columns generated on either side are left out: the target
 *                computes them)
 * @param binary  whether COPY may use the binary format: every column is of a built-in type or an enum,
 *                whose binary form is the same on every version; otherwise text
 * @param bytes   size on disk with its TOAST ({@code pg_table_size}): how much there is to copy
 * @param blocks  heap blocks ({@code pg_relation_size / block size}), which block ranges divide
 * @param split   how the table can be cut into ranges
 */
record SourceTable(TableName name, List<String> columns, boolean binary, long bytes, long blocks, Split split) {

    SourceTable {
        columns = List.copyOf(columns);
        if (bytes < 0 || blocks < 0) {
            throw new IllegalArgumentException("negative size for " + name);
        }
    }

    /** The same table with these columns left out of the copy. */
    SourceTable without(Collection<String> leftOut) {
        return new SourceTable(name, columns.stream().filter(column -> !leftOut.contains(column)).toList(), binary, bytes,
                blocks, split);
    }
}
