package dev.cutover.schema.sequences;

import java.time.Duration;

/**
 * What a sequence sync did.
 *
 * @param sequences how many sequences were set
 * @param margin    the margin added to each
 * @param duration  from the first read on the source to the check on the target
 */
public record SyncReport(int sequences, long margin, Duration duration) {
}
