package dev.cutover.platform;

/**
 * Thrown by a participant when a command cannot be carried out, with a reason a person can act on.
 * The platform's error handler turns it into a {@code StepFailed} event answering the command, so
 * listeners never catch exceptions themselves.
 */
public class StepFailure extends RuntimeException {

    private final boolean retryable;

    public StepFailure(String reason, boolean retryable) {
        super(reason);
        this.retryable = retryable;
    }

    public StepFailure(String reason, boolean retryable, Throwable cause) {
        super(reason, cause);
        this.retryable = retryable;
    }

    /** Whether sending the same command again may succeed (a timeout), or not without a change by a person. */
    public boolean retryable() {
        return retryable;
    }
}
