package dev.cutover.lag.engine;

import java.util.Optional;

/**
 * What the source says at one moment: where its WAL ends, and what the replication slot holds.
 *
 * @param currentLsn {@code pg_current_wal_lsn()}
 * @param slot       the slot, or empty when it does not exist (replication was never set up, or was dropped)
 */
public record SourceFigures(Lsn currentLsn, Optional<Slot> slot) {

    /**
     * One row of {@code pg_replication_slots}.
     *
     * @param name              slot_name
     * @param confirmedFlushLsn the position the subscriber confirmed it holds; null before its first reply
     * @param lagBytes          WAL between the current position and the confirmed one
     * @param retainedWalBytes  WAL the source keeps for this slot (from restart_lsn); it fills the disk if it runs away
     * @param active            whether a walsender streams from it right now
     */
    public record Slot(String name, Lsn confirmedFlushLsn, Long lagBytes, Long retainedWalBytes, boolean active) {
    }
}
