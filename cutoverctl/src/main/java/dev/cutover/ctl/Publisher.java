package dev.cutover.ctl;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;

import dev.cutover.events.topic.Topics;

/** Writes one operator command to {@code cutover.commands}, keyed by the cutover id, and waits until it is stored. */
final class Publisher {

    private Publisher() {
    }

    static RecordMetadata publish(KafkaClients kafka, String cutoverId, SpecificRecord command) {
        return publish(kafka, cutoverId, () -> command);
    }

    /**
     * Builds the command once the broker has answered, so that its time ({@code metadata.occurredAt}) is when it was
     * sent, not when this process began connecting: the timeline measures the cutover from it.
     */
    static RecordMetadata publish(KafkaClients kafka, String cutoverId, Supplier<SpecificRecord> command) {
        try (var producer = kafka.producer()) {
            producer.partitionsFor(Topics.COMMANDS.name());
            var sent = producer.send(new ProducerRecord<>(Topics.COMMANDS.name(), cutoverId, command.get()));
            producer.flush();
            return sent.get(kafka.timeout().multipliedBy(2).toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof KafkaException kafkaException) {
                throw kafkaException;
            }
            throw new KafkaException(e.getCause().getMessage(), e.getCause());
        } catch (TimeoutException e) {
            throw new KafkaException("no acknowledgement within " + kafka.timeout().multipliedBy(2).toSeconds() + " s", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KafkaException("interrupted while publishing", e);
        }
    }
}
