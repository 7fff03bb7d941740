package dev.cutover.replicator;

import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.consumer.RoundRobinAssignor;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

import dev.cutover.events.CopyLoadTask;
import dev.cutover.events.serde.AvroMessageDeserializer;
import dev.cutover.events.serde.UndecodableMessageException;
import dev.cutover.events.topic.Topics;
import dev.cutover.platform.MessagePublisher;
import dev.cutover.platform.StepFailure;
import dev.cutover.platform.database.DatabasesSettings;
import dev.cutover.replicator.copy.SharedTask;
import dev.cutover.replicator.copy.TaskCopy;
import dev.cutover.replicator.copy.TaskOutcome;

/**
 * This instance's workers for shared loads: tasks off {@code replicator.load-tasks}, in one consumer group with every
 * other instance, each copied by one of {@code cutover.replicator.workers} threads and answered with
 * {@code LoadTaskDone}.
 *
 * <p>A task's offset is committed only once it is answered, so a task whose instance dies goes to another one when
 * the group hands the partition over. One task per partition runs at a time (a later offset committed first would
 * skip an earlier task still running) and a partition is paused while its task runs; the consumer keeps polling, so
 * the group never takes an instance's partitions away for copying for hours. Stopping (a shutdown, a deploy) abandons
 * the tasks running, as a dead process would: their copies are cancelled and rolled back on the target, and their
 * offsets are left for the instance that gets the partition next.
 */
@Component
class TaskWorkers implements SmartLifecycle {

    static final String GROUP = "replicator-load-tasks";

    private static final Logger log = LoggerFactory.getLogger(TaskWorkers.class);

    private static final Duration POLL = Duration.ofMillis(200);

    private final LoadSharingSettings sharing;
    private final ReplicatorSettings settings;
    private final DatabasesSettings databases;
    private final MessagePublisher publisher;
    private final KafkaProperties kafka;
    private final AvroMessageDeserializer decoder = new AvroMessageDeserializer();

    private final Map<TopicPartition, TaskCopy> inFlight = new ConcurrentHashMap<>();
    private final BlockingQueue<Finished> finished = new LinkedBlockingQueue<>();
    private volatile Set<TopicPartition> assigned = Set.of();
    private volatile boolean running;
    private Thread loop;
    private ExecutorService pool;

    /** A task's copy ended: its offset is committed if it was answered, read again if not. */
    private record Finished(TopicPartition partition, long offset, boolean answered) {
    }

    TaskWorkers(LoadSharingSettings sharing, ReplicatorSettings settings, DatabasesSettings databases,
            MessagePublisher publisher, KafkaProperties kafka) {
        this.sharing = sharing;
        this.settings = settings;
        this.databases = databases;
        this.publisher = publisher;
        this.kafka = kafka;
    }

    @Override
    public void start() {
        if (!sharing.enabled() || running) {
            return;
        }
        running = true;
        pool = Executors.newFixedThreadPool(settings.workers(), Thread.ofPlatform().name("load-task-", 1).factory());
        loop = Thread.ofPlatform().name("load-tasks").start(this::loop);
    }

