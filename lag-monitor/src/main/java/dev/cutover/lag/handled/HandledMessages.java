package dev.cutover.lag.handled;

import java.util.LinkedHashSet;
import java.util.SequencedSet;

/**
 * The ids of the last messages handled, so a message delivered again (a consumer restart before its offset
 * was committed) is recognised and does no harm. Bounded: a repeat comes soon after the original or never.
 * An id is remembered only once its handling succeeded, so the error handler's retries of a failure run again.
 */
public final class HandledMessages {

    private final int capacity;
    private final SequencedSet<String> ids = new LinkedHashSet<>();

    public HandledMessages(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be at least 1, was " + capacity);
        }
        this.capacity = capacity;
    }

    public synchronized boolean handled(String messageId) {
        return ids.contains(messageId);
    }

    public synchronized void remember(String messageId) {
        ids.add(messageId);
        if (ids.size() > capacity) {
            ids.removeFirst();
        }
    }
}
