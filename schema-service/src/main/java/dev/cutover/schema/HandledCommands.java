package dev.cutover.schema;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Supplier;

import org.apache.avro.specific.SpecificRecord;

/**
 * The answers to the commands handled lately, by command id. Kafka delivers at least once, and a saga
 * may send a command again; a repeated id gets the same answer again (same event id, so readers can
 * drop it) and the work is not redone. An id is remembered only once its answer is published: a
 * command whose answer never left is done again.
 */
final class HandledCommands {

    private final Map<String, SpecificRecord> answers;

    HandledCommands(int capacity) {
        this.answers = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, SpecificRecord> eldest) {
                return size() > capacity;
            }
        };
    }

    /** The stored answer to {@code commandId}, or the one {@code work} makes, which is then remembered. */
    synchronized SpecificRecord answer(String commandId, Supplier<SpecificRecord> work, Consumer<SpecificRecord> publish) {
        SpecificRecord known = answers.get(commandId);
        if (known != null) {
            publish.accept(known);
            return known;
        }
        SpecificRecord answer = work.get();
        publish.accept(answer);
        answers.put(commandId, answer);
        return answer;
    }
}
