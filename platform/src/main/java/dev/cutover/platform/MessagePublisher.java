package dev.cutover.platform;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.KafkaException;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.kafka.core.DefaultKafkaProducerFactory;
import org.springframework.kafka.core.KafkaTemplate;

import dev.cutover.events.Messages;
import dev.cutover.events.Metadata;
import dev.cutover.events.MetadataFactory;
import dev.cutover.events.topic.Topics;

/**
 * Writes commands and events to their topic and makes their metadata. {@link #publish} and {@link #publishAll} return
 * once the broker has every message: a participant reports a fact only once the broker has it, so nothing is
 * acknowledged that the log lacks. {@link #sendAll} leaves the wait to its caller or to the caller's transaction.
 */
public class MessagePublisher {

    private final KafkaTemplate<String, SpecificRecord> template;
    private final MetadataFactory metadata;
    /** The producers this publisher made itself ({@link #withoutTransactions}), closed with it; else null. */
    private final DefaultKafkaProducerFactory<String, SpecificRecord> owned;

    public MessagePublisher(KafkaTemplate<String, SpecificRecord> template, String producer, Clock clock) {
        this(template, producer, clock, null);
    }

    private MessagePublisher(KafkaTemplate<String, SpecificRecord> template, String producer, Clock clock,
            DefaultKafkaProducerFactory<String, SpecificRecord> owned) {
        this.template = template;
        this.metadata = new MetadataFactory(producer, clock);
        this.owned = owned;
    }

    /**
     * A publisher of its own, without transactions, for a participant inside a transactional service: its answers are
     * acknowledged one by one and visible as soon as the broker has them, not at the end of a transaction. Its
     * commands must be idempotent, since one redelivered after a crash is carried out again.
     */
    public static MessagePublisher withoutTransactions(KafkaProperties kafka, String producer, Clock clock) {
        Map<String, Object> config = kafka.buildProducerProperties();
        config.remove(ProducerConfig.TRANSACTIONAL_ID_CONFIG);
        DefaultKafkaProducerFactory<String, SpecificRecord> factory = new DefaultKafkaProducerFactory<>(config);
        return new MessagePublisher(new KafkaTemplate<>(factory), producer, clock, factory);
    }

    /**
     * Readies the producer of a publisher made by {@link #withoutTransactions} in the background: connected, with its
     * topics' metadata and a producer id, so that its first answer does not pay for them (tens of milliseconds on a
     * busy broker, at the switch). Call it once the service's topics exist: asking for a topic's metadata may create it.
     */
    public void warm() {
        if (owned == null) {
            return;
        }
        new WarmProducers(owned, 1).warm();
    }

    /** Closes the producers of a publisher made by {@link #withoutTransactions}; nothing otherwise. */
    public void close() {
        if (owned != null) {
            owned.destroy();
        }
    }

    /** Sends to the topic the message's kind belongs to, keyed by its cutover, migration or database. */
    public void publish(SpecificRecord message) {
        publishAll(List.of(message));
    }

    /**
     * {@link #publish} for several messages, committed together ({@link #atomically}). They are all sent before the
     * first acknowledgement is awaited, so a decision of many messages costs one round trip to the broker, not one per
     * message; every one is acknowledged before this returns, so a failure surfaces here, not at a commit.
     */
    public void publishAll(List<? extends SpecificRecord> messages) {
        atomically(() -> sendAll(messages).await());
    }

    /**
     * Sends without waiting, in the caller's Kafka transaction. The acknowledgements can be awaited ({@link Sent#await}),
     * or left to the transaction's commit, which waits for every one and fails if a send did.
     */
    public Sent sendAll(List<? extends SpecificRecord> messages) {
        List<CompletableFuture<?>> acks = new ArrayList<>();
        for (SpecificRecord message : messages) {
            try {
                acks.add(template.send(topicFor(message), keyOf(metadataOf(message)), message));
            } catch (KafkaException | org.springframework.kafka.KafkaException e) {
                // Refused at once: by a producer whose transaction already failed, or (Spring's "Send failed") by a
                // broker whose answer, a refusal of this user or a record too large, came before send returned.
                throw new PublishFailed("Kafka did not accept " + describe(message) + " on " + topicFor(message)
                        + ": " + e.getMessage(), e);
            }
        }
        return new Sent(List.copyOf(messages), acks);
    }

