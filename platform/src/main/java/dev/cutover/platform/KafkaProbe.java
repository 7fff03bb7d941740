package dev.cutover.platform;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;

import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

import dev.cutover.events.Metadata;
import dev.cutover.events.serde.AvroMessageDeserializer;
import dev.cutover.events.serde.AvroMessageSerializer;
import dev.cutover.events.serde.UndecodableMessageException;

/**
 * Hands on Kafka for tests and rehearsals: sends commands as the saga would and waits for the events that answer
 * them. It reads every topic from the beginning in its own consumer group, so nothing sent before
 * it started is missed.
 */
public final class KafkaProbe implements AutoCloseable {

    private final KafkaProducer<String, SpecificRecord> producer;
    private final KafkaConsumer<String, byte[]> consumer;
    private final AvroMessageDeserializer decoder = new AvroMessageDeserializer();
    private final List<SpecificRecord> seen = new ArrayList<>();

    public KafkaProbe(String bootstrapServers) {
        this(Map.of("bootstrap.servers", bootstrapServers));
    }

    /** With these client settings: {@code bootstrap.servers} and, on a broker that asks for it, a SASL login. */
    public KafkaProbe(Map<String, Object> client) {
        this(client, List.of());
    }

    /** Reading {@code alsoRead} besides the commands, the events and the lag reports. */
    public KafkaProbe(Map<String, Object> client, List<String> alsoRead) {
        Map<String, Object> producerConfig = new HashMap<>(client);
        producerConfig.put("acks", "all");
        producer = new KafkaProducer<>(producerConfig, new StringSerializer(), new AvroMessageSerializer());
        Map<String, Object> consumerConfig = new HashMap<>(client);
        consumerConfig.putAll(Map.of("group.id", "probe-" + UUID.randomUUID(), "auto.offset.reset", "earliest",
                "isolation.level", "read_committed"));
        consumer = new KafkaConsumer<>(consumerConfig, new StringDeserializer(), new ByteArrayDeserializer());
        List<String> topics = new ArrayList<>(List.of("cutover.events", "cutover.commands", "replication.lag"));
        topics.addAll(alsoRead);
        consumer.subscribe(topics);
    }

    /** Metadata for a test message about {@code database} in cutover {@code cutoverId}. */
    public static Metadata metadata(String database, String cutoverId, String migrationId) {
        return Metadata.newBuilder()
                .setMessageId(UUID.randomUUID())
                .setCutoverId(cutoverId)
                .setMigrationId(migrationId)
                .setDatabase(database)
                .setOccurredAt(Instant.now())
                .setCausationId(null)
                .setProducer("test")
                .build();
    }

    /** Sends a message to the topic of its kind, keyed as services key it, and waits for the broker's ack. */
    public void send(SpecificRecord message) {
        try {
            producer.send(new ProducerRecord<>(MessagePublisher.topicFor(message),
                    MessagePublisher.keyOf(MessagePublisher.metadataOf(message)), message)).get(30, TimeUnit.SECONDS);
        } catch (InterruptedException | ExecutionException | TimeoutException e) {
            throw new IllegalStateException("the broker did not accept " + message, e);
        }
    }

    /** The first message of {@code type} answering the message with id {@code causationId}. */
    public <T extends SpecificRecord> T awaitAnswer(Class<T> type, UUID causationId, Duration timeout) {
        return await(type, message -> causationId.toString().equals(MessagePublisher.metadataOf(message).getCausationId()),
                timeout);
    }


    /** The first message of {@code type} that matches. */
    public <T extends SpecificRecord> T await(Class<T> type, Predicate<? super T> matches, Duration timeout) {
        Instant deadline = Instant.now().plus(timeout);
        while (true) {
            Optional<T> found = seen.stream().filter(type::isInstance).map(type::cast).filter(matches).findFirst();
            if (found.isPresent()) {
                return found.get();
            }
            if (Instant.now().isAfter(deadline)) {
                throw new IllegalStateException("no " + type.getSimpleName() + " matched within " + timeout + "; seen: "
                        + seen.stream().map(m -> m.getSchema().getName()).toList());
            }
            read(Duration.ofMillis(100));
        }
    }

    private void read(Duration wait) {
        consumer.poll(wait).forEach(record -> {
            if (record.value() == null) {
                return;
            }
            try {
                seen.add(decoder.deserialize(record.topic(), record.headers(), record.value()));
            } catch (UndecodableMessageException e) {
                // Poison on the topics (tests put some there on purpose) is not the probe's concern.
            }
        });
    }

    /** Reads for up to {@code wait} and returns what arrived, decoded; poison is skipped. */
    public List<SpecificRecord> poll(Duration wait) {
        int before = seen.size();
        read(wait);
        return List.copyOf(seen.subList(before, seen.size()));
    }

    /** Every message seen so far, in the order it was read. */
    public List<SpecificRecord> seen() {
        return List.copyOf(seen);
    }

    @Override
    public void close() {
        producer.close();
        consumer.close();
    }
}
