package dev.cutover.platform;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.kafka.core.DefaultKafkaProducerFactory;

import dev.cutover.events.topic.Topics;
import dev.cutover.stack.LocalStack;
import dev.cutover.stack.SharedStackExtension;

@ExtendWith(SharedStackExtension.class)
class WarmProducersIntegrationTest {

    final List<DefaultKafkaProducerFactory<String, String>> factories = new ArrayList<>();

    // Each test asks for the topics' partitions, which goes through the same wait for metadata as a send and writes
    // nothing to topics that other tests of the module read.

    @Test
    void everyReadiedTransactionalProducerKnowsTheCutoverTopicsWithoutWaitingForTheirMetadata(LocalStack stack) {
        DefaultKafkaProducerFactory<String, String> factory = factory(stack);
        factory.setTransactionIdPrefix("warm-test-" + UUID.randomUUID() + "-");
        new WarmProducers(factory, 2).ready();

        for (int i = 0; i < 2; i++) {
            try (Producer<String, String> producer = factory.createProducer()) {
                assertKnowsTheTopicsAlready(producer);
            }
        }
    }

    @Test
    void aServiceWithoutTransactionsHasItsOneProducerReadiedTheSameWay(LocalStack stack) {
        DefaultKafkaProducerFactory<String, String> factory = factory(stack);
        new WarmProducers(factory, 3).ready();

        try (Producer<String, String> producer = factory.createProducer()) {
            assertKnowsTheTopicsAlready(producer);
        }
    }

    @Test
    void aProducerThatWasNotReadiedWaitsForTheMetadataTheFirstTime(LocalStack stack) {
        try (Producer<String, String> producer = factory(stack).createProducer()) {
            double waitedBefore = metadataWaitNanos(producer);
            producer.partitionsFor(Topics.EVENTS.name());

            assertThat(metadataWaitNanos(producer)).isGreaterThan(waitedBefore);
        }
    }

    private static void assertKnowsTheTopicsAlready(Producer<String, String> producer) {
        double waitedBefore = metadataWaitNanos(producer);
        producer.partitionsFor(Topics.EVENTS.name());
        producer.partitionsFor(Topics.COMMANDS.name());

        assertThat(metadataWaitNanos(producer)).isEqualTo(waitedBefore);
    }

    @AfterEach
    void closeProducers() {
        factories.forEach(DefaultKafkaProducerFactory::destroy);
    }

    private DefaultKafkaProducerFactory<String, String> factory(LocalStack stack) {
        Map<String, Object> config = new HashMap<>();
        config.put("bootstrap.servers", stack.kafkaBootstrapServers());
        config.put("enable.idempotence", "true");
        config.put("acks", "all");
        DefaultKafkaProducerFactory<String, String> factory = new DefaultKafkaProducerFactory<>(config,
                new StringSerializer(), new StringSerializer());
        factories.add(factory);
        return factory;
    }

    /** The producer's own count of time spent waiting for topic metadata (for a send, or asking for partitions). */
    private static double metadataWaitNanos(Producer<String, String> producer) {
        return producer.metrics().entrySet().stream()
                .filter(metric -> metric.getKey().group().equals("producer-metrics")
                        && metric.getKey().name().equals("metadata-wait-time-ns-total"))
                .mapToDouble(metric -> (Double) metric.getValue().metricValue())
                .sum();
    }
}
