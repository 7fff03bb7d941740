package dev.cutover.cutover.runner;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.InvalidProducerEpochException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;

import dev.cutover.platform.MessagePublisher;

/**
 * Writes the decisions that no consumed message starts (deadlines, lag reports) for the sagas of one partition, each
 * in a Kafka transaction of a producer whose {@code transactional.id} names the saga kind and the partition:
 * {@code <group>-<partition>}, the same on every instance. Opening the partition on the instance that has just been
 * given it makes the broker abort the former owner's open transaction and refuse every later one ("fenced"), so an
 * instance that lost a partition without noticing yet (paused, cut off from the group coordinator) cannot commit a
 * decision about a saga it no longer owns. Decisions that answer a consumed message need none of this: they commit
 * with the consumed offset and the consumer's group generation, which the broker checks.
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
            KafkaProducer<String, SpecificRecord> producer = new KafkaProducer<>(own);
            try {
                producer.initTransactions();
            } catch (RuntimeException e) {
                producer.close(CLOSE);
                throw new IllegalStateException("cannot take over transactional id " + transactionalId(partition)
                        + " at spring.kafka.bootstrap-servers: " + e.getMessage(), e);
            }
            producers.put(partition, producer);
        }
    }

    /**
     * Publishes {@code messages} in one transaction: all or none.
     *
     * @throws PartitionLost when another instance has opened the partition since
     */
    public void write(int partition, List<SpecificRecord> messages) {
        KafkaProducer<String, SpecificRecord> producer = producers.get(partition);
        if (producer == null) {
            throw new PartitionLost(partition, "partition " + partition + " is not open on this instance", null);
        }
        try {
            producer.beginTransaction();
            for (SpecificRecord message : messages) {
                producer.send(new ProducerRecord<>(MessagePublisher.topicFor(message),
                        MessagePublisher.keyOf(MessagePublisher.metadataOf(message)), message));
            }
            producer.commitTransaction();
        } catch (ProducerFencedException | InvalidProducerEpochException e) {
            close(partition);
            throw new PartitionLost(partition, transactionalId(partition) + " was taken over by another instance",
                    e);
        } catch (KafkaException e) {
            try {
                producer.abortTransaction();
            } catch (KafkaException abortFailed) {
                // A producer that cannot abort is unusable; the next decision finds the partition closed.
                close(partition);
                throw new PartitionLost(partition, "cannot abort a transaction of " + transactionalId(partition)
                        + ": " + abortFailed.getMessage(), e);
            }
            throw new IllegalStateException("Kafka did not take a decision for partition " + partition
                    + ": check that the broker at spring.kafka.bootstrap-servers is reachable: " + e.getMessage(), e);
        }
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
