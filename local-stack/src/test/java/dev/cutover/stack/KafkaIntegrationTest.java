package dev.cutover.stack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(SharedStackExtension.class)
class KafkaIntegrationTest {

    @Test
    void aRecordSentToTheBrokerReachesAConsumer(LocalStack stack) throws Exception {
        String topic = "round-trip-" + UUID.randomUUID();
        try (var producer = producer(stack, Map.of())) {
            producer.send(new ProducerRecord<>(topic, "cutover-1", "started")).get();
        }

        assertThat(readUntil(stack, topic, "started", "read_uncommitted")).containsExactly("started");
    }

    @Test
    void aReadCommittedConsumerSeesCommittedTransactionsAndNotAbortedOnes(LocalStack stack) {
        String topic = "transactions-" + UUID.randomUUID();
        try (var producer = producer(stack, Map.of(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "local-stack-" + UUID.randomUUID()))) {
            producer.initTransactions();
            producer.beginTransaction();
            producer.send(new ProducerRecord<>(topic, "cutover-1", "kept"));
            producer.commitTransaction();
            producer.beginTransaction();
            producer.send(new ProducerRecord<>(topic, "cutover-1", "dropped"));
            producer.abortTransaction();
            producer.beginTransaction();
            producer.send(new ProducerRecord<>(topic, "cutover-1", "last"));
            producer.commitTransaction();
        }

        assertThat(readUntil(stack, topic, "last", "read_committed")).containsExactly("kept", "last");
    }

    private static KafkaProducer<String, String> producer(LocalStack stack, Map<String, Object> extra) {
        Map<String, Object> config = new java.util.HashMap<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.kafkaBootstrapServers(),
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                ProducerConfig.ACKS_CONFIG, "all"));
        config.putAll(extra);
        return new KafkaProducer<>(config, new StringSerializer(), new StringSerializer());
    }

    private static List<String> readUntil(LocalStack stack, String topic, String lastValue, String isolation) {
        List<String> values = new ArrayList<>();
        try (var consumer = new KafkaConsumer<>(Map.<String, Object>of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.kafkaBootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, "reader-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, isolation), new StringDeserializer(), new StringDeserializer())) {
            consumer.subscribe(List.of(topic));
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
                    values.add(record.value());
                }
                return values.contains(lastValue);
            });
        }
        return values;
    }
}
