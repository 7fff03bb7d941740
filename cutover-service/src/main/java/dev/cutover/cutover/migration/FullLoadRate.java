package dev.cutover.cutover.migration;

import java.time.Duration;
import java.util.Locale;

/**
 * The pace a full load is assumed to copy at, for a dry run's prediction: bytes of table data on the source (as
 * {@code pg_table_size} counts them) per second, the indexes built alongside included.
 */
public record FullLoadRate(long bytesPerSecond) {

    /**
     * 57 MiB/s: the replicator's full load with each table's indexes built as it is copied, measured at 2.01 GiB in
     * 36.0 s with 2 copy and 2 index workers, PostgreSQL 11 to 17 on one 2-core machine (docs/benchmarks.md, "Full
     * load + indexes"). Servers of their own, more workers or a slower network change it: set
     * {@code cutover.migration.full-load-rate} to what a rehearsal measured.
     */
    public static final FullLoadRate MEASURED = new FullLoadRate(57L * 1024 * 1024);

    public FullLoadRate {
        if (bytesPerSecond <= 0) {
            throw new IllegalArgumentException("the full-load rate must be positive, was " + bytesPerSecond
                    + " bytes per second");
        }
    }

    /** How long copying {@code bytes} takes at this rate, to the millisecond. */
    public Duration timeFor(long bytes) {
        return Duration.ofMillis(Math.round(bytes * 1000.0 / bytesPerSecond));
    }

    /** "57.0 MiB/s". */
    public String describe() {
        return String.format(Locale.ROOT, "%.1f MiB/s", bytesPerSecond / (1024.0 * 1024.0));
    }
}
