package dev.cutover.schema.testing;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

import dev.cutover.events.Metadata;
import dev.cutover.events.serde.AvroMessageDeserializer;
import dev.cutover.events.serde.AvroMessageSerializer;

/** Plays the saga's part in a test: sends commands to the real broker and collects the events that answer them. */
public final class Saga implements AutoCloseable {

    private final KafkaProducer<String, SpecificRecord> producer;
    private final KafkaConsumer<String, SpecificRecord> consumer;
    private final List<SpecificRecord> events = new ArrayList<>();

    public Saga(String bootstrapServers) {
        producer = new KafkaProducer<>(Map.of("bootstrap.servers", bootstrapServers, "acks", "all"),
                new StringSerializer(), new AvroMessageSerializer());
        consumer = new KafkaConsumer<>(Map.of("bootstrap.servers", bootstrapServers, "group.id", "saga-" + UUID.randomUUID(),
                "auto.offset.reset", "earliest", "isolation.level", "read_committed"),
                new StringDeserializer(), new AvroMessageDeserializer());
        consumer.subscribe(List.of("cutover.events"));
    }

    public static Metadata metadata(String database) {
        return Metadata.newBuilder().setMessageId(UUID.randomUUID()).setMigrationId("migration-" + database)
                .setDatabase(database).setOccurredAt(Instant.now()).setProducer("test-saga").build();
    }

    public void send(SpecificRecord command, Metadata metadata) {
        try {
            producer.send(new ProducerRecord<>("cutover.commands", metadata.getMigrationId(), command))
                    .get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("the broker did not take " + command.getSchema().getName(), e);
        }
    }

    /** Reads what has arrived since the last call; for Awaitility's conditions. */
    public List<SpecificRecord> answersTo(Metadata command) {
        consumer.poll(Duration.ofMillis(100)).forEach(record -> events.add(record.value()));
        return events.stream().filter(event -> command.getMessageId().toString().equals(metadataOf(event).getCausationId()))
                .toList();
    }

    private static Metadata metadataOf(SpecificRecord event) {
        return (Metadata) event.get(event.getSchema().getField("metadata").pos());
    }

    @Override
    public void close() {
        producer.close();
        consumer.close();
    }
}
