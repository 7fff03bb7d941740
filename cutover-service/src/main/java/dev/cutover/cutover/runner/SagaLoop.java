package dev.cutover.cutover.runner;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Future;

import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.consumer.RangeAssignor;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.context.SmartLifecycle;

import dev.cutover.cutover.runner.OwnedSagas.PartitionNotOwned;
import dev.cutover.events.LagReported;
import dev.cutover.events.Messages;
import dev.cutover.events.StartCutover;
import dev.cutover.events.topic.Topics;
import dev.cutover.platform.DecodedValues;
import dev.cutover.platform.MessagePublisher;
import dev.cutover.platform.PublishFailed;
import dev.cutover.platform.StepFailedRecoverer;

/**
 * The cutover saga on Kafka: one loop on a thread of its own, with a consumer of {@code cutover.commands} and
 * {@code cutover.events} in the group {@code cutover-saga}. Each turn ({@link #turn}):
 *
 * <ol>
 * <li>polls, at most one tick interval;</li>
 * <li>keeps the messages the saga acts on: its own messages read back and the commands of other participants pass by
 * (decision 32);</li>
 * <li>holds what it kept while deciding it would only record progress at the switch, at most
 * {@code cutover.saga.answer-hold}, for the answer that completes the switch's proofs (decision 38);</li>
 * <li>otherwise decides everything kept, one Kafka transaction per partition, written by the partition's fenced writer
 * ({@link PartitionWriters}, decision 117); a message the saga refuses goes to the recoverer and the rest are decided;
 * a transaction that does not commit, for whatever reason, puts the sagas it changed back and reads its messages again
 * (decision 37);</li>
 * <li>decides the newest lag reports ({@link LagListener} hands them over) and the deadlines that have passed, through
 * the same writers; deadlines only once the partitions given last have been read up to where they ended when given, so
 * that answers written while they had no owner are heard first;</li>
 * <li>commits the consumed offsets, without waiting, up to the first message still held.</li>
 * </ol>
 *
 * <p>Everything the saga decides is decided on this thread, so nothing is locked, and a deadline is always checked on
 * every answer heard. The offsets are not part of the decisions' transactions (decision 117): an instance that lost a
 * partition cannot commit a decision about it, because the instance given it fenced the partition's writer before it
 * read the partition's sagas back, and a message read again after a crash, decided but not yet committed as consumed,
 * finds its decision in the sagas read back and decides nothing.
 */
