package dev.cutover.lag.state;

import java.util.Optional;

/**
 * What one observation meant.
 *
 * @param next   the tracker to hand the next observation to
 * @param state  the state to report for this observation
 * @param change a stall that began or ended with this observation
 */
public record Assessment(LagTracker next, ReplicationState state, Optional<Change> change) {
}
