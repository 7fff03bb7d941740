package dev.cutover.replicator.verify;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

/** Compares one table's range sums from both sides and names every range that differs. */
final class Comparison {

    private Comparison() {
    }

    static List<Mismatch> of(String table, KeyRanges ranges, Map<Integer, RangeSum> source, Map<Integer, RangeSum> target) {
        TreeSet<Integer> buckets = new TreeSet<>(source.keySet());
        buckets.addAll(target.keySet());
        List<Mismatch> mismatches = new ArrayList<>();
        for (int bucket : buckets) {
            RangeSum left = source.getOrDefault(bucket, RangeSum.EMPTY);
            RangeSum right = target.getOrDefault(bucket, RangeSum.EMPTY);
            if (left.matches(right)) {
                continue;
            }
            String detail = left.rows() == right.rows()
                    ? "same row count, different content (checksums differ): some rows were changed on one side only"
                    : countDetail(left.rows(), right.rows());
            String range = ranges.describe(bucket);
            mismatches.add(new Mismatch(table, range.isEmpty() ? Optional.empty() : Optional.of(range),
                    left.rows(), right.rows(), detail));
        }
        return mismatches;
    }

    private static String countDetail(long sourceRows, long targetRows) {
        return sourceRows > targetRows ? (sourceRows - targetRows) + " rows missing on the target"
                : (targetRows - sourceRows) + " rows more on the target than on the source";
    }
}
