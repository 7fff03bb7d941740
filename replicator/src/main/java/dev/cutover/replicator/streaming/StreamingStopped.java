package dev.cutover.replicator.streaming;

import dev.cutover.replicator.postgres.Removal;
import dev.cutover.replicator.postgres.ReplicationNames;

/**
 * The target no longer subscribes; what was found and done with each object of the replication.
 *
 * @param slot a kept slot retains WAL on the source until dropped
 */
public record StreamingStopped(ReplicationNames names, Removal subscription, Removal slot, Removal publication) {

    /** Whether this stop dropped the slot; false when it kept it or there was none. */
    public boolean slotDropped() {
        return slot == Removal.DROPPED;
    }
}
