package dev.cutover.cutover.runner;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.Predicate;

import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.context.SmartLifecycle;

import dev.cutover.cutover.saga.DatabaseName;
import dev.cutover.events.Metadata;
import dev.cutover.events.serde.AvroMessageDeserializer;
import dev.cutover.events.serde.UndecodableMessageException;
import dev.cutover.events.topic.Topics;
import dev.cutover.platform.MessagePublisher;

/**
 * Every saga of one kind, folded from its own events on every partition of {@code cutover.events}, whoever owns
 * them: a consumer of its own with no group ({@code assign}), {@code read_committed}, from the beginning and then
 * following the log. It serves two purposes. Queries (the ops API) read any saga from it, a little behind the log
 * (one poll, tens of milliseconds). And an instance that is given partitions takes their sagas from it, once it has
 * read those partitions up to where they ended at that moment ({@link #awaitPositions}), instead of reading them again.
 *
 * <p>It also checks, before any saga consumer starts, that {@code cutover.commands} and {@code cutover.events} have as
 * many partitions as each other: a saga's commands and events share its key, and only then its partition number.
 * Partitions added later are read too (looked for every 30 s, and at once when asked for one it does not read).
 *
 * @param <K> the saga's id
 * @param <S> its state
 * @param <E> its own events
 */
public final class SagaProjection<K, S, E> implements SmartLifecycle {

    /**
     * What sets one kind of saga apart.
     *
     * @param ownEvent the saga's own event a message records, or empty for every other message
     * @param idOf     the saga's id in a message's metadata
     * @param initial  the state before the first event
     * @param evolve   the decider's fold
     * @param isActive whether a state is still in flight
     */
    public record Kind<K, S, E>(Function<SpecificRecord, Optional<E>> ownEvent, Function<Metadata, K> idOf, S initial,
            BiFunction<S, E, S> evolve, Predicate<S> isActive) {
    }

    private static final Logger log = LoggerFactory.getLogger(SagaProjection.class);
    private static final Duration POLL = Duration.ofMillis(100);
    private static final Duration PATIENCE = Duration.ofSeconds(10);
    private static final Duration COUNT_SETTLES = Duration.ofSeconds(10);
    private static final Duration LOOK_FOR_PARTITIONS = Duration.ofSeconds(30);

    private final String name;
    private final KafkaProperties kafka;
    private final Kind<K, S, E> kind;
    private final AvroMessageDeserializer decoder = new AvroMessageDeserializer();
    private final Object lock = new Object();
    private final SagaFold<K, S, E> fold;
    private final Map<Integer, Long> positions = new HashMap<>();
    private volatile boolean running;
    private volatile boolean partitionsAsked;
    private KafkaConsumer<String, byte[]> consumer;
    private Thread reader;

    /** @param name the saga's consumer group, for thread names and log lines */
    public SagaProjection(String name, KafkaProperties kafka, Kind<K, S, E> kind) {
        this.name = name;
        this.kafka = kafka;
        this.kind = kind;
        this.fold = new SagaFold<>(kind.initial(), kind.evolve(), kind.isActive());
    }

    @Override
    public void start() {
        Map<String, Object> config = kafka.buildConsumerProperties();
        // No group: it reads every partition, commits nothing and takes part in no rebalance.
        config.remove("group.id");
        config.put("isolation.level", "read_committed");
        config.put("enable.auto.commit", "false");
        consumer = new KafkaConsumer<>(config, new StringDeserializer(), new ByteArrayDeserializer());
        try {
            follow(sameCountOnBothTopics());
        } catch (RuntimeException e) {
            consumer.close();
            throw e;
        }
        running = true;
        reader = Thread.ofPlatform().name(name + "-projection").daemon().start(this::read);
    }

