package dev.cutover.lag.slot;

import java.time.Duration;
import java.time.Instant;

/**
 * A slot that has had no reader for longer than allowed while the source keeps WAL for it.
 *
 * @param slot             the slot's name on the source
 * @param retainedWalBytes WAL the source keeps for it at the moment of the warning
 * @param inactiveSince    when it was first seen without a reader
 * @param inactiveFor      how long it has been seen so
 */
public record SlotIdle(String slot, long retainedWalBytes, Instant inactiveSince, Duration inactiveFor) {

    /** What a person does about it: end the migration that owns the slot, or drop a slot nobody owns any more. */
    public String action() {
        return "if a migration still owns the slot, stop and clean it up with `cutoverctl migrate abort --migration <id>`"
                + " (`cutoverctl migrate status` lists them); if none does, drop it on the source with"
                + " SELECT pg_drop_replication_slot('" + slot.replace("'", "''") + "')";
    }

    @Override
    public String toString() {
        return "replication slot " + slot + " has had no reader since " + inactiveSince + " (" + inactiveFor.toSeconds()
                + " s) and keeps " + retainedWalBytes + " bytes of WAL on the source: " + action();
    }
}
