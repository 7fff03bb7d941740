package dev.cutover.cutover.migration.runner;

import org.apache.avro.specific.SpecificRecord;
import org.springframework.kafka.annotation.KafkaHandler;
import org.springframework.kafka.annotation.KafkaListener;

import dev.cutover.events.Messages;
import dev.cutover.events.StartMigration;
import dev.cutover.platform.MessagePublisher;

/**
 * Everything the migration saga reacts to, one call each. Commands and events of one migration share its key and so
 * its partition number on both topics; one consumer of this group sees all of a migration.
 */
@KafkaListener(id = "migration-saga", topics = {"cutover.commands", "cutover.events"}, groupId = "migration-saga")
class MigrationListener {

    private final MigrationRunner saga;

    MigrationListener(MigrationRunner saga) {
        this.saga = saga;
    }

    @KafkaHandler
    void on(StartMigration command) {
        saga.onStart(command);
    }

    @KafkaHandler(isDefault = true)
    void on(Object message) {
        if (message instanceof SpecificRecord record && Messages.find(record.getSchema().getFullName()).isPresent()) {
            saga.onMessage(record, MessagePublisher.metadataOf(record));
        }
    }
}
