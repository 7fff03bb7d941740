package dev.cutover.cutover.runner;

import org.apache.avro.specific.SpecificRecord;
import org.springframework.kafka.annotation.KafkaHandler;
import org.springframework.kafka.annotation.KafkaListener;

import dev.cutover.events.Messages;
import dev.cutover.events.StartCutover;
import dev.cutover.platform.MessagePublisher;

/**
 * Everything the saga reacts to, one call each. Commands and events of one cutover share its key and
 * so its partition number on both topics; one consumer of this group sees all of a cutover.
 */
@KafkaListener(id = "cutover-saga", topics = {"cutover.commands", "cutover.events"}, groupId = "cutover-saga")
class SagaListener {

    private final SagaRunner saga;

    SagaListener(SagaRunner saga) {
        this.saga = saga;
    }

    @KafkaHandler
    void on(StartCutover command) {
        saga.onStart(command);
    }

    @KafkaHandler(isDefault = true)
    void on(Object message) {
        if (message instanceof SpecificRecord record && Messages.find(record.getSchema().getFullName()).isPresent()) {
            saga.onMessage(record, MessagePublisher.metadataOf(record));
        }
    }
}
