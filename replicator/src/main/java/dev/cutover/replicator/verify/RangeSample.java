package dev.cutover.replicator.verify;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;

import dev.cutover.replicator.postgres.TableName;

/** Which of a table's ranges a sampled verification compares, and how they are read: pure, so it can be repeated. */
final class RangeSample {

    private RangeSample() {
    }

    /** Consecutive ranges {@code first} to {@code last}, read by one scan of the key between their bounds. */
    record Run(int first, int last) {

        Run {
            if (first < 0 || last < first) {
                throw new IllegalArgumentException("a run needs 0 <= first <= last, was " + first + ".." + last);
            }
        }

        int length() {
            return last - first + 1;
        }
    }

    /**
     * {@code ceil(fraction * ranges)} ranges (at least one), picked by a shuffle seeded from {@code seed} and the
     * table's name, so that each table gets its own pick and the same seed picks the same ranges again; plus every
     * range in {@code changed}.
     */
    static SortedSet<Integer> pick(TableName table, int ranges, double fraction, long seed, Set<Integer> changed) {
        List<Integer> all = new ArrayList<>(ranges);
        for (int bucket = 0; bucket < ranges; bucket++) {
            all.add(bucket);
        }
        // java.util.Random's sequence is specified, so the pick is the same on every JVM.
        Collections.shuffle(all, new Random(seed * 31 + table.toString().hashCode()));
        int sampled = Math.max(1, Math.min(ranges, (int) Math.ceil(fraction * ranges)));
        SortedSet<Integer> picked = new TreeSet<>(all.subList(0, sampled));
        changed.stream().filter(bucket -> bucket >= 0 && bucket < ranges).forEach(picked::add);
        return picked;
    }

    /** The picked ranges as runs of consecutive ones, ascending. */
    static List<Run> runs(SortedSet<Integer> picked) {
        List<Run> runs = new ArrayList<>();
        int first = -1;
        int last = -1;
        for (int bucket : picked) {
            if (first >= 0 && bucket == last + 1) {
                last = bucket;
                continue;
            }
            if (first >= 0) {
                runs.add(new Run(first, last));
            }
            first = bucket;
            last = bucket;
        }
        if (first >= 0) {
            runs.add(new Run(first, last));
        }
        return runs;
    }
}
