package dev.cutover.replicator.copy;

import java.util.List;

/** How a large table can be cut into ranges that separate workers copy. */
sealed interface Split {

    /**
     * By heap block ({@code ctid} ranges). Cheap only where the server has TID range scans (PostgreSQL
     * 14 and later); before that each range scans the whole table.
     */
    record ByBlocks() implements Split {
    }

    /**
     * By ranges of a single-column primary key, for servers without TID range scans.
     *
     * @param column     the key column
     * @param type       its SQL type, to cast the bounds, e.g. {@code uuid}
     * @param quantiles  key values at evenly spaced fractions of the table, ascending, from a sample
     */
    record ByKey(String column, String type, List<String> quantiles) implements Split {

        public ByKey {
            quantiles = List.copyOf(quantiles);
        }
    }

    /** Copied by one worker: small, or nothing to cut it by. */
    record Whole() implements Split {
    }
}
