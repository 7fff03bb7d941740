package dev.cutover.stack;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.test.EmbeddedKafkaBroker;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;

/**
 * A real single-node Kafka broker (KRaft) inside this JVM on a free port: topics are created on
 * first use and transactions work.
 */
public final class KafkaBroker implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(KafkaBroker.class);

    private final EmbeddedKafkaKraftBroker broker;
    private boolean closed;

    private KafkaBroker(EmbeddedKafkaKraftBroker broker) {
        this.broker = broker;
    }

    public static KafkaBroker start() {
        return start(Map.of());
    }

    /** Starts a broker with extra broker properties, which override ours. */
    public static KafkaBroker start(Map<String, String> properties) {
        long started = System.nanoTime();
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("auto.create.topics.enable", "true");
        settings.put("num.partitions", "1");
        settings.put("offsets.topic.replication.factor", "1");
        settings.put("offsets.topic.num.partitions", "1");
        settings.put("transaction.state.log.replication.factor", "1");
        settings.put("transaction.state.log.min.isr", "1");
        settings.put("transaction.state.log.num.partitions", "1");
        settings.put("group.initial.rebalance.delay.ms", "0");
        settings.putAll(properties);
        EmbeddedKafkaKraftBroker broker = new EmbeddedKafkaKraftBroker(1, 1);
        broker.brokerProperties(settings);
        broker.kafkaPorts(0);
        try {
            broker.afterPropertiesSet();
        } catch (RuntimeException e) {
            broker.destroy();
            throw new StackException("the embedded Kafka broker failed to start: " + e.getMessage(), e);
        }
        KafkaBroker running = new KafkaBroker(broker);
        Reaper.register(running);
        log.info("Kafka ready at {} in {} ms", broker.getBrokersAsString(), TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
        return running;
    }

    /** {@code bootstrap.servers} for clients. */
    public String bootstrapServers() {
        return broker.getBrokersAsString();
    }

    /** The broker itself, for {@code addTopics} and consumer helpers of spring-kafka-test. */
    public EmbeddedKafkaBroker embedded() {
        return broker;
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            broker.destroy();
        } catch (RuntimeException e) {
            log.warn("the embedded Kafka broker did not shut down cleanly", e);
        } finally {
            Reaper.unregister(this);
        }
    }

    @Override
    public String toString() {
        return "Kafka at " + broker.getBrokersAsString();
    }
}
