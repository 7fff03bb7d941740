package dev.cutover.cutover.runner;

import org.springframework.kafka.core.ProducerFactory;
import org.springframework.kafka.transaction.KafkaTransactionManager;
import org.springframework.transaction.support.DefaultTransactionStatus;

/**
 * The Kafka transactions of the saga's listener, which say when one did not commit ({@link SagaPolls}): Spring hands
 * a failed poll to the after-rollback processor, which puts the sagas back and reads the poll again, except when the
 * producer was fenced (another producer took its transactional id over, as the coordinator does to a transaction that
 * timed out). Then it only logs, and the poll would count as done: its decisions were never written, its messages
 * would not be read again, and the sagas would run ahead of the log.
 */
final class SagaTransactions extends KafkaTransactionManager<Object, Object> {

    private final Runnable notCommitted;

    SagaTransactions(ProducerFactory<Object, Object> producers, Runnable notCommitted) {
        super(producers);
        this.notCommitted = notCommitted;
    }

    @Override
    protected void doCommit(DefaultTransactionStatus status) {
        try {
            super.doCommit(status);
        } catch (RuntimeException e) {
            notCommitted.run();
            throw e;
        }
    }

    @Override
    protected void doRollback(DefaultTransactionStatus status) {
        notCommitted.run();
        super.doRollback(status);
    }
}
