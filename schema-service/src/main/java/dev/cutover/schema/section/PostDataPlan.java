package dev.cutover.schema.section;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.ToLongFunction;

/**
 * The order in which post-data entries are built: phases that each wait for the one before, so that
 * nothing runs before what it needs.
 *
 * <ol>
 *   <li>indexes and key constraints (primary key, unique, exclusion, check), in parallel, the largest
 *       first so that the longest build starts at once and the small ones fill the gaps; a key split by
 *       {@link KeyIndexes} builds its unique index here;</li>
 *   <li>keys added on the unique indexes built for them, and attachments of partition indexes to their
 *       parent index, one at a time (each takes its table's or parent's lock, and all are instant);</li>
 *   <li>foreign keys, in parallel: every key they reference exists and is attached by now;</li>
 *   <li>everything else (triggers, rules, policies, materialized view data, comments, ...), one at a time
 *       in pg_dump's order, which already respects their dependencies on each other.</li>
 * </ol>
 *
 * @param phases the phases in the order they run
 */
record PostDataPlan(List<Phase> phases) {

    /**
     * @param name     for logs and messages
     * @param parallel whether its items may run at the same time on different connections
     * @param items    in the order they are started
     */
    record Phase(String name, boolean parallel, List<PostDataItem> items) {

        Phase {
            items = List.copyOf(items);
        }
    }

    PostDataPlan {
        phases = List.copyOf(phases);
    }

    /**
     * @param items  the entries, in pg_dump's order
     * @param sizeOf how much work an entry is, e.g. the size of its index on the source in bytes
     */
    static PostDataPlan of(List<PostDataItem> items, ToLongFunction<PostDataItem> sizeOf) {
        List<PostDataItem> keys = new ArrayList<>();
        List<PostDataItem> attachments = new ArrayList<>();
        List<PostDataItem> foreignKeys = new ArrayList<>();
        List<PostDataItem> rest = new ArrayList<>();
        for (PostDataItem item : items) {
            switch (item.kind()) {
                case INDEX, KEY_CONSTRAINT, KEY_INDEX -> keys.add(item);
                case KEY_ON_INDEX, INDEX_ATTACHMENT -> attachments.add(item);
                case FOREIGN_KEY -> foreignKeys.add(item);
                case OTHER -> rest.add(item);
            }
        }
        Comparator<PostDataItem> largestFirst = Comparator.comparingLong(sizeOf).reversed()
                .thenComparingInt(PostDataItem::position);
        keys.sort(largestFirst);
        foreignKeys.sort(largestFirst);
        return new PostDataPlan(List.of(
                new Phase("indexes and keys", true, keys),
                new Phase("keys on their indexes and index attachments", false, attachments),
                new Phase("foreign keys", true, foreignKeys),
                new Phase("triggers, rules and the rest", false, rest)));
    }

    int size() {
        return phases.stream().mapToInt(phase -> phase.items().size()).sum();
    }
}
