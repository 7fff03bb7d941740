package dev.cutover.lag.state;

import java.time.Duration;
import java.util.Optional;

/** A change of replication's health worth telling others about once, not on every reading. */
public sealed interface Change {

    /** The source kept writing and the target confirmed nothing for {@code stalledFor}. */
    record Stalled(Duration stalledFor, Optional<Long> slotLagBytes) implements Change {
    }

    /** The target confirms progress again after a stall that lasted {@code stalledFor}. */
    record Recovered(Duration stalledFor) implements Change {
    }
}
