package dev.cutover.replicator.copy;

import java.time.Instant;

/** How one instance's copy of a {@link SharedTask} ended: the answer the load's instance tallies. */
public sealed interface TaskOutcome {

    String loadId();

    int number();

    /** Qualified table name, e.g. {@code public.orders}. */
    String table();

    /** The instance that carried the task out. */
    String copiedBy();

    /**
     * The task's rows are committed on the target, with its record.
     *
     * @param alreadyCopied the record was there already (an earlier delivery of the same task): nothing was copied
     */
    record Copied(String loadId, int number, String table, long rows, long bytes, Instant started, Instant finished,
            String copiedBy, boolean alreadyCopied) implements TaskOutcome {
    }

    /**
     * Nothing of the task is on the target.
     *
     * @param reason    what went wrong, in words an operator can act on
     * @param retryable whether sending CopyData again may succeed
     * @param loadOver  the load's snapshot or slot is gone: its instance is gone too, or it ended, and nobody waits
     */
    record Failed(String loadId, int number, String table, String reason, boolean retryable, boolean loadOver,
            Instant started, Instant finished, String copiedBy) implements TaskOutcome {
    }
}
