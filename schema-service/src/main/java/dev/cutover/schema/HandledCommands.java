package dev.cutover.schema;

import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Supplier;

import org.apache.avro.specific.SpecificRecord;

/**
 * The answers to the commands handled lately, by command id. Kafka delivers at least once, and a saga
 * may send a command again; a repeated id gets the same answer again (same event id, so readers can
 * drop it) and the work is not redone. An id is remembered only once its answer is published: a
 * command whose answer never left is done again. Commands are worked on outside the lock, so that work
 * run beside the listener (a copied table's post-data) does not wait for other commands; a command
 * delivered again while its first delivery is still being worked on is dropped, the first answers it.
 */
final class HandledCommands {

    private final Map<String, SpecificRecord> answers;
    private final Set<String> inFlight = new HashSet<>();

    HandledCommands(int capacity) {
        this.answers = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, SpecificRecord> eldest) {
                return size() > capacity;
            }
        };
    }

    /**
     * Publishes the stored answer to {@code commandId}, or the one {@code work} makes, which is then remembered;
     * does nothing while the same id is being worked on.
     */
    void answer(String commandId, Supplier<SpecificRecord> work, Consumer<SpecificRecord> publish) {
        SpecificRecord known;
        synchronized (this) {
            known = answers.get(commandId);
            if (known == null && !inFlight.add(commandId)) {
                return;
            }
        }
        if (known != null) {
            publish.accept(known);
            return;
        }
        try {
            SpecificRecord answer = work.get();
            publish.accept(answer);
            synchronized (this) {
                answers.put(commandId, answer);
            }
        } finally {
            synchronized (this) {
                inFlight.remove(commandId);
            }
        }
    }
}
