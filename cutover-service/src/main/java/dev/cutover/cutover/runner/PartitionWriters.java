package dev.cutover.cutover.runner;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Future;

import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.InvalidProducerEpochException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.errors.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;

import dev.cutover.events.topic.Topics;
import dev.cutover.platform.MessagePublisher;

/**
 * Writes the decisions about the sagas of one partition, each in a Kafka transaction of a producer whose
 * {@code transactional.id} names the saga kind and the partition: {@code <group>-<partition>}, the same on every
 * instance. Opening the partition on the instance that has just been given it makes the broker abort the former
 * owner's open transaction and refuse every later one ("fenced"), so an instance that lost a partition without noticing
 * yet (paused, cut off from the group coordinator) cannot commit a decision about a saga it no longer owns. The new
 * owner opens the partition before it reads the partition's sagas back, so whatever the former owner committed is in
 * what it reads (decision 117).
 */
public final class PartitionWriters implements AutoCloseable {

    /** Another instance opened the partition: this one no longer owns it and must forget its sagas. */
    public static final class PartitionLost extends RuntimeException {

        private final int partition;

        PartitionLost(int partition, String message, Throwable cause) {
            super(message, cause);
            this.partition = partition;
        }

        public int partition() {
            return partition;
        }
    }

    private static final Logger log = LoggerFactory.getLogger(PartitionWriters.class);
    private static final Duration CLOSE = Duration.ofSeconds(5);
    private static final int COMMIT_ATTEMPTS = 3;
    /**
     * A transaction left open by an instance that died is aborted by the broker after this long, unless an instance
     * opens the partition first; until then every read_committed reader of the partition (the fence, followers) waits.
     * A decision's transaction lasts milliseconds.
     */
    private static final Duration TRANSACTION_TIMEOUT = Duration.ofSeconds(10);

    private final String group;
    private final Map<String, Object> config;
    private final Map<Integer, KafkaProducer<String, SpecificRecord>> producers = new ConcurrentHashMap<>();

    /** @param group the saga consumer's group; it names the transactions */
    public PartitionWriters(String group, KafkaProperties kafka) {
        this.group = group;
        this.config = kafka.buildProducerProperties();
    }

    /** The transactional id for a partition's decisions. */
    String transactionalId(int partition) {
        return group + "-" + partition;
    }

    /**
     * Takes over the partitions' transactional ids: waits for the former owner's open transaction to be aborted and
     * fences it. Call before reading the partitions' sagas back, so that nothing the former owner decides lands after.
     */
    public void open(Collection<Integer> partitions) {
        for (int partition : partitions) {
            close(partition);
            Map<String, Object> own = new java.util.HashMap<>(config);
            own.put("transactional.id", transactionalId(partition));
            own.put("transaction.timeout.ms", (int) TRANSACTION_TIMEOUT.toMillis());
            KafkaProducer<String, SpecificRecord> producer = new KafkaProducer<>(own);
            try {
                producer.initTransactions();
            } catch (RuntimeException e) {
                producer.close(CLOSE);
                throw new IllegalStateException("cannot take over transactional id " + transactionalId(partition)
                        + " at spring.kafka.bootstrap-servers: " + e.getMessage(), e);
            }
            ready(producer);
            producers.put(partition, producer);
        }
    }

    /**
     * A producer's first send to a topic waits for the topic's metadata: asked now, so that the first decision does not
     * pay for it at the switch (the platform has producers keep it, {@code metadata.max.idle.ms}). Best effort.
     */
    private void ready(KafkaProducer<String, SpecificRecord> producer) {
        try {
            producer.partitionsFor(Topics.EVENTS.name());
            producer.partitionsFor(Topics.COMMANDS.name());
        } catch (KafkaException e) {
            log.debug("the cutover topics' metadata is read at the first decision instead: {}", e.getMessage());
        }
    }

