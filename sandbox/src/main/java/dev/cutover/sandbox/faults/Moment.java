package dev.cutover.sandbox.faults;

import org.apache.avro.specific.SpecificRecord;

import dev.cutover.events.CutoverCompleted;
import dev.cutover.events.StepStarted;

/**
 * Where in the cutover a fault strikes: the saga's {@code StepStarted} for that step on the events topic (for the
 * tidy-up, {@code CutoverCompleted}), read by the case's own consumer, never a time. The fence's other steps (the canary, the sequences, the catch-up) start with
 * {@link #STOP_TRAFFIC}, so it stands for them all.
 */
public enum Moment {
    /** The DNS name moves to the still locked target; nothing has been fenced yet. */
    FLIP_DNS(false),
    /** The fence, the canary, the sequences and the wait for the catch-up begin. */
    STOP_TRAFFIC(false),
    /** The point of no return: the target opens to the application. */
    OPEN_TARGET(true),
    /**
     * The cutover is done for the application: the saga's {@code CutoverCompleted} goes out with the tidy-up's
     * commands (stop the replication, restore the TTL), which it then follows up until each is done.
     */
    TIDY_UP(true);

    private final boolean pastNoReturn;

    Moment(boolean pastNoReturn) {
        this.pastNoReturn = pastNoReturn;
    }

    /** From here on the saga only goes forward: the application may have written on the target. */
    public boolean pastNoReturn() {
        return pastNoReturn;
    }

    boolean triggeredBy(SpecificRecord message) {
        if (this == TIDY_UP) {
            return message instanceof CutoverCompleted;
        }
        return message instanceof StepStarted started && started.getStep().equals(name());
    }

    String label() {
        return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
    }
}
