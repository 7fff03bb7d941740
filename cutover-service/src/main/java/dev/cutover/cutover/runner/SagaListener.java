package dev.cutover.cutover.runner;

import java.util.List;

import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.springframework.kafka.annotation.KafkaListener;

import dev.cutover.cutover.runner.OwnedSagas.PartitionNotOwned;
import dev.cutover.events.Messages;
import dev.cutover.events.StartCutover;
import dev.cutover.platform.DecodedValues;
import dev.cutover.platform.MessagePublisher;
import dev.cutover.platform.PublishFailed;
import dev.cutover.platform.StepFailedRecoverer;

/**
 * Everything the saga reacts to. Commands and events of one cutover share its key and so its partition number on both
 * topics; the range assignor gives both of a number to one consumer of this group, and {@link SagaPartitions} makes
 * that consumer's instance the one that acts on the cutovers there.
 *
 * <p>What one poll brings is decided in one Kafka transaction: the answers that arrive together at the switch (the
 * fence, the canary, the sequences, the catch-up) cost one commit, not one each, while every application write
 * waits. A message the saga refuses (a transition its rules forbid, a cutover it never started, a payload it cannot
 * decode) is handed to the recoverer there and then, and the rest of the poll goes on; only what is not the message's
 * fault (Kafka refusing a publish, a partition not yet read back) gives up the whole transaction, so that the poll is
 * delivered again and the sagas it changed are put back ({@link SagaRunner}).
 */
class SagaListener {

    private final SagaRunner saga;
    private final StepFailedRecoverer refused;

    SagaListener(SagaRunner saga, StepFailedRecoverer refused) {
        this.saga = saga;
        this.refused = refused;
    }

    @KafkaListener(id = "cutover-saga", topics = {"cutover.commands", "cutover.events"}, groupId = "cutover-saga",
            containerPostProcessor = "cutoverSagaContainer", batch = "true",
            properties = {SagaPartitions.CLASSIC_GROUP, SagaPartitions.CO_PARTITIONED})
    void on(List<ConsumerRecord<String, Object>> records) {
        for (ConsumerRecord<String, Object> record : records) {
            try {
                decide(record);
            } catch (PublishFailed | PartitionNotOwned e) {
                throw e;
            } catch (RuntimeException e) {
                refused.accept(record, e);
            }
        }
    }

    private void decide(ConsumerRecord<String, Object> record) {
        Object value = DecodedValues.of(record);
        if (value instanceof StartCutover start) {
            saga.onStart(start, record.partition());
        } else if (value instanceof SpecificRecord message
                && Messages.find(message.getSchema().getFullName()).isPresent()) {
            saga.onMessage(message, MessagePublisher.metadataOf(message), record.partition());
        }
    }
}