    /**
     * The partitions of {@code cutover.events}, once both saga topics have as many. Another instance starting at the
     * same moment may just have added partitions, which the brokers' metadata shows a moment later: a difference
     * that lasts is a mistake.
     */
    private List<TopicPartition> sameCountOnBothTopics() {
        Instant giveUp = Instant.now().plus(COUNT_SETTLES);
        while (true) {
            Map<String, List<PartitionInfo>> topics = consumer.listTopics(Duration.ofSeconds(30));
            List<TopicPartition> events = partitionsOf(topics, Topics.EVENTS.name());
            int commands = partitionsOf(topics, Topics.COMMANDS.name()).size();
            if (commands == events.size()) {
                return events;
            }
            if (Instant.now().isAfter(giveUp)) {
                throw new IllegalStateException(Topics.COMMANDS.name() + " has " + commands + " partitions and "
                        + Topics.EVENTS.name() + " " + events.size() + ": a saga's commands and events must share"
                        + " a partition number; give both the same count (kafka-topics.sh --alter --partitions N on the"
                        + " smaller one, with no cutover or migration in flight) and cutover.platform.partitions too");
            }
            LockSupport.parkNanos(POLL.toNanos());
        }
    }

    private static List<TopicPartition> partitionsOf(Map<String, List<PartitionInfo>> topics, String topic) {
        List<PartitionInfo> partitions = topics.getOrDefault(topic, List.of());
        if (partitions.isEmpty()) {
            throw new IllegalStateException("topic " + topic + " does not exist at spring.kafka.bootstrap-servers:"
                    + " the service creates it at start-up unless the broker forbids it; create it, or allow this"
                    + " service to");
        }
        return partitions.stream().map(info -> new TopicPartition(info.topic(), info.partition())).toList();
    }

    /** Reads every partition given, the ones not read yet from the beginning. */
    private void follow(List<TopicPartition> partitions) {
        Set<TopicPartition> added = new HashSet<>(partitions);
        added.removeAll(consumer.assignment());
        if (!added.isEmpty()) {
            Set<TopicPartition> all = new HashSet<>(consumer.assignment());
            all.addAll(added);
            consumer.assign(all);
            consumer.seekToBeginning(added);
        }
    }

    private void read() {
        Instant lookAgainAt = Instant.now().plus(LOOK_FOR_PARTITIONS);
        try {
            while (running) {
                try {
                    if (partitionsAsked || Instant.now().isAfter(lookAgainAt)) {
                        // Partitions added since (by ops, or by an instance's start-up) are read too.
                        partitionsAsked = false;
                        lookAgainAt = Instant.now().plus(LOOK_FOR_PARTITIONS);
                        follow(partitionsOf(consumer.listTopics(Duration.ofSeconds(30)), Topics.EVENTS.name()));
                    }
                    ConsumerRecords<String, byte[]> records = consumer.poll(POLL);
                    synchronized (lock) {
                        records.forEach(this::fold);
                        for (TopicPartition partition : consumer.assignment()) {
                            positions.put(partition.partition(), consumer.position(partition));
                        }
                        lock.notifyAll();
                    }
                } catch (KafkaException e) {
                    if (e instanceof WakeupException) {
                        throw e;
                    }
                    log.warn("{}: cannot read {}, trying again: {}", name, Topics.EVENTS.name(), e.getMessage());
                    LockSupport.parkNanos(Duration.ofSeconds(1).toNanos());
                } catch (IllegalStateException e) {
                    log.warn("{}: {}", name, e.getMessage());
                    LockSupport.parkNanos(Duration.ofSeconds(1).toNanos());
                }
            }
        } catch (WakeupException stopping) {
            // stop() woke the consumer up.
        } catch (RuntimeException e) {
            log.error("{}: stopped reading {}: {}; this instance can no longer take partitions over, restart it", name,
                    Topics.EVENTS.name(), e.getMessage(), e);
        } finally {
            running = false;
            consumer.close();
            synchronized (lock) {
                lock.notifyAll();
            }
        }
    }

