package dev.cutover.cutover.runner;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.context.SmartLifecycle;

import dev.cutover.cutover.saga.CutoverEvent;
import dev.cutover.cutover.saga.CutoverId;
import dev.cutover.cutover.saga.DatabaseName;
import dev.cutover.events.Metadata;
import dev.cutover.events.serde.AvroMessageDeserializer;
import dev.cutover.events.serde.UndecodableMessageException;
import dev.cutover.events.topic.Topics;
import dev.cutover.platform.MessagePublisher;

/**
 * Before the listeners start, reads {@code cutover.events} from the beginning to its end and rebuilds
 * every cutover from the saga's own events, so a restarted service resumes or compensates what was in
 * flight. Only committed events count: an aborted transaction's decision was never made.
 */
class SagaRecovery implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(SagaRecovery.class);

    private final SagaRunner saga;
    private final KafkaProperties kafka;
    private volatile boolean running;

    SagaRecovery(SagaRunner saga, KafkaProperties kafka) {
        this.saga = saga;
        this.kafka = kafka;
    }

    @Override
    public void start() {
        Map<String, Object> config = kafka.buildConsumerProperties();
        config.put("group.id", "cutover-saga-recovery-" + UUID.randomUUID());
        config.put("isolation.level", "read_committed");
        config.put("enable.auto.commit", "false");
        Map<CutoverId, List<CutoverEvent>> histories = new LinkedHashMap<>();
        Map<CutoverId, DatabaseName> databases = new HashMap<>();
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
                    if (message == null) {
                        continue;
                    }
                    SagaCodec.sagaEvent(message).ifPresent(event -> {
                        Metadata metadata = MessagePublisher.metadataOf(message);
                        CutoverId id = new CutoverId(metadata.getCutoverId());
                        histories.computeIfAbsent(id, key -> new ArrayList<>()).add(event);
                        databases.putIfAbsent(id, new DatabaseName(metadata.getDatabase()));
                    });
                }
            }
        }
        saga.recover(histories, databases);
        running = true;
    }

    /** A record nobody can decode was never a saga event: skip it (the listener sends it to the dead letters). */
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
