package dev.cutover.replicator.copy;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;

/**
 * Decides which ranges of which tables the workers copy, and in which order. The biggest tasks go
 * first so that the longest one starts at once and the small ones fill the gaps at the end.
 */
final class CopyPlan {

    private CopyPlan() {
    }

    /**
     * @param tables         the tables to copy
     * @param workers        how many workers copy at once
     * @param splitThreshold tables larger than this (bytes) are cut into ranges, at most one per worker:
     *                       more would buy no parallelism, and on servers without TID range scans each range
     *                       costs a scan
     */
    static List<CopyTask> of(List<SourceTable> tables, int workers, long splitThreshold) {
        if (workers < 1) {
            throw new IllegalArgumentException("at least one worker is needed, got " + workers);
        }
        if (splitThreshold < 1) {
            throw new IllegalArgumentException("the split threshold must be positive, got " + splitThreshold);
        }
        List<CopyTask> tasks = new ArrayList<>();
        for (SourceTable table : tables) {
            int wanted = (int) Math.min(workers, ceilDiv(table.bytes(), splitThreshold));
            List<CopyRange> ranges = wanted < 2 ? List.of(new CopyRange.All()) : ranges(table, wanted);
            for (CopyRange range : ranges) {
                tasks.add(new CopyTask(table, range, ranges.size(), table.bytes() / ranges.size()));
            }
        }
        tasks.sort(Comparator.comparingLong(CopyTask::estimatedBytes).reversed()
                .thenComparing(task -> task.table().name()));
        return List.copyOf(tasks);
    }

    private static List<CopyRange> ranges(SourceTable table, int parts) {
        return switch (table.split()) {
            case Split.Whole whole -> List.of(new CopyRange.All());
            case Split.ByBlocks byBlocks -> blockRanges(table.blocks(), parts);
            case Split.ByKey byKey -> keyRanges(byKey, parts);
        };
    }

    private static List<CopyRange> blockRanges(long blocks, int parts) {
        int count = (int) Math.min(parts, Math.max(1, blocks));
        if (count < 2) {
            return List.of(new CopyRange.All());
        }
        List<CopyRange> ranges = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            long from = blocks * i / count;
            Optional<Long> to = i == count - 1 ? Optional.empty() : Optional.of(blocks * (i + 1) / count);
            ranges.add(new CopyRange.Blocks(from, to));
        }
        return ranges;
    }

    private static List<CopyRange> keyRanges(Split.ByKey key, int parts) {
        List<String> quantiles = key.quantiles();
        // Quantile i of m sits at fraction (i + 1) / (m + 1); take the ones nearest to 1/parts, 2/parts, ...
        LinkedHashSet<String> bounds = new LinkedHashSet<>();
        for (int j = 1; j < parts && !quantiles.isEmpty(); j++) {
            int index = (int) Math.round((double) j * (quantiles.size() + 1) / parts) - 1;
            bounds.add(quantiles.get(Math.clamp(index, 0, quantiles.size() - 1)));
        }
        if (bounds.isEmpty()) {
            return List.of(new CopyRange.All());
        }
        List<Optional<String>> edges = new ArrayList<>();
        edges.add(Optional.empty());
        bounds.forEach(bound -> edges.add(Optional.of(bound)));
        edges.add(Optional.empty());
        List<CopyRange> ranges = new ArrayList<>();
        for (int i = 0; i + 1 < edges.size(); i++) {
            ranges.add(new CopyRange.Keys(key.column(), key.type(), edges.get(i), edges.get(i + 1)));
        }
        return ranges;
    }

    private static long ceilDiv(long a, long b) {
        return a == 0 ? 0 : (a + b - 1) / b;
    }
}
