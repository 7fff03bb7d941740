package dev.cutover.cutover.runner;

import java.util.Collection;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.kafka.config.ContainerPostProcessor;
import org.springframework.kafka.listener.AbstractMessageListenerContainer;
import org.springframework.kafka.listener.ConsumerAwareRebalanceListener;

import dev.cutover.events.topic.Topics;

/**
 * Which sagas this instance acts on: those on the partitions its saga consumer holds. Called by the consumer's
 * rebalance listener (the cutover saga's {@link SagaLoop}; attached to the migration saga's listener container by
 * {@code containerPostProcessor}), it runs on the consumer's thread before any message of a newly given partition is
 * handed over: it fences the partition's former owner ({@link PartitionWriters#open}), notes where
 * {@code cutover.events} ends on that partition (open transactions included), waits until the projection has read
 * that far, and then gives the runner the partition's sagas. When partitions are taken away (or lost), the runner
 * forgets their sagas first, so no deadline or lag report is acted on after another instance may have them.
 *
 * <p>Both topics must be spread alike across the group: partition N of {@code cutover.commands} and of
 * {@code cutover.events} to the same consumer. The saga consumers ask for the classic group protocol with the range
 * assignor ({@link #CLASSIC_GROUP}, {@link #CO_PARTITIONED}), which does that for topics with the same number of
 * partitions; a partition number held on one topic only is paused and left alone, with an error in the log.
 */
public final class SagaPartitions implements ConsumerAwareRebalanceListener,
        ContainerPostProcessor<Object, Object, AbstractMessageListenerContainer<Object, Object>>, AutoCloseable {

    /** The saga consumers' group protocol: the classic one, where the client picks the assignor. */
    public static final String CLASSIC_GROUP = "group.protocol=classic";
    /** The range assignor gives each consumer the same partition numbers of every topic it reads. */
    public static final String CO_PARTITIONED =
            "partition.assignment.strategy=org.apache.kafka.clients.consumer.RangeAssignor";

    /** The runner: takes over and lets go of the sagas on partitions. */
    public interface Owner {

        /** Called once the projection has every decision ever committed on {@code partitions}. */
        void adopt(Set<Integer> partitions);

        void release(Set<Integer> partitions);
    }

    private static final Logger log = LoggerFactory.getLogger(SagaPartitions.class);

    private final String name;
    private final KafkaProperties kafka;
    private final SagaProjection<?, ?, ?> projection;
    private final PartitionWriters writers;
    private final Owner owner;
    private Admin admin;

    public SagaPartitions(String name, KafkaProperties kafka, SagaProjection<?, ?, ?> projection,
            PartitionWriters writers, Owner owner) {
        this.name = name;
        this.kafka = kafka;
        this.projection = projection;
        this.writers = writers;
        this.owner = owner;
    }

    @Override
    public void postProcess(AbstractMessageListenerContainer<Object, Object> container) {
        container.getContainerProperties().setConsumerRebalanceListener(this);
    }

    @Override
    public void onPartitionsAssigned(Consumer<?, ?> consumer, Collection<TopicPartition> partitions) {
        Set<Integer> given = onBothTopics(partitions);
        Set<TopicPartition> halves = partitions.stream()
                .filter(partition -> !given.contains(partition.partition()))
                .collect(Collectors.toSet());
        if (!halves.isEmpty()) {
            log.error("{} was given {} without the same partition of the other saga topic: they are paused and left"
                    + " alone; check that every instance's saga consumer reads both topics with the range assignor and"
                    + " that both topics have as many partitions", name, halves);
            consumer.pause(halves);
        }
        if (given.isEmpty()) {
            return;
        }
        try {
            writers.open(given);
            Map<Integer, Long> ends = ends(given);
            projection.awaitPositions(ends);
            owner.adopt(given);
            log.info("{} owns partitions {} now; it read them back up to {}", name, given, ends);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            leaveAlone(consumer, partitions, given, e);
        } catch (RuntimeException e) {
            leaveAlone(consumer, partitions, given, e);
        }
    }

    /** Acting on sagas that were not read back could repeat or contradict what was decided: hold their messages. */
    private void leaveAlone(Consumer<?, ?> consumer, Collection<TopicPartition> partitions, Set<Integer> given,
            Exception cause) {
        writers.close(given);
        consumer.pause(partitions);
        log.error("{} cannot read back the sagas of partitions {} ({}): their messages are held; restart this instance"
                + " once the broker answers, and another instance takes them over meanwhile", name, given,
                cause.getMessage(), cause);
    }

    @Override
    public void onPartitionsRevokedBeforeCommit(Consumer<?, ?> consumer, Collection<TopicPartition> partitions) {
        letGo(partitions);
    }

    @Override
    public void onPartitionsLost(Consumer<?, ?> consumer, Collection<TopicPartition> partitions) {
        letGo(partitions);
    }

    /** The partitions were taken away (or lost): their sagas are forgotten and their writers closed. */
    public void letGo(Collection<TopicPartition> partitions) {
        Set<Integer> taken = partitions.stream().map(TopicPartition::partition).collect(Collectors.toSet());
        if (taken.isEmpty()) {
            return;
        }
        owner.release(taken);
        writers.close(taken);
        log.info("{} let go of partitions {}", name, new TreeSet<>(taken));
    }

    /** Where {@code cutover.events} ends on each partition, counting transactions that are still open. */
    private Map<Integer, Long> ends(Set<Integer> partitions) {
        Map<TopicPartition, OffsetSpec> latest = partitions.stream()
                .collect(Collectors.toMap(partition -> new TopicPartition(Topics.EVENTS.name(), partition),
                        partition -> OffsetSpec.latest()));
        try {
            Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> ends = admin()
                    .listOffsets(latest, new ListOffsetsOptions(IsolationLevel.READ_UNCOMMITTED))
                    .all().get(30, TimeUnit.SECONDS);
            return ends.entrySet().stream()
                    .collect(Collectors.toMap(entry -> entry.getKey().partition(), entry -> entry.getValue().offset()));
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("cannot read where " + Topics.EVENTS.name() + " ends: " + e.getMessage(),
                    e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while reading where " + Topics.EVENTS.name() + " ends", e);
        }
    }

    private synchronized Admin admin() {
        if (admin == null) {
            admin = Admin.create(kafka.buildAdminProperties());
        }
        return admin;
    }

    /** The partition numbers held on both saga topics. */
    static Set<Integer> onBothTopics(Collection<TopicPartition> partitions) {
        Map<Integer, Set<String>> topics = partitions.stream().collect(Collectors.groupingBy(TopicPartition::partition,
                Collectors.mapping(TopicPartition::topic, Collectors.toSet())));
        return topics.entrySet().stream()
                .filter(entry -> entry.getValue().containsAll(Set.of(Topics.COMMANDS.name(), Topics.EVENTS.name())))
                .map(Map.Entry::getKey)
                .collect(Collectors.toCollection(TreeSet::new));
    }

    @Override
    public synchronized void close() {
        if (admin != null) {
            admin.close();
            admin = null;
        }
    }
}
