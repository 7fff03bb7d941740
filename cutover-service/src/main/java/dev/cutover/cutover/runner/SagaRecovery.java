package dev.cutover.cutover.runner;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.context.SmartLifecycle;

import dev.cutover.cutover.saga.CutoverEvent;
import dev.cutover.cutover.saga.CutoverId;
import dev.cutover.cutover.saga.DatabaseName;
import dev.cutover.events.Metadata;
import dev.cutover.platform.MessagePublisher;

/**
 * Before the listeners start, rebuilds every cutover from the saga's own events in {@code cutover.events}, so a
 * restarted service resumes or compensates what was in flight.
 */
class SagaRecovery implements SmartLifecycle {

    private final SagaRunner saga;
    private final KafkaProperties kafka;
    private volatile boolean running;

    SagaRecovery(SagaRunner saga, KafkaProperties kafka) {
        this.saga = saga;
        this.kafka = kafka;
    }

    @Override
    public void start() {
        Map<CutoverId, List<CutoverEvent>> histories = new LinkedHashMap<>();
        Map<CutoverId, DatabaseName> databases = new HashMap<>();
        EventLog.readAll(kafka, "cutover-saga", message -> SagaCodec.sagaEvent(message).ifPresent(event -> {
            Metadata metadata = MessagePublisher.metadataOf(message);
            CutoverId id = new CutoverId(metadata.getCutoverId());
            histories.computeIfAbsent(id, key -> new ArrayList<>()).add(event);
            databases.putIfAbsent(id, new DatabaseName(metadata.getDatabase()));
        }));
        saga.recover(histories, databases);
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
