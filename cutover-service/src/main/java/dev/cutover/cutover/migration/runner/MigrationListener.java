package dev.cutover.cutover.migration.runner;

import org.apache.avro.specific.SpecificRecord;
import org.springframework.kafka.annotation.KafkaHandler;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.kafka.support.KafkaHeaders;
import org.springframework.messaging.handler.annotation.Header;

import dev.cutover.cutover.runner.SagaPartitions;
import dev.cutover.events.Messages;
import dev.cutover.events.StartMigration;
import dev.cutover.platform.MessagePublisher;

/**
 * Everything the migration saga reacts to, one call each. Commands and events of one migration share its key and so
 * its partition number on both topics; the range assignor gives both of a number to one consumer of this group, and
 * {@link SagaPartitions} makes that consumer's instance the one that acts on the migrations there.
 */
@KafkaListener(id = "migration-saga", topics = {"cutover.commands", "cutover.events"}, groupId = "migration-saga",
        containerPostProcessor = "migrationSagaContainer",
        properties = {SagaPartitions.CLASSIC_GROUP, SagaPartitions.CO_PARTITIONED})
class MigrationListener {

    private final MigrationRunner saga;

    MigrationListener(MigrationRunner saga) {
        this.saga = saga;
    }

    @KafkaHandler
    void on(StartMigration command, @Header(KafkaHeaders.RECEIVED_PARTITION) int partition) {
        saga.onStart(command, partition);
    }

    @KafkaHandler(isDefault = true)
    void on(Object message, @Header(KafkaHeaders.RECEIVED_PARTITION) int partition) {
        if (message instanceof SpecificRecord record && Messages.find(record.getSchema().getFullName()).isPresent()) {
            saga.onMessage(record, MessagePublisher.metadataOf(record), partition);
        }
    }
}
