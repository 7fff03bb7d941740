package dev.cutover.lag.stale;

/**
 * What the source's statistics say was written, at one moment.
 *
 * @param rowsWritten rows inserted, updated or deleted in tables outside the {@code cutover} schema
 *                    (the heartbeat and the canary live there and are ours)
 * @param commits     transactions committed in the database, by anyone
 */
record WriteCounters(long rowsWritten, long commits) {
}
