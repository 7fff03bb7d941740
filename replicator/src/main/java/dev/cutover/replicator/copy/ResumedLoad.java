package dev.cutover.replicator.copy;

import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;

import dev.cutover.replicator.postgres.Lsn;
import dev.cutover.replicator.postgres.TableName;

/**
 * An interrupted load taken up again instead of copied anew: the tables it finished stay as they are and stream from
 * its slot, the others wait outside the publication until streaming hands them to table synchronisation.
 *
 * @param slot            the interrupted load's slot, still at its consistent point
 * @param consistentPoint where the slot starts, as when the load created it
 * @param kept            tables kept with the rows the target holds, exactly as many as the load reported copying
 * @param withheld        tables emptied on the target and taken out of the publication, which records them:
 *                        {@code StartStreaming} adds them back once subscribed, for table synchronisation to copy
 */
public record ResumedLoad(String slot, Lsn consistentPoint, SortedMap<TableName, Long> kept, List<TableName> withheld) {

    public ResumedLoad {
        Objects.requireNonNull(slot, "slot must not be null");
        Objects.requireNonNull(consistentPoint, "consistentPoint must not be null");
        kept = Collections.unmodifiableSortedMap(new TreeMap<>(kept));
        withheld = withheld.stream().sorted().toList();
        if (kept.isEmpty()) {
            throw new IllegalArgumentException("a resumed load keeps at least one table; with none it starts over");
        }
    }

    public long keptRows() {
        return kept.values().stream().mapToLong(Long::longValue).sum();
    }
}
