package dev.cutover.cutover.runner;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

import org.apache.avro.specific.SpecificRecord;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.context.SmartLifecycle;

import dev.cutover.cutover.saga.DatabaseName;
import dev.cutover.events.Metadata;
import dev.cutover.platform.MessagePublisher;

/**
 * Before the listeners start, folds a saga's own events read back from {@code cutover.events} into one
 * history per saga id and hands them over, so a restarted service resumes or compensates what was in
 * flight. Both sagas recover this way; each says which events are its own and how its id is read.
 *
 * @param <K> the saga's id
 * @param <E> the saga's own events
 */
public final class LogRecovery<K, E> implements SmartLifecycle {

    /** What receives the histories: the saga's runner. */
    public interface Target<K, E> {
        void recover(Map<K, List<E>> histories, Map<K, DatabaseName> databases);
    }

    private final String name;
    private final KafkaProperties kafka;
    private final Function<SpecificRecord, Optional<E>> ownEvent;
    private final Function<Metadata, K> idOf;
    private final Target<K, E> target;
    private volatile boolean running;

    public LogRecovery(String name, KafkaProperties kafka, Function<SpecificRecord, Optional<E>> ownEvent,
            Function<Metadata, K> idOf, Target<K, E> target) {
        this.name = name;
        this.kafka = kafka;
        this.ownEvent = ownEvent;
        this.idOf = idOf;
        this.target = target;
    }

    @Override
    public void start() {
        Map<K, List<E>> histories = new LinkedHashMap<>();
        Map<K, DatabaseName> databases = new HashMap<>();
        EventLog.readAll(kafka, name, message -> ownEvent.apply(message).ifPresent(event -> {
            Metadata metadata = MessagePublisher.metadataOf(message);
            K id = idOf.apply(metadata);
            histories.computeIfAbsent(id, key -> new ArrayList<>()).add(event);
            databases.putIfAbsent(id, new DatabaseName(metadata.getDatabase()));
        }));
        target.recover(histories, databases);
        running = true;
    }

    @Override
    public void stop() {
        running = false;
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    /** Before the listener containers, which start in a late phase. */
    @Override
    public int getPhase() {
        return 0;
    }
}
