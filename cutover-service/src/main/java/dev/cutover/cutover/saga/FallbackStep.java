package dev.cutover.cutover.saga;

import java.util.EnumSet;
import java.util.Set;

/**
 * The steps of a fallback: the cutover's steps in the other direction. DNS goes back to the still locked source first,
 * for the reason the cutover flips it first ({@link Step}): the sessions the fence then ends on the target reconnect
 * to a name that already points at the source. The fence locks the target; once it holds, the saga waits for the
 * source to have applied everything the target wrote, and sets the source's sequences from the target's; then the
 * source opens (the point of no return) and the reverse replication is stopped. The declaration order is the order a
 * timeline lists them in.
 */
public enum FallbackStep {
    PREFLIGHT,
    FLIP_DNS,
    FENCE_TARGET,
    AWAIT_CATCH_UP,
    SYNC_SEQUENCES,
    OPEN_SOURCE,
    STOP_REVERSE_REPLICATION;

    /** The steps that must have finished before this one starts. */
    public Set<FallbackStep> after() {
        return switch (this) {
            case PREFLIGHT -> EnumSet.noneOf(FallbackStep.class);
            case FLIP_DNS -> EnumSet.of(PREFLIGHT);
            case FENCE_TARGET -> EnumSet.of(FLIP_DNS);
            // Both read the target only once nothing can write there any more.
            case AWAIT_CATCH_UP, SYNC_SEQUENCES -> EnumSet.of(FENCE_TARGET);
            case OPEN_SOURCE -> EnumSet.of(AWAIT_CATCH_UP, SYNC_SEQUENCES);
            case STOP_REVERSE_REPLICATION -> EnumSet.of(OPEN_SOURCE);
        };
    }

    /**
     * The cutover's step that does the same job the other way round: its timeout (the {@code cutover.saga.timeouts}
     * setting) is this step's, so that one set of settings times both directions.
     */
    public Step forwardStep() {
        return switch (this) {
            case PREFLIGHT -> Step.PREFLIGHT;
            case FLIP_DNS -> Step.FLIP_DNS;
            case FENCE_TARGET -> Step.STOP_TRAFFIC;
            case AWAIT_CATCH_UP -> Step.AWAIT_CATCH_UP;
            case SYNC_SEQUENCES -> Step.SYNC_SEQUENCES;
            case OPEN_SOURCE -> Step.OPEN_TARGET;
            case STOP_REVERSE_REPLICATION -> Step.TIDY_UP;
        };
    }

    /**
     * Steps run while the source is still locked: the target took every write so far and reverse replication still
     * carries them, so a failure puts the target back without losing one.
     */
    public boolean compensable() {
        return this != PREFLIGHT && !afterPointOfNoReturn();
    }

    /** Once {@code RestoreSource} is sent the source may take writes the target never sees: only forward is safe. */
    public boolean afterPointOfNoReturn() {
        return this == OPEN_SOURCE || this == STOP_REVERSE_REPLICATION;
    }
}
