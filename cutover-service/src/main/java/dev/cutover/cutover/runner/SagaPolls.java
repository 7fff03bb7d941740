package dev.cutover.cutover.runner;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.apache.avro.specific.SpecificRecord;

import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.core.ProducerFactory;
import org.springframework.kafka.listener.AfterRollbackProcessor;
import org.springframework.kafka.listener.BatchInterceptor;
import org.springframework.kafka.listener.CommonErrorHandler;
import org.springframework.kafka.listener.ContainerProperties.EOSMode;
import org.springframework.kafka.listener.MessageListenerContainer;

import dev.cutover.platform.ActedOnOnly;

/**
 * Tells the saga how each poll of its listener ended. The listener decides a poll in one Kafka transaction, and the
 * commit happens after the listener returns: Spring calls {@link #clearThreadState} once the poll is over (committed,
 * or rolled back and handed to the after-rollback processor), and {@link #rollbacks} runs before that processor. The
 * Kafka transaction manager runs no transaction synchronizations, so these are the hooks there are, with one of its
 * own ({@link #transactions}) for the failure Spring hands to no after-rollback processor: a fenced producer. The
 * saga is also handed only the messages it acts on ({@link ActedOnOnly}), and the switch's answers that decide
 * nothing urgent are held for the one that completes it ({@link #intercept}). All of it runs on the listener's one
 * consumer thread, but {@link #releaseOverdue}, which the saga's ticker calls: what both touch is guarded by this.
 */
final class SagaPolls implements BatchInterceptor<Object, Object> {

    private static final Logger log = LoggerFactory.getLogger(SagaPolls.class);

    private final SagaRunner saga;
    private final Duration holdAtMost;
    private final Clock clock;
    private final ActedOnOnly actedOn = new ActedOnOnly(SagaRunner::actsOn);
    /** Where the poll handed to the listener begins on each of its partitions. */
    private Map<TopicPartition, Long> polledFrom = Map.of();
    private boolean notCommitted;
    private boolean rolledBack;
    /** Answers held back, in the order they were polled ({@link #intercept}); guarded by this. */
    private final List<ConsumerRecord<Object, Object>> held = new ArrayList<>();
    private Instant heldSince;

    /** @param holdAtMost how long an answer may be held ({@code cutover.saga.answer-hold}) */
    SagaPolls(SagaRunner saga, Duration holdAtMost, Clock clock) {
        this.saga = saga;
        this.holdAtMost = holdAtMost;
        this.clock = clock;
    }

    /**
     * The poll the listener decides: the messages the saga acts on, after the answers held back. At the switch the
     * participants' answers arrive within tens of milliseconds of each other, and deciding each as it comes costs a
     * Kafka commit apiece, one after the other, while the last answer (the one the switch waits for) queues behind
     * them. So a poll that would only record progress ({@link SagaRunner#onlyRecordProgress}) is held, at most
     * {@code holdAtMost}, and decided with the poll that completes the switch's proofs, in one transaction.
     *
     * <p>A held poll is answered with an empty batch, which Spring skips without acknowledging it (not null, which it
     * acknowledges): no transaction commits its offsets before its decisions are made, so after a crash it is read
     * again. For the same reason nothing is answered with null while something is held.
     */
    @Override
    public synchronized ConsumerRecords<Object, Object> intercept(ConsumerRecords<Object, Object> records,
            Consumer<Object, Object> consumer) {
        ConsumerRecords<Object, Object> actedOnOnly = actedOn.intercept(records, consumer);
        polledFrom = Map.of();
        notCommitted = false;
        rolledBack = false;
        held.removeIf(record -> !consumer.assignment().contains(new TopicPartition(record.topic(), record.partition())));
        if (held.isEmpty() && (actedOnOnly == null || holdAtMost.isZero())) {
            polledFrom = firstOffsets(actedOnOnly);
            return actedOnOnly;
        }
        List<ConsumerRecord<Object, Object>> answers = new ArrayList<>(held);
        if (actedOnOnly != null) {
            actedOnOnly.forEach(answers::add);
        }
        Instant now = clock.instant();
        if (!heldTooLong(now) && allAnswers(answers)
                && saga.onlyRecordProgress(values(answers), now, now.plus(holdAtMost))) {
            held.clear();
            held.addAll(answers);
            heldSince = heldSince == null ? now : heldSince;
            return ConsumerRecords.empty();
        }
        ConsumerRecords<Object, Object> poll = pollOf(answers);
        held.clear();
        heldSince = null;
        polledFrom = firstOffsets(poll);
        return poll;
    }

    /**
     * Decides, one by one through the partitions' writers, what was held longer than {@code holdAtMost} while nothing
     * else arrived (the rest of the switch's answers are late, or will not come and their step times out). Called by
     * the saga's ticker before the deadlines are checked, so that a timeout is decided on every answer heard. An
     * answer leaves the hold only once decided: one that could not be (its writer failed) is tried again at the next
     * tick, or goes to the listener with the next poll; holding this monitor meanwhile keeps the listener's next poll
     * from being decided without it.
     */
    synchronized void releaseOverdue() {
        if (!heldTooLong(clock.instant())) {
            return;
        }
        held.removeIf(record -> saga.decideHeld((SpecificRecord) record.value()));
        heldSince = held.isEmpty() ? null : heldSince;
    }

