package dev.cutover.cutover.runner;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

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
 * saga is also handed only the messages it acts on ({@link ActedOnOnly}). All of it runs on the listener's one
 * consumer thread.
 */
final class SagaPolls implements BatchInterceptor<Object, Object> {

    private static final Logger log = LoggerFactory.getLogger(SagaPolls.class);

    private final SagaRunner saga;
    private final ActedOnOnly actedOn = new ActedOnOnly(SagaRunner::actsOn);
    /** Where the poll handed to the listener begins on each of its partitions. */
    private Map<TopicPartition, Long> polledFrom = Map.of();
    private boolean notCommitted;
    private boolean rolledBack;

    SagaPolls(SagaRunner saga) {
        this.saga = saga;
    }

    @Override
    public ConsumerRecords<Object, Object> intercept(ConsumerRecords<Object, Object> records,
            Consumer<Object, Object> consumer) {
        ConsumerRecords<Object, Object> actedOnOnly = actedOn.intercept(records, consumer);
        Map<TopicPartition, Long> from = new HashMap<>();
        if (actedOnOnly != null) {
            actedOnOnly.partitions().forEach(partition ->
                    from.put(partition, actedOnOnly.records(partition).getFirst().offset()));
        }
        polledFrom = from;
        notCommitted = false;
        rolledBack = false;
        return actedOnOnly;
    }

    /**
     * The poll is over. Its transaction failed with no after-rollback processor called when its producer was fenced:
     * the sagas are put back here, and the poll read again from where it began, as that processor would have.
     */
    @Override
    public void clearThreadState(Consumer<?, ?> consumer) {
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
