package dev.cutover.replicator;

import java.time.Duration;

import org.springframework.kafka.annotation.KafkaHandler;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;

import dev.cutover.events.CleanUpMigration;
import dev.cutover.events.CleanupAction;
import dev.cutover.events.Metadata;
import dev.cutover.events.MigrationCleanedUp;
import dev.cutover.platform.MessagePublisher;
import dev.cutover.platform.database.DatabasesSettings;
import dev.cutover.replicator.cleanup.MigrationCleanup;
import dev.cutover.replicator.copy.RunningLoads;

/**
 * {@code CleanUpMigration} in a consumer group of its own: the replicator's other commands of a migration share its
 * partition, and an abort must not wait behind the copy it is meant to stop. Doing the cleanup again does no harm,
 * so a redelivered command is simply carried out again and reports what it finds. A group without committed offsets
 * (the first start, or offsets expired after a long outage) starts at the end of the topic, not at its beginning:
 * replaying old aborts would drop the tables of a later migration of the same database.
 */
@Component
@KafkaListener(topics = "cutover.commands", groupId = "replicator-cleanup", properties = "auto.offset.reset=latest")
class MigrationCleanupListener {

    /** How long the clean-up waits for a running copy to roll back; the drops that follow wait on its locks anyway. */
    private static final Duration LOAD_STOP_PATIENCE = Duration.ofSeconds(30);

    private final DatabasesSettings databases;
    private final ReplicatorSettings settings;
    private final MessagePublisher publisher;

    private final RunningLoads loads;

    MigrationCleanupListener(DatabasesSettings databases, ReplicatorSettings settings, MessagePublisher publisher,
            RunningLoads loads) {
        this.databases = databases;
        this.settings = settings;
        this.publisher = publisher;
        this.loads = loads;
    }

    @KafkaHandler
    void on(CleanUpMigration command) throws InterruptedException {
        Metadata cause = command.getMetadata();
        // A copy still running would go on filling the target, and hold its tables against a drop: stopped first.
        if (cause.getMigrationId() != null) {
            loads.stop(cause.getMigrationId(), "migration " + cause.getMigrationId() + " was aborted", LOAD_STOP_PATIENCE);
        }
        var actions = new MigrationCleanup(settings.slotReleasePatience())
                .run(ReplicatorService.pair(databases, cause), ReplicatorService.names(databases, cause),
                        ReplicatorService.replication(databases, cause).adopted(),
                        command.getDropTargetTables());
        publisher.publish(MigrationCleanedUp.newBuilder()
                .setMetadata(publisher.answering(cause))
                .setActions(actions.stream().map(action -> CleanupAction.newBuilder()
                        .setServer(action.server().name())
                        .setKind(action.kind().name())
                        .setName(action.name())
                        .setOutcome(action.outcome().name())
                        .setDetail(action.detail().orElse(null))
                        .build()).toList())
                .build());
    }

    @KafkaHandler(isDefault = true)
    void ignore(Object other) {
    }
}
