package dev.cutover.sandbox.faults;

import dev.cutover.sandbox.report.CutoverResult;

/**
 * How a case's cutover stood when the case stopped waiting for it (at its end, at the first notice naming the
 * operator's action, or at the bound), and what that makes of the case. A case whose cutover does not end on its own
 * {@code stops} when one event names what the operator must do:
 *
 * <ul>
 * <li>{@code SagaSilent}: the watchdog outside cutover-service found the saga of a cutover under way silent past its
 * bound, and says to start cutover-service;</li>
 * <li>{@code StepFailureNoted} of {@code TIDY_UP}: the saga sent a tidy-up task its attempts without an answer, and
 * names the service to start. The cutover completed for the application first ({@code CutoverCompleted}), so the
 * target must serve; only its tidy-up stops.</li>
 * </ul>
 *
 * An end that comes first wins: a notice is only a stop while the cutover has not ended.
 *
 * @param injected  whether the fault struck
 * @param end       the saga's terminal event ({@code CutoverRolledBack}, {@code CutoverRejected}, or
 *                  {@code CutoverCompleted} with its tidy-up done); {@code null} if its work had not ended
 * @param completed whether {@code CutoverCompleted} was written, tidy-up done or not
 * @param notice    the first event naming the operator's action, {@code null} if none
 */
record CaseEnding(boolean injected, String end, boolean completed, String notice) {

    static final String SAGA_SILENT = "SagaSilent";
    static final String TIDY_UP_UNANSWERED = "StepFailureNoted(TIDY_UP)";

    /** The cutover stopped, with the operator told what to do. */
    boolean stopped() {
        return end == null && notice != null;
    }

    /** Where the report looks for the rows: the server that should serve the application now. */
    CutoverResult result() {
        if (end == null) {
            return stopped() && completed ? CutoverResult.COMPLETED : CutoverResult.FAILED;
        }
        return switch (end) {
            case "CutoverCompleted" -> CutoverResult.COMPLETED;
            case "CutoverRolledBack" -> CutoverResult.ROLLED_BACK;
            default -> CutoverResult.FAILED;
        };
    }

    /** The case's outcome, given whether the writes could be checked row by row ({@code reported}). */
    Outcome outcome(boolean reported) {
        if (!injected) {
            return Outcome.NOT_INJECTED;
        }
        if (end == null && notice == null) {
            return Outcome.NO_END;
        }
        if (!reported) {
            return Outcome.FAILED;
        }
        if (stopped()) {
            return Outcome.STOPS;
        }
        return switch (end) {
            case "CutoverCompleted" -> Outcome.COMPLETES;
            case "CutoverRolledBack" -> Outcome.ROLLS_BACK;
            default -> Outcome.REJECTED;
        };
    }
}
