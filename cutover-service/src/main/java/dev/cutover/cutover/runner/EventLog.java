package dev.cutover.cutover.runner;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;

import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;

import dev.cutover.events.serde.AvroMessageDeserializer;
import dev.cutover.events.serde.UndecodableMessageException;
import dev.cutover.events.topic.Topics;

/**
 * Reads {@code cutover.events} from the beginning to its current end, for a saga rebuilding its state after a
 * restart. Only committed events count: an aborted transaction's decision was never made. Each saga picks its own
 * events out of what this hands it.
 */
public final class EventLog {

    private static final Logger log = LoggerFactory.getLogger(EventLog.class);

    private EventLog() {
    }

    /** Hands every decodable event, in log order within each partition, to {@code each}. */
    public static void readAll(KafkaProperties kafka, String reader, Consumer<SpecificRecord> each) {
        Map<String, Object> config = kafka.buildConsumerProperties();
        // A fresh group: recovery must not move (or depend on) any listener's committed offsets.
        config.put("group.id", reader + "-recovery-" + UUID.randomUUID());
        config.put("isolation.level", "read_committed");
        config.put("enable.auto.commit", "false");
        AvroMessageDeserializer decoder = new AvroMessageDeserializer();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(config, new StringDeserializer(),
                new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(Topics.EVENTS.name(), Duration.ofSeconds(30)).stream()
                    .map(info -> new TopicPartition(info.topic(), info.partition()))
                    .toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    SpecificRecord message = decode(decoder, record);
                    if (message != null) {
                        each.accept(message);
                    }
                }
            }
        }
    }

    /** A record nobody can decode was never a saga event: skip it (the listeners send it to the dead letters). */
    private static SpecificRecord decode(AvroMessageDeserializer decoder, ConsumerRecord<String, byte[]> record) {
        if (record.value() == null) {
            return null;
        }
        try {
            return decoder.deserialize(record.topic(), record.headers(), record.value());
        } catch (UndecodableMessageException e) {
            log.warn("skipping {}-{}@{} while recovering: {}", record.topic(), record.partition(), record.offset(),
                    e.getMessage());
            return null;
        }
    }
}
