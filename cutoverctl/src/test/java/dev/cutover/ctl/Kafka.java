package dev.cutover.ctl;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;

import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;

import dev.cutover.ctl.replay.CutoverScript;
import dev.cutover.events.serde.AvroMessageSerializer;
import dev.cutover.events.topic.SchemaPublisher;
import dev.cutover.events.topic.Topics;

/**
 * A real Kafka broker (KRaft, in this JVM) for the integration tests, started once per test run and shared: each
 * test uses its own cutover ids. The cutover topics get three partitions so that reading only a cutover's own
 * partition is actually put to the test.
 */
final class Kafka implements AutoCloseable {

    static final int PARTITIONS = 3;

    private final EmbeddedKafkaKraftBroker broker;

    private Kafka(EmbeddedKafkaKraftBroker broker) {
        this.broker = broker;
    }

    /** Resolves a {@link Kafka} parameter with the run's one broker. */
    static final class Extension implements ParameterResolver {

        @Override
        public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
            return parameter.getParameter().getType() == Kafka.class;
        }

        @Override
        public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
            return context.getRoot().getStore(ExtensionContext.Namespace.create(Kafka.class))
                    .computeIfAbsent(Kafka.class, key -> start(), Kafka.class);
        }
    }

    private static Kafka start() {
        var broker = new EmbeddedKafkaKraftBroker(1, PARTITIONS);
        broker.brokerProperties(Map.of(
                "auto.create.topics.enable", "false",
                "offsets.topic.replication.factor", "1",
                "transaction.state.log.replication.factor", "1",
                "transaction.state.log.min.isr", "1",
                "group.initial.rebalance.delay.ms", "0"));
        broker.kafkaPorts(0);
        broker.afterPropertiesSet();
        var kafka = new Kafka(broker);
        try (var admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()))) {
            admin.createTopics(Topics.all().stream().map(topic -> topic.newTopic(PARTITIONS, (short) 1)).toList())
                    .all().get();
        } catch (InterruptedException | ExecutionException e) {
            kafka.close();
            throw new IllegalStateException("cannot create the cutover topics", e);
        }
        return kafka;
    }

    String bootstrapServers() {
        return broker.getBrokersAsString();
    }

    /** Publishes the script's messages in order, each keyed by the cutover id, as the services would. */
    void publish(String cutoverId, CutoverScript script) {
        publish(cutoverId, script.lines());
    }

    void publish(String cutoverId, List<CutoverScript.Line> lines) {
        try (var producer = new KafkaProducer<>(producerConfig(), new StringSerializer(), new AvroMessageSerializer())) {
            for (var line : lines) {
                producer.send(new ProducerRecord<>(line.topic(), cutoverId, (SpecificRecord) line.message())).get();
            }
        } catch (InterruptedException | ExecutionException e) {
            throw new IllegalStateException("cannot publish the script of " + cutoverId, e);
        }
    }

    /** Writes bytes that are no cutover message, as a broken or foreign producer would. */
    RecordMetadata publishRaw(String topic, String key, byte[] value) {
        try (var producer = new KafkaProducer<>(producerConfig(), new StringSerializer(), new ByteArraySerializer())) {
            return producer.send(new ProducerRecord<>(topic, key, value)).get();
        } catch (InterruptedException | ExecutionException e) {
            throw new IllegalStateException("cannot publish to " + topic, e);
        }
    }

    /**
     * Publishes every schema to {@code cutover.schemas} as {@link SchemaPublisher} would. Not through its idempotent
     * producer: on a freshly started broker on a loaded machine, that once failed with OutOfOrderSequenceException
     * until the delivery timeout, and a duplicate schema on a compacted topic is harmless.
     *
     * @return how many distinct schemas were sent
     */
    int publishSchemas(Collection<Schema> schemas) {
        var config = new HashMap<>(producerConfig());
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, false);
        config.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 1);
        var records = SchemaPublisher.records(schemas);
        try (var producer = new KafkaProducer<>(config, new StringSerializer(), new StringSerializer())) {
            for (var record : records) {
                producer.send(record).get();
            }
        } catch (InterruptedException | ExecutionException e) {
            throw new IllegalStateException("cannot publish the schemas", e);
        }
        return records.size();
    }

    /** Every record now in one partition of a topic, from the beginning. */
    List<ConsumerRecord<byte[], byte[]>> readPartition(String topic, int partition) {
        var config = Map.<String, Object>of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers(),
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        try (var consumer = new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            var tp = new TopicPartition(topic, partition);
            consumer.assign(List.of(tp));
            consumer.seekToBeginning(List.of(tp));
            long end = consumer.endOffsets(List.of(tp)).get(tp);
            var records = new ArrayList<ConsumerRecord<byte[], byte[]>>();
            while (consumer.position(tp) < end) {
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
            }
            return records;
        }
    }

    /** The newest record on {@code cutover.commands} keyed by this id, read from the id's own partition. */
    ConsumerRecord<byte[], byte[]> lastCommandOf(String id) {
        return readPartition(Topics.COMMANDS.name(), MessageLog.partitionOf(id, PARTITIONS)).stream()
                .filter(record -> id.equals(new String(record.key(), StandardCharsets.UTF_8)))
                .reduce((first, second) -> second)
                .orElseThrow(() -> new AssertionError("no command keyed " + id + " on its partition"));
    }

    private Map<String, Object> producerConfig() {
        return Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers(), ProducerConfig.ACKS_CONFIG, "all");
    }

    @Override
    public void close() {
        broker.destroy();
    }
}