    private boolean heldTooLong(Instant now) {
        return heldSince != null && !now.isBefore(heldSince.plus(holdAtMost));
    }

    private static boolean allAnswers(List<ConsumerRecord<Object, Object>> records) {
        return records.stream().allMatch(record -> record.value() instanceof SpecificRecord);
    }

    private static List<SpecificRecord> values(List<ConsumerRecord<Object, Object>> records) {
        return records.stream().map(record -> (SpecificRecord) record.value()).toList();
    }

    /**
     * The records as a poll, each partition's in offset order, each record once (a partition revoked and given back
     * while its answers were held is read again from its committed offset): Spring commits, per partition, after the
     * last record of the poll.
     */
    private static ConsumerRecords<Object, Object> pollOf(List<ConsumerRecord<Object, Object>> records) {
        Map<TopicPartition, TreeMap<Long, ConsumerRecord<Object, Object>>> byPartition = new LinkedHashMap<>();
        for (ConsumerRecord<Object, Object> record : records) {
            byPartition.computeIfAbsent(new TopicPartition(record.topic(), record.partition()),
                    partition -> new TreeMap<>()).putIfAbsent(record.offset(), record);
        }
        Map<TopicPartition, List<ConsumerRecord<Object, Object>>> poll = new LinkedHashMap<>();
        byPartition.forEach((partition, inOrder) -> poll.put(partition, List.copyOf(inOrder.values())));
        return new ConsumerRecords<>(poll, Map.of());
    }

    private static Map<TopicPartition, Long> firstOffsets(ConsumerRecords<Object, Object> poll) {
        Map<TopicPartition, Long> from = new HashMap<>();
        if (poll != null) {
            poll.partitions().forEach(partition -> from.put(partition, poll.records(partition).getFirst().offset()));
        }
        return from;
    }

    /**
     * The poll is over. Its transaction failed with no after-rollback processor called when its producer was fenced:
     * the sagas are put back here, and the poll read again from where it began, as that processor would have.
     */
    @Override
    public synchronized void clearThreadState(Consumer<?, ?> consumer) {
        if (notCommitted && !rolledBack) {
            saga.pollRolledBack();
            polledFrom.forEach(consumer::seek);
            log.warn("a saga transaction failed without a rollback from Spring (its producer was fenced): the poll is"
                    + " read again from {}", polledFrom);
        }
        saga.pollEnded();
        polledFrom = Map.of();
        notCommitted = false;
        rolledBack = false;
    }

    /**
     * What the listener throws is never retried in memory, as the platform's error handler would: the first attempt
     * already changed the sagas, and a second would decide on that state. The listener itself hands a message it
     * refuses to the recoverer; what it throws is Kafka's or the partition's fault, so the poll rolls back and the
     * after-rollback processor ({@link #rollbacks}) puts the sagas back and reads it again.
     */
    CommonErrorHandler errors() {
        return new CommonErrorHandler() {

            @Override
            public void handleBatch(Exception thrown, ConsumerRecords<?, ?> records, Consumer<?, ?> consumer,
                    MessageListenerContainer container, Runnable invokeListener) {
                throw thrown instanceof RuntimeException failure ? failure
                        : new IllegalStateException(thrown.getMessage(), thrown);
            }
        };
    }

    /** The listener's transactions, telling this when one did not commit ({@link SagaTransactions}). */
    SagaTransactions transactions(ProducerFactory<Object, Object> producers) {
        return new SagaTransactions(producers, () -> notCommitted = true);
    }

    /** {@code processor}, after the sagas the rolled-back poll changed are put back. */
    AfterRollbackProcessor<Object, Object> rollbacks(AfterRollbackProcessor<Object, Object> processor) {
        return new AfterRollbackProcessor<>() {

            @Override
            public void process(List<ConsumerRecord<Object, Object>> records, Consumer<Object, Object> consumer,
                    MessageListenerContainer container, Exception exception, boolean recoverable, EOSMode eosMode) {
                rolledBack = true;
                saga.pollRolledBack();
                processor.process(records, consumer, container, exception, recoverable, eosMode);
            }

            @Override
            public void processBatch(ConsumerRecords<Object, Object> records,
                    List<ConsumerRecord<Object, Object>> recordList, Consumer<Object, Object> consumer,
                    MessageListenerContainer container, Exception exception, boolean recoverable, EOSMode eosMode) {
                rolledBack = true;
                saga.pollRolledBack();
                processor.processBatch(records, recordList, consumer, container, exception, recoverable, eosMode);
            }

            @Override
            public boolean isProcessInTransaction() {
                return processor.isProcessInTransaction();
            }

            @Override
            public void clearThreadState() {
                processor.clearThreadState();
            }
        };
    }
}
