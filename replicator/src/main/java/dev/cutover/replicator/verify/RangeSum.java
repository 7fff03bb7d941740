package dev.cutover.replicator.verify;

import java.math.BigDecimal;

/**
 * What one side holds in one key range.
 *
 * @param rows     rows in the range
 * @param checksum sum of the rows' 64-bit hashes
 */
record RangeSum(long rows, BigDecimal checksum) {

    static final RangeSum EMPTY = new RangeSum(0, BigDecimal.ZERO);

    RangeSum plus(RangeSum other) {
        return new RangeSum(rows + other.rows, checksum.add(other.checksum));
    }

    boolean matches(RangeSum other) {
        return rows == other.rows && checksum.compareTo(other.checksum) == 0;
    }
}