    @Override
    public void stop() {
        if (!running) {
            return;
        }
        running = false;
        try {
            loop.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        pool.shutdownNow();
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    /** The partitions of {@code replicator.load-tasks} this instance holds now. */
    Set<TopicPartition> assignment() {
        return assigned;
    }

    private void loop() {
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(config(), new StringDeserializer(),
                new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(Topics.LOAD_TASKS.name()), new ConsumerRebalanceListener() {

                @Override
                public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
                    Set<TopicPartition> left = new HashSet<>(assigned);
                    left.removeAll(partitions);
                    assigned = Set.copyOf(left);
                }

                @Override
                public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
                    assigned = Set.copyOf(consumer.assignment());
                    // A task still running here from before the rebalance is not started a second time, and no
                    // task starts while every worker is busy.
                    consumer.pause(inFlight.size() >= settings.workers() ? partitions
                            : partitions.stream().filter(inFlight::containsKey).toList());
                }
            });
            while (running) {
                settle(consumer);
                for (ConsumerRecord<String, byte[]> record : consumer.poll(POLL)) {
                    take(consumer, record);
                }
            }
            settle(consumer);
            inFlight.values().forEach(TaskCopy::cancel);
            log.info("stopped taking load tasks; {} running tasks abandoned for another instance", inFlight.size());
        } catch (KafkaException e) {
            log.error("the load task consumer stopped: this instance takes no more tasks of shared loads", e);
        }
        assigned = Set.of();
    }

    private Map<String, Object> config() {
        Map<String, Object> config = new HashMap<>(kafka.buildConsumerProperties());
        config.put(ConsumerConfig.GROUP_ID_CONFIG, GROUP);
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        // A task handed out before this group first read the topic must still be copied.
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        config.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 1);
        // The loop polls all along, however long a copy runs.
        config.put(ConsumerConfig.MAX_POLL_INTERVAL_MS_CONFIG, (int) Duration.ofMinutes(5).toMillis());
        // A dead instance's tasks go to another one this soon, not after Kafka's default 45 s.
        config.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, Integer.valueOf(ReplicatorListener.MEMBER_TIMEOUT));
        config.put(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, Integer.valueOf(ReplicatorListener.HEARTBEAT));
        // Consecutive partitions to different instances: see KafkaTaskExchange.
        config.put(ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG, RoundRobinAssignor.class.getName());
        return config;
    }

    /** Commits what was answered, and takes a task from another partition only while a worker is free. */
    private void settle(KafkaConsumer<String, byte[]> consumer) {
        Finished done;
        while ((done = finished.poll()) != null) {
            inFlight.remove(done.partition());
            if (!consumer.assignment().contains(done.partition())) {
                continue;
            }
            try {
                if (done.answered()) {
                    consumer.commitSync(Map.of(done.partition(), new OffsetAndMetadata(done.offset() + 1)));
                } else {
                    consumer.seek(done.partition(), done.offset());
                }
            } catch (KafkaException e) {
                // The partition moved on in a rebalance: its next holder finds the task recorded on the target.
                log.info("could not commit the load task at {}@{}: {}", done.partition(), done.offset(), e.getMessage());
            }
        }
        Set<TopicPartition> mine = consumer.assignment();
        if (inFlight.size() >= settings.workers()) {
            consumer.pause(mine);
            return;
        }
        consumer.pause(mine.stream().filter(inFlight::containsKey).toList());
        consumer.resume(mine.stream().filter(partition -> !inFlight.containsKey(partition)).toList());
    }

    private void take(KafkaConsumer<String, byte[]> consumer, ConsumerRecord<String, byte[]> record) {
        TopicPartition partition = new TopicPartition(record.topic(), record.partition());
        if (inFlight.containsKey(partition) || inFlight.size() >= settings.workers()) {
            consumer.seek(partition, record.offset());
            return;
        }
        CopyLoadTask message;
        SharedTask task;
        try {
            if (!(decoder.deserialize(record.topic(), record.headers(), record.value()) instanceof CopyLoadTask decoded)) {
                finished.add(new Finished(partition, record.offset(), true));
                return;
            }
            message = decoded;
            task = LoadTasks.task(message);
        } catch (UndecodableMessageException | IllegalArgumentException e) {
            log.warn("skipping the record at {}@{}, which is no load task: {}", partition, record.offset(),
                    e.getMessage());
            finished.add(new Finished(partition, record.offset(), true));
            return;
        }
        TaskCopy copy;
        try {
            copy = new TaskCopy(task, ReplicatorService.pair(databases, message.getMetadata()), sharing.instance());
        } catch (StepFailure e) {
            answer(message, new TaskOutcome.Failed(task.loadId(), task.number(), task.table().toString(),
                    e.getMessage(), false, false, Instant.now(), Instant.now(), sharing.instance()),
                    partition, record.offset());
            return;
        }
        inFlight.put(partition, copy);
        consumer.pause(List.of(partition));
        pool.execute(() -> work(message, task, copy, partition, record.offset()));
    }

    private void work(CopyLoadTask message, SharedTask task, TaskCopy copy, TopicPartition partition, long offset) {
        TaskOutcome outcome = copy.run();
        if (copy.cancelled() || !running) {
            log.info("abandoned {} of load {} (this instance stops): another instance copies it", task.describe(),
                    task.loadId());
            finished.add(new Finished(partition, offset, false));
            return;
        }
        if (outcome instanceof TaskOutcome.Failed failed && failed.loadOver()) {
            log.info("dropped {} of load {}: {}", task.describe(), task.loadId(), failed.reason());
            finished.add(new Finished(partition, offset, true));
            return;
        }
        answer(message, outcome, partition, offset);
    }

    private void answer(CopyLoadTask message, TaskOutcome outcome, TopicPartition partition, long offset) {
        try {
            publisher.publish(LoadTasks.answer(outcome, publisher.answering(message.getMetadata())));
            finished.add(new Finished(partition, offset, true));
        } catch (RuntimeException e) {
            log.warn("could not answer task {} of load {}; it is read again: {}", outcome.number(), outcome.loadId(),
                    e.getMessage());
            finished.add(new Finished(partition, offset, false));
        }
    }
}
