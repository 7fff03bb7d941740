package dev.cutover.replicator.copy;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;

/**
 * Decides which ranges of which tables the workers copy, and in which order. The biggest tasks go
 * first so that the longest one starts at once and the small ones fill the gaps at the end.
 *
 * <p>A table is cut into ranges only where that shortens the copy. A table copied whole is truncated and
 * loaded in one transaction with {@code COPY FREEZE}, so the target never rewrites its pages later to set
 * hint bits or freeze them, and below PostgreSQL 14 every range of a table costs a scan of all of it; so
 * the plan starts from whole tables and cuts, one more range at a time, the table whose pieces are the
 * largest, as long as the workers' estimated finish (largest first, each task to the least loaded worker)
 * gets earlier and is more than {@value #SLACK_PERCENT}% beyond an even share of the bytes.
 */
final class CopyPlan {

    /** How far beyond an even share of the bytes the busiest worker may end before a table is cut further. */
    static final int SLACK_PERCENT = 10;

    private CopyPlan() {
    }

    /**
     * @param tables         the tables to copy
     * @param workers        how many workers copy at once
     * @param splitThreshold only tables larger than this (bytes) may be cut into ranges, and into at most one
     *                       range per this many bytes and one per worker: more would buy no parallelism, and on
     *                       servers without TID range scans each range costs a scan
     */
    static List<CopyTask> of(List<SourceTable> tables, int workers, long splitThreshold) {
        if (workers < 1) {
            throw new IllegalArgumentException("at least one worker is needed, got " + workers);
        }
        if (splitThreshold < 1) {
            throw new IllegalArgumentException("the split threshold must be positive, got " + splitThreshold);
        }
        int[] parts = parts(tables, workers, splitThreshold);
        List<CopyTask> tasks = new ArrayList<>();
        for (int t = 0; t < tables.size(); t++) {
            SourceTable table = tables.get(t);
            List<CopyRange> ranges = parts[t] < 2 ? List.of(new CopyRange.All()) : ranges(table, parts[t]);
            for (CopyRange range : ranges) {
                tasks.add(new CopyTask(table, range, ranges.size(), table.bytes() / ranges.size()));
            }
        }
        tasks.sort(Comparator.comparingLong(CopyTask::estimatedBytes).reversed()
                .thenComparing(task -> task.table().name()));
        return List.copyOf(tasks);
    }

    /** How many ranges each table is cut into, see the class comment. */
    private static int[] parts(List<SourceTable> tables, int workers, long splitThreshold) {
        int[] parts = new int[tables.size()];
        int[] most = new int[tables.size()];
        long total = 0;
        for (int t = 0; t < tables.size(); t++) {
            SourceTable table = tables.get(t);
            parts[t] = 1;
            boolean cuttable = !(table.split() instanceof Split.Whole) && table.bytes() > splitThreshold;
            most[t] = cuttable ? (int) Math.min(workers, ceilDiv(table.bytes(), splitThreshold)) : 1;
            total += table.bytes();
        }
        double enough = (double) total / workers * (100 + SLACK_PERCENT) / 100;
        long finish = finish(tables, parts, workers);
        while (finish > enough) {
            int widest = -1;
            for (int t = 0; t < tables.size(); t++) {
                if (parts[t] < most[t] && (widest < 0
                        || tables.get(t).bytes() / parts[t] > tables.get(widest).bytes() / parts[widest])) {
                    widest = t;
                }
            }
            if (widest < 0) {
                break;
            }
            parts[widest]++;
            long cut = finish(tables, parts, workers);
            if (cut >= finish) {
                parts[widest]--;
                break;
            }
            finish = cut;
        }
        return parts;
    }

    /** When the busiest worker ends, in bytes, if tasks go largest first to the least loaded worker. */
    private static long finish(List<SourceTable> tables, int[] parts, int workers) {
        List<Long> sizes = new ArrayList<>();
        for (int t = 0; t < tables.size(); t++) {
            for (int part = 0; part < parts[t]; part++) {
                sizes.add(tables.get(t).bytes() / parts[t]);
            }
        }
        sizes.sort(Comparator.reverseOrder());
        long[] loads = new long[workers];
        for (long size : sizes) {
            int least = 0;
            for (int w = 1; w < workers; w++) {
                least = loads[w] < loads[least] ? w : least;
            }
            loads[least] += size;
        }
        long busiest = 0;
        for (long load : loads) {
            busiest = Math.max(busiest, load);
        }
        return busiest;
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
