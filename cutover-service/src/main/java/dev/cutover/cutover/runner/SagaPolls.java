package dev.cutover.cutover.runner;

import java.util.List;

import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.springframework.kafka.listener.AfterRollbackProcessor;
import org.springframework.kafka.listener.BatchInterceptor;
import org.springframework.kafka.listener.ContainerProperties.EOSMode;
import org.springframework.kafka.listener.MessageListenerContainer;

import dev.cutover.platform.ActedOnOnly;

/**
 * Tells the saga how each poll of its listener ended. The listener decides a poll in one Kafka transaction, and the
 * commit happens after the listener returns: Spring calls {@link #clearThreadState} once the poll is over (committed,
 * or rolled back and handed to the after-rollback processor), and {@link #rollbacks} runs before that processor. The
 * Kafka transaction manager runs no transaction synchronizations, so these are the hooks there are. The saga is also
 * handed only the messages it acts on ({@link ActedOnOnly}).
 */
final class SagaPolls implements BatchInterceptor<Object, Object> {

    private final SagaRunner saga;
    private final ActedOnOnly actedOn = new ActedOnOnly(SagaRunner::actsOn);

    SagaPolls(SagaRunner saga) {
        this.saga = saga;
    }

    @Override
    public ConsumerRecords<Object, Object> intercept(ConsumerRecords<Object, Object> records,
            Consumer<Object, Object> consumer) {
        return actedOn.intercept(records, consumer);
    }

    @Override
    public void clearThreadState(Consumer<?, ?> consumer) {
        saga.pollEnded();
    }

    /** {@code processor}, after the sagas the rolled-back poll changed are put back. */
    AfterRollbackProcessor<Object, Object> rollbacks(AfterRollbackProcessor<Object, Object> processor) {
        return new AfterRollbackProcessor<>() {

            @Override
            public void process(List<ConsumerRecord<Object, Object>> records, Consumer<Object, Object> consumer,
                    MessageListenerContainer container, Exception exception, boolean recoverable, EOSMode eosMode) {
                saga.pollRolledBack();
                processor.process(records, consumer, container, exception, recoverable, eosMode);
            }

            @Override
            public void processBatch(ConsumerRecords<Object, Object> records,
                    List<ConsumerRecord<Object, Object>> recordList, Consumer<Object, Object> consumer,
                    MessageListenerContainer container, Exception exception, boolean recoverable, EOSMode eosMode) {
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