final class SagaLoop implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(SagaLoop.class);
    private static final Duration STOP = Duration.ofSeconds(10);
    /** The waits between transactions that keep failing: the first retry is at once. */
    private static final Duration RETRY_FIRST = Duration.ofMillis(100);
    private static final Duration RETRY_LONGEST = Duration.ofSeconds(5);

    private final String group;
    private final SagaRunner saga;
    private final SagaPartitions partitions;
    private final PartitionWriters writers;
    private final StepFailedRecoverer refused;
    private final Map<String, Object> consumerConfig;
    private final Duration tickInterval;
    private final Duration holdAtMost;
    private final Clock clock;
    /** The newest lag report of each database and direction, handed over by another thread ({@link #lagReported}). */
    private final Map<String, LagReported> lagReports = new ConcurrentHashMap<>();

    /** What the saga acts on, read and not decided yet, in the order read. */
    private final List<Read> pending = new ArrayList<>();
    /** When the pending messages began to be held, or null. */
    private Instant heldSince;
    /** Per partition, the offset after the last one read. */
    private final Map<TopicPartition, OffsetAndMetadata> readUpTo = new HashMap<>();
    /** Per partition, the offset last sent to be committed as consumed. */
    private final Map<TopicPartition, OffsetAndMetadata> committing = new HashMap<>();
    /** The commands the open transaction wrote, in order, to be handed to {@link #local} once it committed. */
    private final List<Sent> sentCommands = new ArrayList<>();
    /**
     * Per partition given to this instance, where its log ended (committed) when it was given: until the consumer has
     * read that far, no deadline is acted on, so that an answer written while the partition had no owner (the previous
     * one stopped or restarting) is decided before its step's deadline is looked at.
     */
    private final Map<TopicPartition, Long> catchingUp = new HashMap<>();
    private final RetryBackoff retries = new RetryBackoff(RETRY_FIRST, RETRY_LONGEST);
    private final LocalParticipants local;
    private volatile KafkaConsumer<String, Object> consumer;
    private volatile boolean running;
    private Thread thread;

    /** @param group the consumer group; it also names the thread */
    SagaLoop(String group, SagaRunner saga, SagaPartitions partitions, PartitionWriters writers,
            StepFailedRecoverer refused, KafkaProperties kafka, SagaSettings settings, Clock clock,
            LocalParticipants local) {
        this.group = group;
        this.local = local;
        this.saga = saga;
        this.partitions = partitions;
        this.writers = writers;
        this.refused = refused;
        this.tickInterval = settings.tickInterval();
        this.holdAtMost = settings.answerHold();
        this.clock = clock;
        consumerConfig = kafka.buildConsumerProperties();
        consumerConfig.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        // The classic protocol lets the client pick the assignor, and the range assignor gives one consumer partition N
        // of both topics: a cutover's commands and events share its key, so that consumer sees all of them.
        consumerConfig.put(ConsumerConfig.GROUP_PROTOCOL_CONFIG, "classic");
        consumerConfig.put(ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG, RangeAssignor.class.getName());
        consumerConfig.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        consumerConfig.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    }

    /** Called on {@link LagListener}'s thread: only the newest report of a database matters, and the loop decides it. */
    void lagReported(LagReported report) {
        // Per direction: a fallback's preflight waits for the reverse replication's, a cutover's for the forward one's.
        lagReports.put(report.getMetadata().getDatabase() + " " + report.getDirection(), report);
    }

    @Override
    public void start() {
        running = true;
        thread = Thread.ofPlatform().name(group).start(this::run);
    }

    private void run() {
        try (KafkaConsumer<String, Object> reading = new KafkaConsumer<>(consumerConfig)) {
            consumer = reading;
            reading.subscribe(List.of(Topics.COMMANDS.name(), Topics.EVENTS.name()), new Rebalances());
            while (running) {
                turn();
            }
        } catch (RuntimeException e) {
            log.error("the cutover saga stopped: {}; no cutover is decided on this instance until it is restarted",
                    e.getMessage(), e);
        } finally {
            consumer = null;
        }
    }

    /** One turn of the loop: read, decide or hold, then let time pass. */
    private void turn() {
        try {
            read(consumer.poll(pollTimeout()));
            if (!pending.isEmpty() && retries.mayTry(clock.instant()) && !holding()) {
                decidePending();
            }
            decideLagReports();
            if (caughtUp()) {
                saga.tick();
            }
            Set<Integer> lost = saga.takeLost();
            if (!lost.isEmpty()) {
                // Released by the runner while the consumer still holds them: their messages would fail every
                // transaction. A rebalance gives them to whoever owns their writers now, this instance perhaps.
                log.warn("the cutover saga let go of partitions {} it still reads; asking the group to settle who owns"
                        + " them", lost);
                consumer.enforceRebalance();
            }
            commitRead();
        } catch (WakeupException e) {
            // stop() woke the consumer up: the loop ends.
        } catch (RuntimeException e) {
            retries.failed(clock.instant());
            log.error("the cutover saga's loop failed ({}): what it had not decided is read again", e.getMessage(), e);
            abandonSent();
            saga.pollRolledBack();
            readAgain(List.copyOf(pending));
        }
    }

    private Duration pollTimeout() {
        Instant now = clock.instant();
        Duration wait = tickInterval;
        if (heldSince != null) {
            wait = shorter(wait, Duration.between(now, heldSince.plus(holdAtMost)));
        }
        if (!pending.isEmpty()) {
            wait = shorter(wait, retries.untilNextAttempt(now));
        }
        return wait.isNegative() ? Duration.ZERO : wait;
    }

    private static Duration shorter(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    /**
     * A message the saga acts on, and when it was read: the time its decision is stamped with, so that an answer held
     * for the rest of the switch's answers is recorded as arriving when it did, not when the last one came.
     */
    private record Read(ConsumerRecord<String, Object> record, Instant at) {

        TopicPartition partition() {
            return new TopicPartition(record.topic(), record.partition());
        }
    }

    private void read(ConsumerRecords<String, Object> records) {
        Instant at = clock.instant();
        for (ConsumerRecord<String, Object> record : records) {
            // A payload that could not be decoded is kept, for the recoverer to report.
            if (!(record.value() instanceof SpecificRecord message) || SagaRunner.actsOn(message)) {
                pending.add(new Read(record, at));
            }
        }
        readUpTo.putAll(records.nextOffsets());
    }

    /**
     * Whether the pending messages wait for the rest of the switch's answers: the participants' answers arrive within
     * tens of milliseconds of each other, and deciding each as it comes would cost a commit apiece, one after the
     * other, while the last one (the one the switch waits for) queued behind them. They wait while deciding them would
     * only record progress ({@link SagaRunner#onlyRecordProgress}), and at most {@code holdAtMost}.
     */
    private boolean holding() {
        Instant now = clock.instant();
        if (holdAtMost.isZero() || heldSince != null && !now.isBefore(heldSince.plus(holdAtMost))
                || !pending.stream().allMatch(read -> read.record().value() instanceof SpecificRecord)) {
            return false;
        }
        List<SpecificRecord> answers = pending.stream().map(read -> (SpecificRecord) read.record().value()).toList();
        if (!saga.onlyRecordProgress(answers, now, now.plus(holdAtMost))) {
            return false;
        }
        heldSince = heldSince == null ? now : heldSince;
        return true;
    }

    /**
     * Decides everything pending: the messages of each partition in one transaction of that partition's writer, the
     * partitions in the order their first message was read.
     */
    private void decidePending() {
        Map<Integer, List<Read>> byPartition = new LinkedHashMap<>();
        for (Read read : pending) {
            byPartition.computeIfAbsent(read.record().partition(), partition -> new ArrayList<>()).add(read);
        }
        pending.clear();
        heldSince = null;
        byPartition.forEach(this::decide);
    }

    /** One partition's messages in one transaction: all decided and written, or all read again. */
    private void decide(int partition, List<Read> reads) {
        abandonSent();
        PartitionWriters.Transaction transaction = null;
        try {
            transaction = writers.begin(partition);
            for (Read read : reads) {
                decide(read, transaction);
            }
            transaction.commit();
        } catch (RuntimeException e) {
            abandonSent();
            RuntimeException failure = transaction == null ? e : transaction.abandon(e);
            saga.pollRolledBack();
            Map<TopicPartition, Long> again = readAgain(reads);
            Instant now = clock.instant();
            Instant next = retries.failed(now);
            if (failure instanceof PartitionWriters.PartitionLost lost) {
                saga.lose(lost, "the cutover saga's transaction of partition " + partition);
            } else if (retries.failuresInARow() == 1) {
                log.warn("a cutover saga transaction did not commit ({}): its messages are read again from {}",
                        failure.getMessage(), again, failure);
            } else {
                log.error("a cutover saga transaction did not commit, {} times in a row ({}): its messages are read"
                        + " again from {} and decided again in {} ms; no cutover on these partitions moves until Kafka"
                        + " takes the transaction: see the broker's log, and whether a topic's max.message.bytes or"
                        + " the saga's permissions refuse what it writes", retries.failuresInARow(),
                        failure.getMessage(), again, Duration.between(now, next).toMillis());
            }
            return;
        }
        retries.committed();
        saga.pollCommitted();
        handOverCommitted();
    }

    /** A command written in the open transaction, and where. */
    private record Sent(SpecificRecord command, Future<RecordMetadata> written) {
    }

    /** Whatever was sent before is not going to be committed by this loop: the participants stop waiting for it. */
    private void abandonSent() {
        if (sentCommands.isEmpty()) {
            return;
        }
        List<SpecificRecord> abandoned = sentCommands.stream().map(Sent::command).toList();
        sentCommands.clear();
        try {
            local.aborted(abandoned);
        } catch (RuntimeException e) {
            log.warn("the participants in this process could not be told that commands were not committed: {}",
                    e.getMessage(), e);
        }
    }

    /** The commands just committed, to the participants in this process ({@link LocalParticipants}). */
    private void handOverCommitted() {
        if (sentCommands.isEmpty()) {
            return;
        }
        List<LocalParticipants.Committed> committed = new ArrayList<>();
        for (Sent sent : sentCommands) {
            // Done: a commit waits for every send of its transaction.
            committed.add(new LocalParticipants.Committed(sent.command(), sent.written().resultNow().partition()));
        }
        sentCommands.clear();
        try {
            local.committed(committed);
        } catch (RuntimeException e) {
            log.warn("the participants in this process were not handed the commands just committed ({}); they read"
                    + " them from Kafka", e.getMessage(), e);
        }
    }

    /**
     * One message. One the saga refuses (a transition its rules forbid, a cutover it never started, a payload it cannot
     * decode) goes to the recoverer: {@code StepFailed} for a command, the dead-letter topic otherwise; the rest of the
     * transaction goes on. What is not the message's fault (Kafka refusing a send, a partition not read back yet) fails
     * the whole transaction, and its messages are read again.
     */
    private void decide(Read read, PartitionWriters.Transaction transaction) {
        ConsumerRecord<String, Object> record = read.record();
        SagaTransaction sending = messages -> send(transaction, messages);
        try {
            Object value = DecodedValues.of(record);
            if (value instanceof StartCutover start) {
                saga.onStart(start, record.partition(), sending, read.at());
            } else if (value instanceof SpecificRecord message
                    && Messages.find(message.getSchema().getFullName()).isPresent()) {
                saga.onMessage(message, MessagePublisher.metadataOf(message), record.partition(), sending, read.at());
            }
        } catch (PublishFailed | PartitionNotOwned e) {
            throw e;
        } catch (RuntimeException e) {
            refused.accept(record, e);
        }
    }

    /** The open transaction's sends ({@link SagaTransaction}): acknowledged at the commit. */
    private void send(PartitionWriters.Transaction transaction, List<? extends SpecificRecord> messages) {
        for (SpecificRecord message : messages) {
            String topic = MessagePublisher.topicFor(message);
            try {
                Future<RecordMetadata> sent = transaction.send(message);
                if (Topics.COMMANDS.name().equals(topic)) {
                    local.sending(message);
                    sentCommands.add(new Sent(message, sent));
                }
            } catch (KafkaException e) {
                throw new PublishFailed("Kafka did not accept " + MessagePublisher.describe(message) + " on " + topic
                        + ": " + e.getMessage(), e);
            }
        }
    }

    /**
     * Seeks back to the first of {@code reads} on each of their partitions, to decide them again, and commits nothing
     * from there on until they are.
     *
     * @return where each partition is read again from
     */
    private Map<TopicPartition, Long> readAgain(List<Read> reads) {
        Map<TopicPartition, Long> again = new HashMap<>();
        for (Read read : reads) {
            again.merge(read.partition(), read.record().offset(), Math::min);
        }
        pending.removeAll(reads);
        heldSince = pending.isEmpty() ? null : heldSince;
        again.keySet().retainAll(consumer.assignment());
        again.forEach((partition, offset) -> {
            consumer.seek(partition, offset);
            readUpTo.put(partition, new OffsetAndMetadata(offset));
        });
        return again;
    }

    /**
     * What may be committed as consumed: everything read, up to the first message of each partition still pending (held
     * or to be decided again), which must be read again after a crash.
     */
    private Map<TopicPartition, OffsetAndMetadata> consumed() {
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>(readUpTo);
        for (Read read : pending) {
            offsets.merge(read.partition(), new OffsetAndMetadata(read.record().offset()),
                    (passed, held) -> held.offset() < passed.offset() ? held : passed);
        }
        return offsets;
    }

    /**
     * Commits what was consumed since the last commit, without waiting: off the switch's path, since a message read
     * again after a crash decides nothing its decision did not already (decision 117). A commit that fails (a
     * rebalance took the partition) is let go: the next owner reads a little again.
     */
    private void commitRead() {
        Map<TopicPartition, OffsetAndMetadata> offsets = consumed();
        offsets.entrySet().removeIf(offset -> offset.getValue().equals(committing.get(offset.getKey())));
        if (offsets.isEmpty()) {
            return;
        }
        committing.putAll(offsets);
        consumer.commitAsync(offsets, (done, e) -> {
            if (e != null) {
                done.keySet().forEach(committing::remove);
                log.debug("the cutover saga's consumed offsets {} are not committed ({}); they are with the next",
                        done, e.getMessage());
            }
        });
    }

    private void decideLagReports() {
        for (String databaseAndDirection : lagReports.keySet()) {
            LagReported report = lagReports.remove(databaseAndDirection);
            try {
                saga.onLag(report);
            } catch (RuntimeException e) {
                log.warn("the lag report of {} could not be acted on, the next one is: {}", databaseAndDirection,
                        e.getMessage(), e);
            }
        }
    }

    /** Whether the consumer has read every partition given to it up to where its log ended when it was given. */
    private boolean caughtUp() {
        catchingUp.entrySet().removeIf(end -> {
            try {
                return consumer.position(end.getKey(), Duration.ZERO) >= end.getValue();
            } catch (TimeoutException e) {
                return false;
            }
        });
        return catchingUp.isEmpty();
    }

    /**
     * The consumer's partitions, which the consumer calls back about inside a poll (never while a transaction is open):
     * partitions given are taken over before any of their messages is read; partitions taken away are let go of
     * before another instance may act on them.
     */
    private final class Rebalances implements ConsumerRebalanceListener {

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> given) {
            partitions.onPartitionsAssigned(consumer, given);
            if (!given.isEmpty()) {
                try {
                    catchingUp.putAll(consumer.endOffsets(given));
                } catch (KafkaException e) {
                    log.warn("cannot read where {} end ({}): deadlines are acted on without waiting for what they"
                            + " hold to be read", given, e.getMessage());
                }
            }
        }

        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> taken) {
            commitConsumed(taken);
            forget(taken);
            taken.forEach(catchingUp::remove);
            partitions.letGo(taken);
        }

        @Override
        public void onPartitionsLost(Collection<TopicPartition> lost) {
            forget(lost);
            lost.forEach(catchingUp::remove);
            partitions.letGo(lost);
        }
    }

    /**
     * Commits, and waits for, what was consumed of partitions taken away, so that the next owner does not read it again.
     * Best effort: read again, a message passes by or decides nothing again.
     */
    private void commitConsumed(Collection<TopicPartition> taken) {
        Map<TopicPartition, OffsetAndMetadata> offsets = consumed();
        offsets.keySet().retainAll(taken);
        if (offsets.isEmpty()) {
            return;
        }
        try {
            consumer.commitSync(offsets);
        } catch (KafkaException e) {
            log.info("the offsets of messages the cutover saga read are not committed ({}): the next owner reads them"
                    + " again", e.getMessage());
        }
    }

    /** What was read from partitions no longer held: the next owner reads it again from the last commit. */
    private void forget(Collection<TopicPartition> taken) {
        pending.removeIf(read -> taken.contains(read.partition()));
        heldSince = pending.isEmpty() ? null : heldSince;
        readUpTo.keySet().removeAll(taken);
        committing.keySet().removeAll(taken);
    }

    @Override
    public void stop() {
        running = false;
        KafkaConsumer<String, Object> reading = consumer;
        if (reading != null) {
            reading.wakeup();
        }
        if (thread == null) {
            return;
        }
        try {
            thread.join(STOP);
            if (thread.isAlive()) {
                // Waiting for the projection, in a rebalance: nothing to finish.
                thread.interrupt();
                thread.join(STOP);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    /** After the projection (phase 0), which it waits for when given partitions; with the listener containers. */
    @Override
    public int getPhase() {
        return Integer.MAX_VALUE - 100;
    }
}
