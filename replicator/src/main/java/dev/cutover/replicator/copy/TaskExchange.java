package dev.cutover.replicator.copy;

import java.time.Duration;
import java.util.List;

/**
 * Where a shared load hands its tasks out and hears back from the instances that copy them: Kafka, at the
 * replicator's edge. Any instance may take any task, this one included, and a task may be answered more than once.
 */
public interface TaskExchange {

    /**
     * How many workers will copy at once, for the plan (a large table is cut into at most one range per worker).
     *
     * @param perInstance this instance's workers, taken as every instance's
     */
    int workers(int perInstance);

    /** Begins listening for the load's answers, then hands its tasks out, biggest first. */
    Answers handOut(String loadId, List<SharedTask> tasks);

    /** The answers to one load's tasks, as they come. */
    interface Answers extends AutoCloseable {

        /** The answers that came within {@code wait}; possibly none, possibly some of other loads. */
        List<TaskOutcome> next(Duration wait);

        @Override
        void close();
    }
}
