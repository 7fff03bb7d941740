package dev.cutover.replicator.copy;

import java.time.Duration;

/**
 * How a full load runs.
 *
 * @param workers             tables (or ranges) copied at once; each worker holds one source and one target connection
 * @param splitThreshold      only tables larger than this many bytes may be cut into ranges that several workers share
 * @param slotCreationTimeout how long slot creation may wait for transactions open at its start
 */
public record LoadOptions(int workers, long splitThreshold, Duration slotCreationTimeout) {

    public LoadOptions {
        if (workers < 1) {
            throw new IllegalArgumentException("workers must be at least 1, was " + workers);
        }
        if (splitThreshold < 1) {
            throw new IllegalArgumentException("the split threshold must be positive, was " + splitThreshold);
        }
        if (slotCreationTimeout == null || slotCreationTimeout.isNegative() || slotCreationTimeout.isZero()) {
            throw new IllegalArgumentException("the slot creation timeout must be positive, was " + slotCreationTimeout);
        }
    }

    public LoadOptions withWorkers(int otherWorkers) {
        return new LoadOptions(otherWorkers, splitThreshold, slotCreationTimeout);
    }
}
