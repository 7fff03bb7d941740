package dev.cutover.replicator.copy;

import java.time.Duration;

import dev.cutover.replicator.postgres.Lsn;

/**
 * Every table copied from the slot's snapshot.
 *
 * @param slot            the slot whose snapshot was copied; streaming starts from it
 * @param consistentPoint where the slot starts: every change after it streams, none before
 * @param tables          tables copied
 * @param rows            rows copied
 * @param bytes           bytes of COPY stream moved
 * @param took            wall-clock time from slot creation to the last table's end
 */
public record FullLoadResult(String slot, Lsn consistentPoint, int tables, long rows, long bytes, Duration took) {

    /** Bytes / 1,000,000 / seconds. */
    public double megabytesPerSecond() {
        double seconds = Math.max(took.toNanos(), 1) / 1e9;
        return bytes / 1e6 / seconds;
    }
}
