package dev.cutover.platform;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
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

    @Test
    void everyReadiedTransactionalProducerSendsItsFirstMessageWithoutWaitingForTheTopicsMetadata(LocalStack stack)
            throws Exception {
        DefaultKafkaProducerFactory<String, String> factory = factory(stack);
        factory.setTransactionIdPrefix("warm-test-" + UUID.randomUUID() + "-");
        new WarmProducers(factory, 2).ready();

        for (int i = 0; i < 2; i++) {
            try (Producer<String, String> producer = factory.createProducer()) {
                double waitedBefore = metadataWaitNanos(producer);
                producer.beginTransaction();
                producer.send(new ProducerRecord<>(Topics.EVENTS.name(), "warm", "up")).get();
                producer.send(new ProducerRecord<>(Topics.COMMANDS.name(), "warm", "up")).get();
                producer.abortTransaction();

                assertThat(metadataWaitNanos(producer)).isEqualTo(waitedBefore);
            }
        }
    }

    @Test
    void aServiceWithoutTransactionsHasItsOneProducerReadiedTheSameWay(LocalStack stack) throws Exception {
        DefaultKafkaProducerFactory<String, String> factory = factory(stack);
        new WarmProducers(factory, 3).ready();

        try (Producer<String, String> producer = factory.createProducer()) {
            double waitedBefore = metadataWaitNanos(producer);
            producer.send(new ProducerRecord<>(Topics.EVENTS.name(), "warm", "up")).get();

            assertThat(metadataWaitNanos(producer)).isEqualTo(waitedBefore);
        }
    }

    @Test
    void aProducerThatWasNotReadiedWaitsForTheMetadataOnItsFirstSend(LocalStack stack) throws Exception {
        try (Producer<String, String> producer = factory(stack).createProducer()) {
            double waitedBefore = metadataWaitNanos(producer);
            producer.send(new ProducerRecord<>(Topics.EVENTS.name(), "cold", "start")).get();

            assertThat(metadataWaitNanos(producer)).isGreaterThan(waitedBefore);
        }
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

    /** The producer's own count of time spent waiting for topic metadata (a send, or asking for partitions). */
    private static double metadataWaitNanos(Producer<String, String> producer) {
        return producer.metrics().entrySet().stream()
                .filter(metric -> metric.getKey().group().equals("producer-metrics")
                        && metric.getKey().name().equals("metadata-wait-time-ns-total"))
                .mapToDouble(metric -> (Double) metric.getValue().metricValue())
                .sum();
    }
}