    /** Messages {@link #sendAll} sent, with the broker's acknowledgements still to come, in the same order. */
    public record Sent(List<SpecificRecord> messages, List<CompletableFuture<?>> acks) {

        /**
         * Waits for the broker to acknowledge every message.
         *
         * @throws PublishFailed for the first message the broker did not take
         */
        public void await() {
            for (int i = 0; i < acks.size(); i++) {
                MessagePublisher.await(acks.get(i), messages.get(i));
            }
        }
    }

    private static void await(CompletableFuture<?> sent, SpecificRecord message) {
        String topic = topicFor(message);
        try {
            sent.get(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PublishFailed("interrupted while sending " + describe(message), e);
        } catch (ExecutionException | TimeoutException e) {
            throw new PublishFailed("Kafka did not accept " + describe(message) + " on " + topic
                    + ": check that the broker at spring.kafka.bootstrap-servers is reachable", e);
        }
    }

    /**
     * Runs {@code sends} so that everything it publishes is committed together or not at all: inside the
     * current Kafka transaction (a transactional listener's), else in a new one, else (no transactions
     * configured) as plain sends.
     */
    public void atomically(Runnable sends) {
        if (template.isTransactional() && !template.inTransaction()) {
            try {
                template.executeInTransaction(t -> {
                    sends.run();
                    return null;
                });
            } catch (KafkaException e) {
                throw new PublishFailed("Kafka did not commit the messages: check that the broker at"
                        + " spring.kafka.bootstrap-servers is reachable (" + e.getMessage() + ")", e);
            }
        } else {
            sends.run();
        }
    }

    /** Metadata for a message that answers {@code cause}: same cutover, migration and database. */
    public Metadata answering(Metadata cause) {
        return metadata.answering(cause);
    }

    /**
     * Metadata for a reading of a database taken early because {@code cause} came (a lag report on a cutover's start):
     * keyed by the database as the readings of a timer are, so they stay in one order, and caused by it.
     */
    public Metadata observing(String database, Metadata cause) {
        return metadata.of(database, null, null, cause.getMessageId().toString());
    }

    /** Metadata for a message nobody asked for (a timer, a person): no causation. */
    public Metadata originating(String database, String cutoverId, String migrationId) {
        return metadata.of(database, cutoverId, migrationId, null);
    }


    /** The metadata every message carries. */
    public static Metadata metadataOf(SpecificRecord message) {
        int field = message.getSchema().getField("metadata").pos();
        return (Metadata) message.get(field);
    }

    /**
     * The Kafka key of a message: its cutover, else its migration, else its database. One saga's commands and events
     * share the key, so they land on the same partition number of {@code cutover.commands} and {@code cutover.events}.
     */
    public static String keyOf(Metadata metadata) {
        if (metadata.getCutoverId() != null) {
            return metadata.getCutoverId();
        }
        if (metadata.getMigrationId() != null) {
            return metadata.getMigrationId();
        }
        return metadata.getDatabase();
    }

    /** The topic a message's kind belongs to. */
    public static String topicFor(SpecificRecord message) {
        String type = message.getSchema().getFullName();
        if (type.equals(dev.cutover.events.LagReported.getClassSchema().getFullName())) {
            return Topics.LAG.name();
        }
        if (type.equals(dev.cutover.events.CopyLoadTask.getClassSchema().getFullName())) {
            return Topics.LOAD_TASKS.name();
        }
        if (type.equals(dev.cutover.events.LoadTaskDone.getClassSchema().getFullName())) {
            return Topics.LOAD_TASK_RESULTS.name();
        }
        return Messages.isCommand(type) ? Topics.COMMANDS.name() : Topics.EVENTS.name();
    }

    /** A message's type and id, for log lines and error messages. */
    public static String describe(SpecificRecord message) {
        return message.getSchema().getName() + " " + metadataOf(message).getMessageId();
    }
}
