package dev.cutover.sandbox.report;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import dev.cutover.sandbox.client.ClientRecord.Attempt;

/**
 * What each application instance of the client went through during the cutover, and the fleet's worst and median
 * instance, computed from the client's attempts alone.
 *
 * @param instances one entry per instance, by number
 */
record InstanceFigures(List<Instance> instances) {

    /**
     * One instance.
     *
     * @param downtimeNanos the longest time without an acknowledgement of this instance that overlaps the window: from
     *     its last acknowledgement before a gap to its first after it, or to the client's stop if none came
     * @param failedStatements attempts that ended in an error the application saw, from the window's start on
     * @param longestStallNanos the longest attempt that ended from the window's start on: from asking for a connection
     *     to the statement's answer or error, the time one application thread waited for one statement
     */
    record Instance(long downtimeNanos, long failedStatements, long longestStallNanos) {
    }

    InstanceFigures {
        instances = List.copyOf(instances);
    }

    /**
     * @param count how many instances there were (an instance may have no attempt at all)
     * @param startNanos the client's start, where an instance's first gap begins
     * @param windowStartNanos where the cutover window starts
     * @param stopNanos the client's stop, where a gap with no acknowledgement after it ends
     */
    static InstanceFigures of(int count, List<Attempt> attempts, long startNanos, long windowStartNanos, long stopNanos) {
        List<List<Attempt>> byInstance = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            byInstance.add(new ArrayList<>());
        }
        for (Attempt attempt : attempts) {
            if (attempt.instance() < 0 || attempt.instance() >= count) {
                throw new IllegalArgumentException("an attempt of instance " + attempt.instance() + " in a client of " + count + " instances");
            }
            byInstance.get(attempt.instance()).add(attempt);
        }
        return new InstanceFigures(byInstance.stream().map(own -> instance(own, startNanos, windowStartNanos, stopNanos)).toList());
    }

    private static Instance instance(List<Attempt> attempts, long startNanos, long windowStartNanos, long stopNanos) {
        long[] acks = attempts.stream().filter(Attempt::acknowledged).mapToLong(Attempt::endedNanos).sorted().toArray();
        long previous = startNanos;
        long gap = 0;
        for (long at : acks) {
            if (at > windowStartNanos) {
                gap = Math.max(gap, at - previous);
            }
            previous = at;
        }
        if (stopNanos > windowStartNanos) {
            gap = Math.max(gap, stopNanos - previous);
        }
        long failed = 0;
        long stall = 0;
        for (Attempt attempt : attempts) {
            if (attempt.endedNanos() >= windowStartNanos) {
                failed += attempt.acknowledged() ? 0 : 1;
                stall = Math.max(stall, attempt.endedNanos() - attempt.beganNanos());
            }
        }
        return new Instance(gap, failed, stall);
    }

    long failedStatements() {
        return instances.stream().mapToLong(Instance::failedStatements).sum();
    }

    long maxDowntimeNanos() {
        return instances.stream().mapToLong(Instance::downtimeNanos).max().orElse(0);
    }

    long medianDowntimeNanos() {
        return median(instances.stream().mapToLong(Instance::downtimeNanos).toArray());
    }

    long maxStallNanos() {
        return instances.stream().mapToLong(Instance::longestStallNanos).max().orElse(0);
    }

    long medianStallNanos() {
        return median(instances.stream().mapToLong(Instance::longestStallNanos).toArray());
    }

    /** The middle value, or the mean of the two middle values of an even count; 0 for none. */
    private static long median(long[] values) {
        if (values.length == 0) {
            return 0;
        }
        long[] sorted = values.clone();
        Arrays.sort(sorted);
        int middle = sorted.length / 2;
        return sorted.length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
    }
}