    /**
     * Publishes {@code messages} in one transaction: all or none.
     *
     * @throws PartitionLost when another instance has opened the partition since
     */
    public void write(int partition, List<SpecificRecord> messages) {
        Transaction transaction = begin(partition);
        try {
            messages.forEach(transaction::send);
            transaction.commit();
        } catch (RuntimeException e) {
            RuntimeException failure = transaction.abandon(e);
            if (failure instanceof PartitionLost) {
                throw failure;
            }
            throw new IllegalStateException("Kafka did not take a decision for partition " + partition
                    + ": check that the broker at spring.kafka.bootstrap-servers is reachable: " + e.getMessage(), e);
        }
    }

    /**
     * Begins a transaction on the partition's writer, for decisions made one message at a time (the saga loop's).
     *
     * @throws PartitionLost when the partition is not open on this instance
     */
    Transaction begin(int partition) {
        KafkaProducer<String, SpecificRecord> producer = producers.get(partition);
        if (producer == null) {
            throw new PartitionLost(partition, "partition " + partition + " is not open on this instance", null);
        }
        try {
            producer.beginTransaction();
        } catch (ProducerFencedException | InvalidProducerEpochException e) {
            throw takenOver(partition, e);
        }
        return new Transaction(partition, producer);
    }

    /** Another instance opened the partition: its producer here is closed, and the partition is lost. */
    private PartitionLost takenOver(int partition, Throwable cause) {
        close(partition);
        return new PartitionLost(partition, transactionalId(partition) + " was taken over by another instance", cause);
    }

    /** A transaction open on one partition's writer. */
    final class Transaction {

        private final int partition;
        private final KafkaProducer<String, SpecificRecord> producer;

        private Transaction(int partition, KafkaProducer<String, SpecificRecord> producer) {
            this.partition = partition;
            this.producer = producer;
        }

        /** Sends without waiting: the commit waits for every acknowledgement, and fails if one failed. */
        Future<RecordMetadata> send(SpecificRecord message) {
            return producer.send(new ProducerRecord<>(MessagePublisher.topicFor(message),
                    MessagePublisher.keyOf(MessagePublisher.metadataOf(message)), message));
        }

        /**
         * Commits. A commit that timed out has an unknown outcome: it may yet complete, so it is tried again (as the
         * producer allows) rather than aborted and decided again, which could write every decision twice.
         */
        void commit() {
            for (int attempt = 1; ; attempt++) {
                try {
                    producer.commitTransaction();
                    return;
                } catch (TimeoutException e) {
                    if (attempt == COMMIT_ATTEMPTS) {
                        throw e;
                    }
                    log.warn("the commit of {} timed out (attempt {} of {}); trying it again",
                            transactionalId(partition), attempt, COMMIT_ATTEMPTS);
                }
            }
        }

        /**
         * Gives the transaction up after {@code failure}: aborted, so that nothing it sent is ever read. A producer
         * another instance fenced, or one that cannot abort, is closed and the partition is lost to this instance.
         *
         * @return what to report: {@link PartitionLost} when the partition is lost, {@code failure} otherwise
         */
        RuntimeException abandon(RuntimeException failure) {
            if (fenced(failure)) {
                return takenOver(partition, failure);
            }
            try {
                producer.abortTransaction();
                return failure;
            } catch (RuntimeException abortFailed) {
                close(partition);
                return new PartitionLost(partition, "cannot abort a transaction of " + transactionalId(partition)
                        + " (" + abortFailed.getMessage() + ") after: " + failure.getMessage(), failure);
            }
        }
    }

    private static boolean fenced(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof ProducerFencedException || cause instanceof InvalidProducerEpochException) {
                return true;
            }
        }
        return false;
    }

    /** Lets go of partitions that were taken away. */
    public void close(Collection<Integer> partitions) {
        partitions.forEach(this::close);
    }

    private void close(int partition) {
        KafkaProducer<String, SpecificRecord> producer = producers.remove(partition);
        if (producer != null) {
            try {
                producer.close(CLOSE);
            } catch (KafkaException e) {
                log.warn("closing the producer of {}: {}", transactionalId(partition), e.getMessage());
            }
        }
    }

    @Override
    public void close() {
        close(List.copyOf(producers.keySet()));
    }
}
