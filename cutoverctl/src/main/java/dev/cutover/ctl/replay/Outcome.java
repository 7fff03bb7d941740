package dev.cutover.ctl.replay;

import java.util.Optional;

import org.apache.avro.specific.SpecificRecord;

import dev.cutover.events.CutoverCompleted;
import dev.cutover.events.CutoverPlanned;
import dev.cutover.events.CutoverRejected;
import dev.cutover.events.CutoverRolledBack;
import dev.cutover.events.MigrationPlanReported;
import dev.cutover.events.MigrationReady;
import dev.cutover.events.MigrationStopped;

/** Where a cutover or a migration stands: still going, or ended by one of its terminal events. */
public enum Outcome {
    RUNNING("running", 3),
    COMPLETED("completed", 0),
    PLANNED("planned (dry run)", 0),
    ROLLED_BACK("rolled back", 1),
    REJECTED("rejected", 1),
    /** A migration's target is verified and streaming: a cutover may follow. */
    READY("ready", 0),
    /** A migration ended without a ready target: failed, timed out or aborted. */
    STOPPED("stopped", 1);

    private final String words;
    private final int exitCode;

    Outcome(String words, int exitCode) {
        this.words = words;
        this.exitCode = exitCode;
    }

    /**
     * The outcome a message ends a cutover or a migration with, or empty if it does not end it. A migration's
     * {@code MigrationRejected} ends it only before it started, which {@link MigrationSummary} judges.
     */
    public static Optional<Outcome> endedBy(SpecificRecord message) {
        return Optional.ofNullable(switch (message) {
            case CutoverCompleted completed -> COMPLETED;
            case CutoverPlanned planned -> PLANNED;
            case CutoverRolledBack rolledBack -> ROLLED_BACK;
            case CutoverRejected rejected -> REJECTED;
            case MigrationReady ready -> READY;
            // With blockers a dry run ends as a migration does, with MigrationStopped, which follows.
            case MigrationPlanReported planned when planned.getBlockers() == 0 -> PLANNED;
            case MigrationStopped stopped -> STOPPED;
            default -> null;
        });
    }

    public boolean terminal() {
        return this != RUNNING;
    }

    /** What {@code watch} exits with: scripts tell a run that went through from one that did not. */
    public int exitCode() {
        return exitCode;
    }

    public String words() {
        return words;
    }
}
