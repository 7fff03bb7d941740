package dev.cutover.ctl.replay;

import java.util.Optional;

import org.apache.avro.specific.SpecificRecord;

import dev.cutover.events.CutoverCompleted;
import dev.cutover.events.CutoverPlanned;
import dev.cutover.events.CutoverRejected;
import dev.cutover.events.CutoverRolledBack;

/** Where a cutover stands: still going, or ended by one of its terminal events. */
public enum Outcome {
    RUNNING("running", 3),
    COMPLETED("completed", 0),
    PLANNED("planned (dry run)", 0),
    ROLLED_BACK("rolled back", 1),
    REJECTED("rejected", 1);

    private final String words;
    private final int exitCode;

    Outcome(String words, int exitCode) {
        this.words = words;
        this.exitCode = exitCode;
    }

    /** The outcome a message ends a cutover with, or empty if it does not end it. */
    public static Optional<Outcome> endedBy(SpecificRecord message) {
        return Optional.ofNullable(switch (message) {
            case CutoverCompleted completed -> COMPLETED;
            case CutoverPlanned planned -> PLANNED;
            case CutoverRolledBack rolledBack -> ROLLED_BACK;
            case CutoverRejected rejected -> REJECTED;
            default -> null;
        });
    }

    public boolean terminal() {
        return this != RUNNING;
    }

    /** What {@code watch} exits with: scripts tell a cutover that went through from one that did not. */
    public int exitCode() {
        return exitCode;
    }

    public String words() {
        return words;
    }
}
