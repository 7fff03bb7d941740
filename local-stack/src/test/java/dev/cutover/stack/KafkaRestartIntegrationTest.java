package dev.cutover.stack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A broker of its own, not the shared stack's: restarting that would pull it from under other classes' clients.
 * Each test leaves it running.
 */
class KafkaRestartIntegrationTest {

    static LocalStack stack;

    @BeforeAll
    static void start() {
        stack = LocalStack.start(StackOptions.defaults().withParts(StackPart.KAFKA));
    }

    @AfterAll
    static void close() {
        stack.close();
    }

    @Test
    void aRestartedBrokerServesItsLogAndOffsetsAtTheSameAddressAndATransactionalProducerFromBeforeCommitsAgain() throws Exception {
        Kafka kafka = stack.kafka();
        String address = kafka.bootstrapServers();
        String topic = "restart-" + UUID.randomUUID();
        String group = "reader-" + UUID.randomUUID();
        try (var producer = transactionalProducer(address)) {
            producer.initTransactions();
            commit(producer, topic, "before the restart");
            assertThat(read(address, group, topic, 1)).containsExactly("before the restart");

            kafka.restart();

            assertThat(kafka.bootstrapServers()).isEqualTo(address);
            assertThat(stack.kafkaBootstrapServers()).isEqualTo(address);
            assertThat(read(address, "another-" + group, topic, 1)).as("the log, read from the start by a new group")
                    .containsExactly("before the restart");
            commit(producer, topic, "after the restart");
        }
        assertThat(read(address, group, topic, 1)).as("the group's committed offset survived the restart")
                .containsExactly("after the restart");
    }

    @Test
    void aBrokerWhosePortWasTakenWhileItWasStoppedSaysSoAndStartsOnceThePortIsFree() throws Exception {
        Kafka kafka = stack.kafka();
        String address = kafka.bootstrapServers();
        int port = Integer.parseInt(address.substring(address.lastIndexOf(':') + 1));
        String topic = "taken-" + UUID.randomUUID();

        kafka.stop();
        try (ServerSocket taker = new ServerSocket()) {
            taker.bind(new InetSocketAddress(InetAddress.getByName("localhost"), port));

            assertThatThrownBy(kafka::restart).isInstanceOf(StackException.class)
                    .hasMessageContaining("Kafka cannot start again at " + address)
                    .hasMessageContaining("another process took port " + port)
                    .hasMessageContaining("sport = :" + port);
        }
        kafka.restart();

        try (var producer = transactionalProducer(address)) {
            producer.initTransactions();
            commit(producer, topic, "after a failed start");
        }
        assertThat(read(address, "reader-" + UUID.randomUUID(), topic, 1)).containsExactly("after a failed start");
    }

    static KafkaProducer<String, String> transactionalProducer(String address) {
        return new KafkaProducer<>(Map.<String, Object>of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, address,
                ProducerConfig.TRANSACTIONAL_ID_CONFIG, "restart-" + UUID.randomUUID()), new StringSerializer(), new StringSerializer());
    }

    static void commit(KafkaProducer<String, String> producer, String topic, String value) throws Exception {
        producer.beginTransaction();
        producer.send(new ProducerRecord<>(topic, "cutover-1", value)).get();
        producer.commitTransaction();
    }

    /** Reads {@code count} records in {@code group} from its committed offset (or the start) and commits them. */
    static List<String> read(String address, String group, String topic, int count) {
        Map<String, Object> config = new HashMap<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, address,
                ConsumerConfig.GROUP_ID_CONFIG, group,
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"));
        List<String> values = new ArrayList<>();
        try (var consumer = new KafkaConsumer<>(config, new StringDeserializer(), new StringDeserializer())) {
            consumer.subscribe(List.of(topic));
            await().atMost(Duration.ofSeconds(60)).until(() -> {
                consumer.poll(Duration.ofMillis(200)).forEach(record -> values.add(record.value()));
                return values.size() >= count;
            });
            consumer.commitSync();
        }
        return values;
    }
}
