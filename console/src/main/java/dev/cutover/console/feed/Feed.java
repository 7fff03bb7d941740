package dev.cutover.console.feed;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

import dev.cutover.console.web.Hub;
import dev.cutover.ctl.RecordDecoder;
import dev.cutover.events.topic.Topics;

/**
 * One Kafka consumer on its own thread, reading commands, events and lag reports into the hub. Every instance is a
 * group of its own that starts from the earliest offset and never commits: each console holds the whole history,
 * and a restart reads it again. {@code read_committed}, because the saga writes in transactions and an aborted step
 * must not show. Raw bytes decoded by cutoverctl's decoder, so one undecodable record is shown, never fatal. Its
 * health (the {@code feed} part of {@code /actuator/health}) is DOWN once it stopped reading, e.g. refused by the
 * broker's ACLs: the page would otherwise go on showing an old picture of the log as if it were live.
 */
@Component
class Feed implements SmartLifecycle, HealthIndicator {

    private static final Logger log = LoggerFactory.getLogger(Feed.class);
    private static final Duration POLL = Duration.ofSeconds(1);

    private final KafkaProperties kafka;
    private final Hub hub;
    private final RecordDecoder decoder = new RecordDecoder();
    private volatile KafkaConsumer<byte[], byte[]> consumer;
    private volatile Thread thread;
    private volatile String stoppedBy;

    Feed(KafkaProperties kafka, Hub hub) {
        this.kafka = kafka;
        this.hub = hub;
    }

    @Override
    public void start() {
        // Spring Kafka's settings first: the brokers, and a SASL login (platform's KafkaLogin) when there is one.
        Map<String, Object> config = new HashMap<>(kafka.buildConsumerProperties());
        config.put(CommonClientConfigs.CLIENT_ID_CONFIG, "console");
        config.put(ConsumerConfig.GROUP_ID_CONFIG, "cutover-console-" + UUID.randomUUID());
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        config.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false);
        consumer = new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        thread = Thread.ofPlatform().name("console-feed").start(this::read);
    }

    private void read() {
        try (var reading = consumer) {
            reading.subscribe(List.of(Topics.COMMANDS.name(), Topics.EVENTS.name(), Topics.LAG.name()));
            while (!Thread.currentThread().isInterrupted()) {
                for (var record : reading.poll(POLL)) {
                    show(record);
                }
            }
        } catch (WakeupException stopping) {
            log.debug("the console stops reading");
        } catch (AuthorizationException e) {
            stoppedBy = e.toString();
            log.error("the broker refused the console reading the topics: give its Kafka user the console's ACLs"
                    + " (KafkaAccess.forService(\"console\", user): read the cutover topics in groups cutover-console-*),"
                    + " then restart it: {}", e.toString());
        } catch (RuntimeException e) {
            stoppedBy = e.toString();
            log.error("the console stopped reading the topics; restart it once Kafka answers at {}: {}",
                    kafka.getBootstrapServers(), e.toString(), e);
        }
    }

    /** One record onto the board: a record the board cannot show is logged and passed, never the end of the feed. */
    private void show(ConsumerRecord<byte[], byte[]> record) {
        try {
            hub.accept(decoder.decode(record));
        } catch (RuntimeException e) {
            log.error("the console cannot show the record at {}-{} offset {}; it reads on: {}", record.topic(),
                    record.partition(), record.offset(), e.toString(), e);
        }
    }

    @Override
    public void stop() {
        var reader = thread;
        if (reader != null) {
            consumer.wakeup();
            try {
                reader.join(Duration.ofSeconds(10));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            thread = null;
        }
    }

    @Override
    public Health health() {
        var reason = stoppedBy;
        return reason == null ? Health.up().build() : Health.down().withDetail("stopped reading", reason)
                .withDetail("what to do", "restart the console once Kafka lets it read the topics").build();
    }

    @Override
    public boolean isRunning() {
        return thread != null;
    }
}
