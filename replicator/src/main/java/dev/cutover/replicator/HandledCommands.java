package dev.cutover.replicator;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * The ids of the latest commands carried out, so a redelivered command is not carried out twice. After a
 * restart the memory is empty; each command's SQL is written so that doing it again does no harm.
 */
final class HandledCommands {

    private final int capacity;
    private final Map<UUID, Boolean> ids;

    HandledCommands(int capacity) {
        this.capacity = capacity;
        this.ids = new LinkedHashMap<>(16, 0.75f, false) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<UUID, Boolean> eldest) {
                return size() > HandledCommands.this.capacity;
            }
        };
    }

    synchronized boolean contains(UUID messageId) {
        return ids.containsKey(messageId);
    }

    synchronized void add(UUID messageId) {
        ids.put(messageId, Boolean.TRUE);
    }
}
