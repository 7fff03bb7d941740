package dev.cutover.cutover.runner;

import java.util.List;

import org.apache.avro.specific.SpecificRecord;

/**
 * The Kafka transaction the saga's loop has open on a partition's fenced writer while it decides what it consumed of
 * that partition ({@link SagaLoop}): what a decision sends here commits together, or not at all.
 */
@FunctionalInterface
interface SagaTransaction {

    /**
     * Sends without waiting: the commit waits for every acknowledgement, and fails if one failed.
     *
     * @throws dev.cutover.platform.PublishFailed when Kafka refuses a message at once (the transaction already failed)
     */
    void send(List<? extends SpecificRecord> messages);
}
