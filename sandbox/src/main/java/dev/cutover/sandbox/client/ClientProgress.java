package dev.cutover.sandbox.client;

/**
 * The client's counters at one moment, for a live view and for awaiting in tests.
 *
 * @param ackedBySource writes the source acknowledged so far
 * @param ackedByTarget writes the target acknowledged so far
 * @param ackedByOther writes acknowledged by a server at neither address
 * @param failedAttempts failed attempts so far, duplicate keys included
 * @param duplicateKeyErrors failed attempts with SQLState 23505
 * @param updatesFindingNoRow updates that committed but found their row missing
 * @param millisSinceLastAck time since the latest acknowledgement, -1 before the first
 */
public record ClientProgress(
        long ackedBySource,
        long ackedByTarget,
        long ackedByOther,
        long failedAttempts,
        long duplicateKeyErrors,
        long updatesFindingNoRow,
        long millisSinceLastAck) {

    public long acked() {
        return ackedBySource + ackedByTarget + ackedByOther;
    }
}
