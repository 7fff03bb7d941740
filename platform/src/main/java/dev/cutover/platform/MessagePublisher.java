package dev.cutover.platform;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.avro.specific.SpecificRecord;
import org.springframework.kafka.core.KafkaTemplate;

import dev.cutover.events.Messages;
import dev.cutover.events.Metadata;
import dev.cutover.events.MetadataFactory;
import dev.cutover.events.topic.Topics;

/**
 * Writes commands and events to their topic and makes their metadata. Sends are synchronous: a
 * participant reports a fact only once the broker has it, so nothing is acknowledged that the log lacks.
 */
public class MessagePublisher {

    private final KafkaTemplate<String, SpecificRecord> template;
    private final MetadataFactory metadata;

    public MessagePublisher(KafkaTemplate<String, SpecificRecord> template, String producer, Clock clock) {
        this.template = template;
        this.metadata = new MetadataFactory(producer, clock);
    }

    /** Sends to the topic the message's kind belongs to, keyed by its cutover, migration or database. */
    public void publish(SpecificRecord message) {
        publishAll(List.of(message));
    }

    /**
     * {@link #publish} for several messages, committed together ({@link #atomically}). They are all sent before the
     * first acknowledgement is awaited, so a decision of many messages costs one round trip to the broker, not one per
     * message; every one is acknowledged before this returns, so a failure surfaces here, not at the commit.
     */
    public void publishAll(List<? extends SpecificRecord> messages) {
        atomically(() -> {
            List<CompletableFuture<?>> sent = new ArrayList<>();
            for (SpecificRecord message : messages) {
                sent.add(template.send(topicFor(message), keyOf(metadataOf(message)), message));
            }
            for (int i = 0; i < sent.size(); i++) {
                await(sent.get(i), messages.get(i));
            }
        });
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
            template.executeInTransaction(t -> {
                sends.run();
                return null;
            });
        } else {
            sends.run();
        }
    }

    /** Metadata for a message that answers {@code cause}: same cutover, migration and database. */
    public Metadata answering(Metadata cause) {
        return metadata.answering(cause);
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
        return Messages.isCommand(type) ? Topics.COMMANDS.name() : Topics.EVENTS.name();
    }

    /** A message's type and id, for log lines and error messages. */
    public static String describe(SpecificRecord message) {
        return message.getSchema().getName() + " " + metadataOf(message).getMessageId();
    }
}
