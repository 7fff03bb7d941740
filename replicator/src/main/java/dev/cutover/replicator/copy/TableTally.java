package dev.cutover.replicator.copy;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/** What the ranges of one table have moved so far, and whether the last one is in. */
final class TableTally {

    private int remaining;
    private long rows;
    private long bytes;
    private Instant first;
    private Instant last;

    TableTally(int parts) {
        this.remaining = parts;
    }

    /** Adds a finished range; the table's total duration once it was the last one. */
    synchronized Optional<Duration> add(long moreRows, long moreBytes, Instant started, Instant ended) {
        rows += moreRows;
        bytes += moreBytes;
        first = first == null || started.isBefore(first) ? started : first;
        last = last == null || ended.isAfter(last) ? ended : last;
        remaining--;
        return remaining == 0 ? Optional.of(Duration.between(first, last)) : Optional.empty();
    }

    synchronized long rows() {
        return rows;
    }

    synchronized long bytes() {
        return bytes;
    }
}
