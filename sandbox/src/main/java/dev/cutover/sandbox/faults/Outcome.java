package dev.cutover.sandbox.faults;

/** How a case ends: the first three are what a case may expect, the others only happen. */
public enum Outcome {
    /** The cutover completed: the target serves. */
    COMPLETES,
    /** The cutover rolled back and the source serves the application again. */
    ROLLS_BACK,
    /** The cutover cannot finish on its own and one event says what the operator must do. */
    STOPS,
    /** The cutover was refused before anything was disrupted. */
    REJECTED,
    /** No end within the case's bounded wait, and no event asking the operator for anything. */
    NO_END,
    /** The fault's step never came, so nothing was injected. */
    NOT_INJECTED,
    /** The rehearsal itself failed (e.g. the source did not serve again after a rollback). */
    FAILED;

    public String json() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
