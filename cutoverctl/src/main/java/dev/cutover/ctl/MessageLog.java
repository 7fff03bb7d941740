package dev.cutover.ctl;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.utils.Utils;

import dev.cutover.ctl.replay.LoggedRecord;
import dev.cutover.events.topic.Topics;

/**
 * The messages of one cutover or one migration on {@code cutover.commands} and {@code cutover.events}. Every message
 * of either is keyed by its id, so it lives in one partition of each topic: only those two partitions are read, from
 * the start, and only records with that key are kept.
 */
final class MessageLog implements AutoCloseable {

    private static final List<String> TOPICS = List.of(Topics.COMMANDS.name(), Topics.EVENTS.name());
    private static final Duration POLL = Duration.ofMillis(200);

    private final String id;
    private final KafkaConsumer<byte[], byte[]> consumer;
    private final RecordDecoder decoder = new RecordDecoder();
    private final Map<String, TopicPartition> assigned = new HashMap<>();
    private final CountDownLatch woken = new CountDownLatch(1);

    MessageLog(KafkaClients kafka, String id) {
        this.id = id;
        this.consumer = kafka.consumer();
    }

    /** Kafka's default partitioner for a keyed record: murmur2 of the key's bytes, made positive, modulo the count. */
    static int partitionOf(String key, int partitions) {
        return Utils.toPositive(Utils.murmur2(key.getBytes(StandardCharsets.UTF_8))) % partitions;
    }

    /**
     * Reads everything written so far: up to the end offsets as they are now (for {@code read_committed}, the last
     * stable offsets), so that it returns even while the saga keeps writing. Missing topics hold nothing yet.
     */
    List<LoggedRecord> readToEnd() {
        assignExistingTopics();
        var end = consumer.endOffsets(consumer.assignment());
        var records = new ArrayList<LoggedRecord>();
        while (end.entrySet().stream().anyMatch(partition -> consumer.position(partition.getKey()) < partition.getValue())) {
            records.addAll(poll(POLL));
        }
        return records;
    }

    /**
     * Whatever arrived since the last call, waiting up to {@code timeout}. Picks up a topic that did not exist when
     * the log was first read, which is the case when {@code watch} starts before anything was published.
     */
    List<LoggedRecord> poll(Duration timeout) {
        if (assigned.size() < TOPICS.size()) {
            assignExistingTopics();
            if (assigned.isEmpty()) {
                // A consumer with nothing assigned cannot poll; wait here so that the caller's loop does not spin.
                pause(timeout);
                return List.of();
            }
        }
        var records = new ArrayList<LoggedRecord>();
        for (var record : consumer.poll(timeout)) {
            if (record.key() != null && id.equals(RecordDecoder.key(record))) {
                records.add(decoder.decode(record));
            }
        }
        return records;
    }

    /** Makes a blocked {@link #poll} return at once, from another thread (Ctrl-C). */
    void wakeup() {
        woken.countDown();
        consumer.wakeup();
    }

    private void assignExistingTopics() {
        boolean changed = false;
        for (var topic : TOPICS) {
            if (assigned.containsKey(topic)) {
                continue;
            }
            var partitions = consumer.partitionsFor(topic);
            if (partitions != null && !partitions.isEmpty()) {
                assigned.put(topic, new TopicPartition(topic, partitionOf(id, partitions.size())));
                changed = true;
            }
        }
        if (changed) {
            var before = new ArrayList<>(consumer.assignment());
            var added = assigned.values().stream().filter(partition -> !before.contains(partition)).toList();
            var all = new ArrayList<>(before);
            all.addAll(added);
            consumer.assign(all);
            consumer.seekToBeginning(added);
        }
    }

    private void pause(Duration timeout) {
        try {
            if (woken.await(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new WakeupException();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new WakeupException();
        }
    }

    @Override
    public void close() {
        consumer.close(CloseOptions.timeout(Duration.ofSeconds(5)));
    }
}
