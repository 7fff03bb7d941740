package dev.cutover.replicator.streaming;

import dev.cutover.replicator.postgres.Lsn;

/**
 * The target subscribes to the slot.
 *
 * @param startLsn where streaming starts: the slot's consistent point, i.e. right after the copied snapshot
 */
public record StreamingStarted(String slot, String subscription, Lsn startLsn) {
}
