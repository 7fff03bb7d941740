package dev.cutover.cutover.migration.runner;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.context.SmartLifecycle;

import dev.cutover.cutover.migration.MigrationEvent;
import dev.cutover.cutover.migration.MigrationId;
import dev.cutover.cutover.runner.EventLog;
import dev.cutover.cutover.saga.DatabaseName;
import dev.cutover.events.Metadata;
import dev.cutover.platform.MessagePublisher;

/**
 * Before the listeners start, rebuilds every migration from the saga's own events in {@code cutover.events}, so a
 * restarted service goes on with what was in flight and re-derives its deadlines from the events' times.
 */
class MigrationRecovery implements SmartLifecycle {

    private final MigrationRunner saga;
    private final KafkaProperties kafka;
    private volatile boolean running;

    MigrationRecovery(MigrationRunner saga, KafkaProperties kafka) {
        this.saga = saga;
        this.kafka = kafka;
    }

    @Override
    public void start() {
        Map<MigrationId, List<MigrationEvent>> histories = new LinkedHashMap<>();
        Map<MigrationId, DatabaseName> databases = new HashMap<>();
        EventLog.readAll(kafka, "migration-saga", message -> MigrationCodec.sagaEvent(message).ifPresent(event -> {
            Metadata metadata = MessagePublisher.metadataOf(message);
            MigrationId id = MigrationCodec.migrationId(metadata);
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
