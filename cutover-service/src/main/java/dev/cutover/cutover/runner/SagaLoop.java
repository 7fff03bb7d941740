package dev.cutover.cutover.runner;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
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
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
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
 * {@code cutover.events} in the group {@code cutover-saga} and a transactional producer, both its own. Each turn
 * ({@link #turn}):
 *
 * <ol>
 * <li>polls, at most one tick interval;</li>
 * <li>keeps the messages the saga acts on: its own messages read back and the commands of other participants pass by
 * (decision 32), and their offsets are committed with the next transaction;</li>
 * <li>holds what it kept while deciding it would only record progress at the switch, at most
 * {@code cutover.saga.answer-hold}, for the answer that completes the switch's proofs (decision 38): their offsets are
 * not committed until they are decided, so after a crash they are read again;</li>
 * <li>otherwise decides everything kept in one Kafka transaction with the offsets of everything read (decision 31); a
 * message the saga refuses goes to the recoverer and the rest are decided; a transaction that does not commit, for
 * whatever reason, puts the sagas it changed back and reads its messages again (decision 37);</li>
 * <li>decides the newest lag reports ({@link LagListener} hands them over) and the deadlines that have passed, both
 * through the partitions' fenced writers; deadlines only once the partitions given last have been read up to where
 * they ended when given, so that answers written while they had no owner are heard first.</li>
 * </ol>
 *
 * <p>Everything the saga decides is decided on this thread, so nothing is locked, and a deadline is always checked on
 * every answer heard. The consumed offsets commit with the consumer's group generation
 * ({@code sendOffsetsToTransaction}), so the broker refuses the commit of an instance that lost its partitions in a
 * rebalance (KIP-447); which partitions it owns is {@link SagaPartitions}'s to say, from the consumer's rebalances.
 */
final class SagaLoop implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(SagaLoop.class);
    private static final Duration CLOSE = Duration.ofSeconds(5);
    private static final Duration STOP = Duration.ofSeconds(10);
    private static final int COMMIT_ATTEMPTS = 3;
    /** The waits between transactions that keep failing: the first retry is at once. */
    private static final Duration RETRY_FIRST = Duration.ofMillis(100);
    private static final Duration RETRY_LONGEST = Duration.ofSeconds(5);
    /**
     * A transaction left open by an instance that died is aborted by the broker after this long; until then every
     * read_committed reader of its partitions (the next owner, the fence, followers) waits. A turn's transaction lasts
     * milliseconds.
     */
    private static final Duration TRANSACTION_TIMEOUT = Duration.ofSeconds(10);

    private final String group;
    private final SagaRunner saga;
    private final SagaPartitions partitions;
    private final StepFailedRecoverer refused;
    private final Map<String, Object> consumerConfig;
    private final Map<String, Object> producerConfig;
    private final String transactionalId;
    private final Duration tickInterval;
    private final Duration holdAtMost;
    private final Clock clock;
    /** The newest lag report of each database and direction, handed over by another thread ({@link #lagReported}). */
    private final Map<String, LagReported> lagReports = new ConcurrentHashMap<>();

    /** What the saga acts on, read and not decided yet, in the order read. */
    private final List<Read> pending = new ArrayList<>();
    /** When the pending messages began to be held, or null. */
    private Instant heldSince;
    /** Per partition, the first offset read since the last commit: where to read again when a transaction fails. */
    private final Map<TopicPartition, Long> readFrom = new HashMap<>();
    /** Per partition, the offset after the last one read: what the next commit records as consumed. */
    private final Map<TopicPartition, OffsetAndMetadata> readUpTo = new HashMap<>();
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
    private KafkaProducer<String, SpecificRecord> producer;
    private volatile KafkaConsumer<String, Object> consumer;
    private volatile boolean running;
    private Thread thread;

    /** @param group the consumer group; it also names the thread and the producer's transactional id */
    SagaLoop(String group, SagaRunner saga, SagaPartitions partitions, StepFailedRecoverer refused,
            KafkaProperties kafka, SagaSettings settings, Clock clock, LocalParticipants local) {
        this.group = group;
        this.local = local;
        this.saga = saga;
        this.partitions = partitions;
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
        // One id per instance: a rebalance, not the id, fences a former owner of the consumed partitions.
        String prefix = kafka.getProducer().getTransactionIdPrefix();
        transactionalId = prefix == null ? group + "-" + UUID.randomUUID() : prefix + group;
        producerConfig = kafka.buildProducerProperties();
        producerConfig.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId);
        producerConfig.put(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, (int) TRANSACTION_TIMEOUT.toMillis());
    }

    String transactionalId() {
        return transactionalId;
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
            readyProducer();
            reading.subscribe(List.of(Topics.COMMANDS.name(), Topics.EVENTS.name()), new Rebalances());
            while (running) {
                turn();
            }
        } catch (RuntimeException e) {
            log.error("the cutover saga stopped: {}; no cutover is decided on this instance until it is restarted",
                    e.getMessage(), e);
        } finally {
            consumer = null;
            closeProducer();
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
        } catch (WakeupException e) {
            // stop() woke the consumer up: the loop ends.
        } catch (RuntimeException e) {
            retries.failed(clock.instant());
            log.error("the cutover saga's loop failed ({}): what it read since its last commit is read again",
                    e.getMessage(), e);
            readAgain();
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
            readFrom.putIfAbsent(new TopicPartition(record.topic(), record.partition()), record.offset());
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

    /** Decides everything pending in one transaction, committed with the offsets of everything read. */
    private void decidePending() {
        abandonSent();
        try {
            producer().beginTransaction();
            for (Read read : pending) {
                decide(read);
            }
            producer.sendOffsetsToTransaction(new HashMap<>(readUpTo), consumer.groupMetadata());
            commit();
        } catch (RuntimeException e) {
            abandonSent();
            abort();
            saga.pollRolledBack();
            Map<TopicPartition, Long> again = readAgain();
            Instant now = clock.instant();
            Instant next = retries.failed(now);
            if (retries.failuresInARow() == 1) {
                log.warn("a cutover saga transaction did not commit ({}): its messages are read again from {}",
                        e.getMessage(), again, e);
            } else {
                log.error("a cutover saga transaction did not commit, {} times in a row ({}): its messages are read"
                        + " again from {} and decided again in {} ms; no cutover on these partitions moves until Kafka"
                        + " takes the transaction: see the broker's log, and whether a topic's max.message.bytes or"
                        + " the saga's permissions refuse what it writes", retries.failuresInARow(), e.getMessage(),
                        again, Duration.between(now, next).toMillis());
            }
            return;
        }
        retries.committed();
        saga.pollCommitted();
        forgetRead();
        handOverCommitted();
    }

    /** A command written in the open transaction, and where. */
    private record Sent(SpecificRecord command, Future<RecordMetadata> written) {
    }

    /**
     * Commits the open transaction. A commit that timed out has an unknown outcome: it may yet complete, so it is
     * tried again (as the producer allows) rather than aborted and decided again, which could send every decision
     * twice.
     */
    private void commit() {
        for (int attempt = 1; ; attempt++) {
            try {
                producer.commitTransaction();
                return;
            } catch (TimeoutException e) {
                if (attempt == COMMIT_ATTEMPTS) {
                    throw e;
                }
                log.warn("the cutover saga's commit timed out (attempt {} of {}); trying it again", attempt,
                        COMMIT_ATTEMPTS);
            }
        }
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
    private void decide(Read read) {
        ConsumerRecord<String, Object> record = read.record();
        try {
            Object value = DecodedValues.of(record);
            if (value instanceof StartCutover start) {
                saga.onStart(start, record.partition(), this::send, read.at());
            } else if (value instanceof SpecificRecord message
                    && Messages.find(message.getSchema().getFullName()).isPresent()) {
                saga.onMessage(message, MessagePublisher.metadataOf(message), record.partition(), this::send,
                        read.at());
            }
        } catch (PublishFailed | PartitionNotOwned e) {
            throw e;
        } catch (RuntimeException e) {
            refused.accept(record, e);
        }
    }

    /** The open transaction's sends ({@link SagaTransaction}): acknowledged at the commit. */
    private void send(List<? extends SpecificRecord> messages) {
        for (SpecificRecord message : messages) {
            String topic = MessagePublisher.topicFor(message);
            try {
                Future<RecordMetadata> sent = producer.send(new ProducerRecord<>(topic,
                        MessagePublisher.keyOf(MessagePublisher.metadataOf(message)), message));
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
     * Aborts the open transaction. A producer that cannot (fenced, because another producer took its transactional id
     * over as the coordinator does to a transaction that timed out, or in an error it cannot leave) is closed, and the
     * next transaction makes a new one with the same id, which fences whatever is left of it.
     */
    private void abort() {
        if (producer == null) {
            return;
        }
        try {
            producer.abortTransaction();
        } catch (RuntimeException e) {
            log.warn("the cutover saga's producer {} cannot abort ({}): it is replaced", transactionalId,
                    e.getMessage());
            closeProducer();
        }
    }

    /** Seeks back to where the last commit left each partition still held, and forgets what was read since. */
    private Map<TopicPartition, Long> readAgain() {
        Map<TopicPartition, Long> again = new HashMap<>(readFrom);
        again.keySet().retainAll(consumer.assignment());
        again.forEach(consumer::seek);
        forgetRead();
        return again;
    }

    private void forgetRead() {
        pending.clear();
        heldSince = null;
        readFrom.clear();
        readUpTo.clear();
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

    /**
     * Makes the producer if there is none: registered with the transaction coordinator, and told where the cutover
     * topics' partitions are, since a producer's first send to a topic waits for its metadata (decision 36); the
     * platform has it keep them ({@code metadata.max.idle.ms}).
     */
    private KafkaProducer<String, SpecificRecord> producer() {
        if (producer == null) {
            KafkaProducer<String, SpecificRecord> made = new KafkaProducer<>(producerConfig);
            try {
                made.initTransactions();
                made.partitionsFor(Topics.EVENTS.name());
                made.partitionsFor(Topics.COMMANDS.name());
            } catch (RuntimeException e) {
                made.close(CLOSE);
                throw e;
            }
            producer = made;
        }
        return producer;
    }

    /** At start-up, so that the first cutover does not pay for it at the switch. */
    private void readyProducer() {
        try {
            producer();
        } catch (RuntimeException e) {
            log.warn("the cutover saga's producer is not ready ({}); the first decision makes it", e.getMessage());
        }
    }

    private void closeProducer() {
        if (producer != null) {
            try {
                producer.close(CLOSE);
            } catch (RuntimeException e) {
                log.warn("closing the cutover saga's producer {}: {}", transactionalId, e.getMessage());
            }
            producer = null;
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
            commitPassedBy();
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
     * Commits the offsets of the messages that passed by since the last transaction, up to the first one still
     * pending, so that the next owner does not read them again. Best effort: read again, they pass by again.
     */
    private void commitPassedBy() {
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>(readUpTo);
        for (Read read : pending) {
            offsets.merge(read.partition(), new OffsetAndMetadata(read.record().offset()),
                    (passed, held) -> held.offset() < passed.offset() ? held : passed);
        }
        if (offsets.isEmpty() || producer == null) {
            // No producer: the last one failed, and making one here could hold up a rebalance or a stop.
            return;
        }
        try {
            producer.beginTransaction();
            producer.sendOffsetsToTransaction(offsets, consumer.groupMetadata());
            producer.commitTransaction();
        } catch (RuntimeException e) {
            abort();
            log.info("the offsets of messages the cutover saga passed by are not committed ({}): the next owner reads"
                    + " them again", e.getMessage());
        }
    }

    /** What was read from partitions no longer held: the next owner reads it again from the last commit. */
    private void forget(Collection<TopicPartition> taken) {
        pending.removeIf(read -> taken.contains(read.partition()));
        heldSince = pending.isEmpty() ? null : heldSince;
        readFrom.keySet().removeAll(taken);
        readUpTo.keySet().removeAll(taken);
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