    private void fold(ConsumerRecord<String, byte[]> record) {
        if (record.value() == null) {
            return;
        }
        try {
            SpecificRecord message = decoder.deserialize(record.topic(), record.headers(), record.value());
            Optional<E> event = kind.ownEvent().apply(message);
            if (event.isEmpty()) {
                return;
            }
            Metadata metadata = MessagePublisher.metadataOf(message);
            K id = kind.idOf().apply(metadata);
            fold.apply(id, new DatabaseName(metadata.getDatabase()), record.partition(), event.get())
                    .ifPresent(reason -> log.error("{} {} cannot be read from {}-{}@{} on ({}): nobody acts on it;"
                            + " look at its events with cutoverctl timeline", name, id, record.topic(),
                            record.partition(), record.offset(), reason));
        } catch (UndecodableMessageException e) {
            // Nobody can decode it, so it was never a saga's event; the saga consumers send it to the dead letters.
            log.warn("{}: skipping {}-{}@{}: {}", name, record.topic(), record.partition(), record.offset(),
                    e.getMessage());
        } catch (RuntimeException e) {
            log.error("{}: cannot fold {}-{}@{}: {}", name, record.topic(), record.partition(), record.offset(),
                    e.getMessage(), e);
        }
    }

    /**
     * Returns once every partition in {@code offsets} has been read up to its offset. With offsets taken as the log's
     * end including open transactions, that is once every transaction begun before has committed (and been folded)
     * or aborted: a former owner's last decision is either in the state or never happened.
     */
    public void awaitPositions(Map<Integer, Long> offsets) throws InterruptedException {
        synchronized (lock) {
            Instant warnAt = Instant.now().plus(PATIENCE);
            while (!reached(offsets)) {
                if (!positions.keySet().containsAll(offsets.keySet())) {
                    partitionsAsked = true;
                }
                if (!running) {
                    throw new IllegalStateException(name + ": the projection of " + Topics.EVENTS.name()
                            + " has stopped, so partitions " + offsets.keySet() + " cannot be rebuilt");
                }
                lock.wait(POLL.toMillis());
                if (Instant.now().isAfter(warnAt)) {
                    log.warn("{}: still reading {} up to {}, at {}: a partition missing here is looked for again;"
                            + " a transaction left open holds readers back until it commits or times out"
                            + " (transaction.timeout.ms)", name, Topics.EVENTS.name(), offsets, positions);
                    warnAt = Instant.now().plus(PATIENCE);
                }
            }
        }
    }

    private boolean reached(Map<Integer, Long> offsets) {
        return offsets.entrySet().stream()
                .allMatch(offset -> positions.getOrDefault(offset.getKey(), -1L) >= offset.getValue());
    }

    /** Where a saga stands as far as the log has been read; empty if it never started or cannot be read. */
    public Optional<S> state(K id) {
        synchronized (lock) {
            return fold.state(id);
        }
    }

    /** The sagas on {@code partitions}, as far as the log has been read. */
    public Map<K, SagaEntry<S>> sagasIn(Set<Integer> partitions) {
        synchronized (lock) {
            return fold.in(partitions);
        }
    }

    /**
     * An active saga of {@code database} other than {@code except} on a partition this instance does not own (it knows
     * its own ones better): a second saga of a database started on another instance.
     */
    public Optional<K> activeElsewhere(DatabaseName database, K except, Set<Integer> owned) {
        synchronized (lock) {
            return fold.active(database, except, owned);
        }
    }

    /** An active saga of {@code database} on any partition, as far as the log has been read. */
    public Optional<K> active(DatabaseName database) {
        synchronized (lock) {
            return fold.active(database, null, Set.of());
        }
    }

    @Override
    public void stop() {
        running = false;
        if (consumer != null) {
            consumer.wakeup();
        }
        if (reader != null) {
            try {
                reader.join(Duration.ofSeconds(10));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    /**
     * Before the saga consumers (the cutover saga's loop, the listener containers), which start in a late phase and
     * wait for it when given partitions.
     */
    @Override
    public int getPhase() {
        return 0;
    }
}
