package dev.cutover.cutover.runner;

import org.apache.avro.specific.SpecificRecord;
import org.springframework.kafka.annotation.KafkaHandler;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.kafka.support.KafkaHeaders;
import org.springframework.messaging.handler.annotation.Header;

import dev.cutover.events.Messages;
import dev.cutover.events.StartCutover;
import dev.cutover.platform.MessagePublisher;

/**
 * Everything the saga reacts to, one call each. Commands and events of one cutover share its key and so its
 * partition number on both topics; the range assignor gives both of a number to one consumer of this group, and
 * {@link SagaPartitions} makes that consumer's instance the one that acts on the cutovers there.
 */
@KafkaListener(id = "cutover-saga", topics = {"cutover.commands", "cutover.events"}, groupId = "cutover-saga",
        containerPostProcessor = "cutoverSagaPartitions",
        properties = {SagaPartitions.CLASSIC_GROUP, SagaPartitions.CO_PARTITIONED})
class SagaListener {

    private final SagaRunner saga;

    SagaListener(SagaRunner saga) {
        this.saga = saga;
    }

    @KafkaHandler
    void on(StartCutover command, @Header(KafkaHeaders.RECEIVED_PARTITION) int partition) {
        saga.onStart(command, partition);
    }

    @KafkaHandler(isDefault = true)
    void on(Object message, @Header(KafkaHeaders.RECEIVED_PARTITION) int partition) {
        if (message instanceof SpecificRecord record && Messages.find(record.getSchema().getFullName()).isPresent()) {
            saga.onMessage(record, MessagePublisher.metadataOf(record), partition);
        }
    }
}
