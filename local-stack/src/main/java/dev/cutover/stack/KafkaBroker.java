package dev.cutover.stack;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import kafka.server.BrokerServer;
import kafka.server.ControllerServer;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.test.EmbeddedKafkaBroker;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;

/**
 * A real single-node Kafka broker (KRaft, broker and controller combined) inside this JVM on a free port: topics are
 * created on first use and transactions work. {@link #stop()} and {@link #restart()} take the whole node down and
 * bring it back on the same ports with its log: the test kit under Spring's embedded broker keeps each listener's
 * port and binds it again when the node starts.
 */
public final class KafkaBroker implements Kafka {

    private static final Logger log = LoggerFactory.getLogger(KafkaBroker.class);

    private final EmbeddedKafkaKraftBroker broker;
    private boolean running = true;
    /**
     * A start that failed half way (the broker's, after the controller's succeeded) leaves request handler threads
     * dead that Kafka's shutdown then waits for forever: such a node is only closed, within a time limit.
     */
    private boolean broken;
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
        // As many as the services create theirs with (cutover.platform.partitions): a test that writes to a cutover
        // topic before any service made it must not leave it smaller, or a service started next adds partitions under
        // sagas already in flight and their answers land where nobody reads them.
        settings.put("num.partitions", "3");
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

    @Override
    public String bootstrapServers() {
        return broker.getBrokersAsString();
    }

    /**
     * Stops the broker, then its controller. Stopping both, not the broker alone, is what a process restart does:
     * a controller that stayed up would remember the old broker's session and refuse its registration until that
     * session expired (9 s).
     */
    @Override
    public synchronized void stop() {
        requireUsable();
        if (!running) {
            return;
        }
        long started = System.nanoTime();
        KafkaClusterTestKit cluster = broker.getCluster();
        cluster.brokers().values().forEach(BrokerServer::shutdown);
        cluster.controllers().values().forEach(ControllerServer::shutdown);
        running = false;
        log.info("Kafka at {} stopped in {} ms, its log kept", bootstrapServers(), TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
    }

    @Override
    public synchronized void restart() {
        requireUsable();
        stop();
        requirePortsFree();
        long started = System.nanoTime();
        KafkaClusterTestKit cluster = broker.getCluster();
        try {
            cluster.controllers().values().forEach(ControllerServer::startup);
            cluster.brokers().values().forEach(BrokerServer::startup);
            cluster.waitForReadyBrokers();
        } catch (ExecutionException | RuntimeException e) {
            broken = true;
            throw new StackException("Kafka at " + bootstrapServers() + " failed to start again: " + e.getMessage()
                    + ". Close the stack and start a new one.", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            broken = true;
            throw new StackException("interrupted while Kafka at " + bootstrapServers() + " was starting again", e);
        }
        running = true;
        log.info("Kafka at {} started again in {} ms", bootstrapServers(), TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
    }

    /**
     * The ports are free again once the node has stopped, and another process may take one meanwhile. Checked
     * before starting because a start that fails half way cannot be undone: see {@link #broken}.
     */
    private void requirePortsFree() {
        for (String address : List.of(bootstrapServers(), broker.getCluster().bootstrapControllers())) {
            int colon = address.lastIndexOf(':');
            int port = Integer.parseInt(address.substring(colon + 1));
            if (!Ports.tcpFree(address.substring(0, colon), port)) {
                throw new StackException("Kafka cannot start again at " + bootstrapServers() + ": another process took port " + port
                        + " while it was stopped (see `ss -ltnup 'sport = :" + port + "'`). Stop that process and restart again,"
                        + " or close the stack and start a new one.");
            }
        }
    }

    private void requireUsable() {
        if (closed) {
            throw new IllegalStateException(this + " is closed; start a new broker instead");
        }
        if (broken) {
            throw new IllegalStateException(this + " failed to start again; close it and start a new broker");
        }
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
            if (broken) {
                destroyWithin(Duration.ofSeconds(10));
            } else {
                broker.destroy();
            }
        } catch (RuntimeException e) {
            log.warn("the embedded Kafka broker did not shut down cleanly", e);
        } finally {
            Reaper.unregister(this);
        }
    }

    private void destroyWithin(Duration limit) {
        Thread destroying = Thread.ofPlatform().name("kafka-close").daemon().start(broker::destroy);
        try {
            if (!destroying.join(limit)) {
                log.warn("{} did not shut down within {} s of its failed start; its threads end with the JVM", this, limit.toSeconds());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public String toString() {
        return "Kafka at " + broker.getBrokersAsString();
    }
}
