package dev.cutover.client;

import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RecordDeserializationException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.cutover.events.CutoverCompleted;
import dev.cutover.events.CutoverRolledBack;
import dev.cutover.events.DnsFlipped;
import dev.cutover.events.FallbackCompleted;
import dev.cutover.events.FallbackRolledBack;
import dev.cutover.events.FallbackRollingBack;
import dev.cutover.events.LockTarget;
import dev.cutover.events.Metadata;
import dev.cutover.events.SourceRestored;
import dev.cutover.events.StopTraffic;
import dev.cutover.events.TargetOpened;
import dev.cutover.events.serde.AvroMessageDeserializer;
import dev.cutover.events.topic.Topics;

/**
 * Reads {@code cutover.events} and {@code cutover.commands} from their ends, in a group of its own, and hands the
 * followed database's signals to the {@link RouteKeeper}. It never writes and never commits: a restarted application
 * starts from the end again and behaves as it would without the library until the next cutover.
 */
final class CutoverFollower implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(CutoverFollower.class);
    private static final Duration POLL = Duration.ofMillis(500);
    /** How a PgBouncer switch names a server in DnsFlipped: one colon and a port (an IPv6 address has several). */
    private static final Pattern HOST_AND_PORT = Pattern.compile("[^:]+:\\d+");
    /** How long Kafka may stay out of reach before the application is told, once, that it is not following. */
    private static final Duration UNREACHABLE_AFTER = Duration.ofSeconds(30);
    /** Read again from a little before the last poll after an outage: a signal heard twice changes nothing. */
    private static final Duration REREAD_MARGIN = Duration.ofSeconds(1);

    private final ClientSettings settings;
    private final RouteKeeper routes;
    private final CountDownLatch positioned = new CountDownLatch(1);
    private final CountDownLatch closing = new CountDownLatch(1);
    private final Thread thread;
    private volatile KafkaConsumer<String, SpecificRecord> consumer;
    private boolean warned;
    /** One group for the follower's life: its consumers never commit, so each starts where this one says. */
    private final String group;
    /** When a poll last answered; a consumer made again after an outage reads from there, not from the newest. */
    private volatile Instant lastPolled;

    CutoverFollower(ClientSettings settings, RouteKeeper routes) {
        this.settings = settings;
        this.routes = routes;
        this.group = "cutover-client-" + settings.database() + "-" + UUID.randomUUID();
        this.thread = Thread.ofPlatform().daemon().name("cutover-client-" + settings.database()).unstarted(this::run);
    }

    void start() {
        thread.start();
    }

    /** True once the follower reads both topics from their current ends; what is published after that reaches it. */
    boolean awaitPositioned(Duration timeout) throws InterruptedException {
        return positioned.await(timeout.toNanos(), TimeUnit.NANOSECONDS);
    }

    private void run() {
        long started = System.nanoTime();
        while (closing.getCount() > 0) {
            try (KafkaConsumer<String, SpecificRecord> opened = new KafkaConsumer<>(consumerProperties(),
                    new StringDeserializer(), new AvroMessageDeserializer())) {
                consumer = opened;
                opened.subscribe(List.of(Topics.EVENTS.name(), Topics.COMMANDS.name()), new PositionOnAssignment(opened));
                while (closing.getCount() > 0) {
                    poll(opened);
                    if (positioned.getCount() > 0 && Duration.ofNanos(System.nanoTime() - started).compareTo(UNREACHABLE_AFTER) > 0) {
                        warnOnce("no partitions of " + Topics.EVENTS.name() + " and " + Topics.COMMANDS.name() + " after " + UNREACHABLE_AFTER.toSeconds() + " s");
                    }
                }
            } catch (WakeupException closed) {
                return;
            } catch (KafkaException e) {
                warnOnce(e.getMessage());
                awaitClosing(Duration.ofSeconds(10));
            }
        }
    }

    private void poll(KafkaConsumer<String, SpecificRecord> opened) {
        try {
            Instant polling = Instant.now();
            ConsumerRecords<String, SpecificRecord> records = opened.poll(POLL);
            if (positioned.getCount() == 0) {
                lastPolled = polling;
            }
            for (ConsumerRecord<String, SpecificRecord> record : records) {
                signal(record.value(), settings.database()).ifPresent(routes::apply);
            }
        } catch (RecordDeserializationException e) {
            LOG.warn("skipping the undecodable message at {} offset {}: {}", e.topicPartition(), e.offset(), e.getMessage());
            opened.seek(e.topicPartition(), e.offset() + 1);
        }
    }

    /** The signal a message gives for {@code database}, if any: the edge where Avro stops. */
    static Optional<CutoverSignal> signal(SpecificRecord message, String database) {
        return switch (message) {
            // Through PgBouncer the flip names servers as host:port, and PgBouncer itself holds and moves its clients:
            // connecting past it would be wrong, so such a flip is no address to follow.
            case DnsFlipped e when concerns(e.getMetadata(), database) && !HOST_AND_PORT.matcher(e.getCurrent()).matches() ->
                    Optional.of(new CutoverSignal.DnsFlipped(e.getMetadata().getCutoverId(), e.getPrevious(), e.getCurrent()));
            case StopTraffic c when concerns(c.getMetadata(), database) ->
                    Optional.of(new CutoverSignal.StopTraffic(c.getMetadata().getCutoverId()));
            case TargetOpened e when concerns(e.getMetadata(), database) ->
                    Optional.of(new CutoverSignal.TargetOpen(e.getMetadata().getCutoverId()));
            case CutoverCompleted e when concerns(e.getMetadata(), database) ->
                    Optional.of(new CutoverSignal.TargetOpen(e.getMetadata().getCutoverId()));
            case LockTarget c when concerns(c.getMetadata(), database) ->
                    Optional.of(new CutoverSignal.LockTarget(c.getMetadata().getCutoverId()));
            case FallbackRollingBack e when concerns(e.getMetadata(), database) ->
                    Optional.of(new CutoverSignal.FallbackRollingBack(e.getMetadata().getCutoverId()));
            case FallbackRolledBack e when concerns(e.getMetadata(), database) ->
                    Optional.of(new CutoverSignal.TargetOpen(e.getMetadata().getCutoverId()));
            case SourceRestored e when concerns(e.getMetadata(), database) ->
                    Optional.of(new CutoverSignal.SourceOpen(e.getMetadata().getCutoverId()));
            case CutoverRolledBack e when concerns(e.getMetadata(), database) ->
                    Optional.of(new CutoverSignal.SourceOpen(e.getMetadata().getCutoverId()));
            case FallbackCompleted e when concerns(e.getMetadata(), database) ->
                    Optional.of(new CutoverSignal.SourceOpen(e.getMetadata().getCutoverId()));
            case null, default -> Optional.empty();
        };
    }

    private static boolean concerns(Metadata metadata, String database) {
        return metadata.getCutoverId() != null && database.equals(metadata.getDatabase());
    }

    private Map<String, Object> consumerProperties() {
        Map<String, Object> properties = new HashMap<>(settings.kafka());
        properties.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, settings.bootstrapServers());
        properties.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        properties.put(ConsumerConfig.CLIENT_ID_CONFIG, "cutover-client-" + settings.database());
        properties.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest");
        properties.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        properties.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        return properties;
    }

    private void warnOnce(String why) {
        if (!warned) {
            warned = true;
            LOG.warn("not following cutovers of database {} ({}): the application connects as it would without cutover-client; "
                    + "check cutover.client.bootstrap-servers ({})", settings.database(), why, settings.bootstrapServers());
        }
    }

    private void awaitClosing(Duration timeout) {
        try {
            closing.await(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            closing.countDown();
        }
    }

    @Override
    public void close() {
        closing.countDown();
        KafkaConsumer<String, SpecificRecord> current = consumer;
        if (current != null) {
            current.wakeup();
        }
        try {
            thread.join(Duration.ofSeconds(10));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Asks for the position of every assigned partition at once, so that "positioned" means the end is fixed. */
    private final class PositionOnAssignment implements ConsumerRebalanceListener {

        private final KafkaConsumer<String, SpecificRecord> opened;

        PositionOnAssignment(KafkaConsumer<String, SpecificRecord> opened) {
            this.opened = opened;
        }

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            Instant since = lastPolled;
            if (since != null) {
                // Made again after an outage: what was published meanwhile (a flip, the target opening) must be heard.
                Map<TopicPartition, Long> at = new HashMap<>();
                partitions.forEach(partition -> at.put(partition, since.minus(REREAD_MARGIN).toEpochMilli()));
                opened.offsetsForTimes(at).forEach((partition, found) -> {
                    if (found != null) {
                        opened.seek(partition, found.offset());
                    } else {
                        opened.seekToEnd(List.of(partition));
                    }
                });
            }
            partitions.forEach(opened::position);
            Set<String> topics = opened.assignment().stream().map(TopicPartition::topic).collect(Collectors.toSet());
            if (topics.containsAll(List.of(Topics.EVENTS.name(), Topics.COMMANDS.name()))) {
                positioned.countDown();
            }
        }

        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
        }
    }
}
