package dev.cutover.replicator.fallback;

import java.util.Objects;

import dev.cutover.platform.database.Replication;
import dev.cutover.replicator.postgres.Lsn;
import dev.cutover.replicator.postgres.Removal;

/** What the replicator found and did with the reverse replication of one database. */
public sealed interface ReverseOutcome {

    Replication names();

    /**
     * The reverse publication and slot exist on the target.
     *
     * @param slotPosition the slot's confirmed position: where it would start if nothing moved it
     * @param created      this call created the slot (false: an earlier preflight had)
     */
    record Prepared(Replication names, Lsn slotPosition, boolean created) implements ReverseOutcome {

        public Prepared {
            Objects.requireNonNull(names, "names must not be null");
            Objects.requireNonNull(slotPosition, "slotPosition must not be null");
        }
    }

    /**
     * The source subscribes to the target's reverse publication from {@code from} on.
     *
     * @param alreadyRunning the subscription existed already (a repeated command), so nothing was changed
     */
    record Started(Replication names, Lsn from, boolean alreadyRunning) implements ReverseOutcome {

        public Started {
            Objects.requireNonNull(names, "names must not be null");
            Objects.requireNonNull(from, "from must not be null");
        }
    }

    /** Each reverse object as found: the subscription on the source, the slot and the publication on the target. */
    record Removed(Replication names, Removal subscription, Removal slot, Removal publication) implements ReverseOutcome {

        public Removed {
            Objects.requireNonNull(names, "names must not be null");
            Objects.requireNonNull(subscription, "subscription must not be null");
            Objects.requireNonNull(slot, "slot must not be null");
            Objects.requireNonNull(publication, "publication must not be null");
        }
    }

    /**
     * The source applied everything the fenced target wrote.
     *
     * @param targetPosition the target's WAL insert position read once it was fenced
     * @param confirmed      the reverse slot's confirmed position that reached it
     */
    record CaughtUp(Replication names, Lsn targetPosition, Lsn confirmed) implements ReverseOutcome {

        public CaughtUp {
            Objects.requireNonNull(names, "names must not be null");
            Objects.requireNonNull(targetPosition, "targetPosition must not be null");
            Objects.requireNonNull(confirmed, "confirmed must not be null");
        }
    }
}
