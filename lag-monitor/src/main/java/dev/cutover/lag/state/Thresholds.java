package dev.cutover.lag.state;

import java.time.Duration;

/**
 * When a database counts as behind or stalled.
 *
 * @param stallAfter      how long the source may write while the target confirms nothing before it is STALLED
 * @param catchingUpBytes slot lag from which the target counts as CATCHING_UP
 * @param catchingUpDelay apply or heartbeat lag from which the target counts as CATCHING_UP
 * @param slotExpected    whether the engine uses a slot on the source, so a missing one means DOWN
 */
public record Thresholds(Duration stallAfter, long catchingUpBytes, Duration catchingUpDelay, boolean slotExpected) {

    public Thresholds {
        if (stallAfter == null || stallAfter.isNegative() || stallAfter.isZero()) {
            throw new IllegalArgumentException("stall-after must be positive, was " + stallAfter);
        }
        if (catchingUpBytes < 0) {
            throw new IllegalArgumentException("catching-up-bytes must not be negative, was " + catchingUpBytes);
        }
        if (catchingUpDelay == null || catchingUpDelay.isNegative() || catchingUpDelay.isZero()) {
            throw new IllegalArgumentException("catching-up-delay must be positive, was " + catchingUpDelay);
        }
    }
}
