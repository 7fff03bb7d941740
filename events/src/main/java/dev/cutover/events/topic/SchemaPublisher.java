package dev.cutover.events.topic;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;

import org.apache.avro.Schema;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.serialization.StringSerializer;

import dev.cutover.events.serde.Fingerprints;

/**
 * Publishes schemas to {@link Topics#SCHEMAS} so that consumers outside this codebase can resolve fingerprints.
 * Services call it at start-up with the schemas they write, typically {@code ReleasedSchemas.load().all()}; repeating
 * it is harmless because the topic is compacted by fingerprint.
 */
public final class SchemaPublisher {

    private final Producer<String, String> producer;

    /** The producer must use String serializers for key and value, like {@link Topics#SCHEMAS}. */
    public SchemaPublisher(Producer<String, String> producer) {
        this.producer = producer;
    }

    /**
     * Opens a producer from {@code producerConfig} (bootstrap servers, security; its serializers are replaced by String
     * ones), publishes the schemas with it and closes it: for a service's start-up, which needs no producer afterwards.
     *
     * @return how many distinct schemas were sent
     */
    public static int publish(Map<String, Object> producerConfig, Collection<Schema> schemas) {
        var config = new HashMap<>(producerConfig);
        // A transactional id would make every send fail outside a transaction; schemas need none.
        config.remove(ProducerConfig.TRANSACTIONAL_ID_CONFIG);
        // The topic is compacted by fingerprint, so a duplicate does no harm; an idempotent producer was seen to
        // stall on OutOfOrderSequenceException against a freshly started broker, blocking a service's start-up.
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "false");
        try (var producer = new KafkaProducer<>(config, new StringSerializer(), new StringSerializer())) {
            return new SchemaPublisher(producer).publish(schemas);
        } catch (KafkaException e) {
            if (e.getCause() instanceof TimeoutException) {
                throw new KafkaException("Kafka at " + config.get(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG) + " did not"
                        + " answer (" + e.getCause().getMessage() + "): check that the broker runs and that"
                        + " spring.kafka.bootstrap-servers (SPRING_KAFKA_BOOTSTRAP_SERVERS) names it", e);
            }
            throw e;
        }
    }

    /**
     * Sends every schema and waits until the broker has them all.
     *
     * @return how many distinct schemas were sent
     * @throws KafkaException if any could not be written
     */
    public int publish(Collection<Schema> schemas) {
        var records = records(schemas);
        if (records.isEmpty()) {
            return 0;
        }
        // The first alone: a user the broker does not let write the topic learns it from one refusal, not from one per
        // schema (a metadata round each, minutes of refusals in the log before the service gave up).
        await(records.getFirst(), producer.send(records.getFirst()));
        var sent = new ArrayList<Future<RecordMetadata>>(records.size());
        for (var record : records.subList(1, records.size())) {
            sent.add(producer.send(record));
        }
        producer.flush();
        for (int i = 0; i < sent.size(); i++) {
            await(records.get(i + 1), sent.get(i));
        }
        return records.size();
    }

    private static void await(ProducerRecord<String, String> record, Future<RecordMetadata> sent) {
        try {
            sent.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptException(e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof AuthorizationException refused) {
                throw new KafkaException("The broker does not let this service's Kafka user write "
                        + Topics.SCHEMAS.name() + " (" + refused.getMessage() + "): give the user the service's ACLs"
                        + " (WRITE and DESCRIBE on " + Topics.SCHEMAS.name() + " and its events topic, READ on what it"
                        + " consumes and on its groups; KafkaAccess.forService, docs/architecture.md, \"Security\"),"
                        + " or set cutover.kafka.sasl.username to a user that has them", refused);
            }
            throw new KafkaException("Cannot publish schema " + record.key() + " to " + Topics.SCHEMAS.name() + ": "
                    + e.getCause().getMessage(), e.getCause());
        }
    }

    /**
     * One record per distinct schema: key the fingerprint in hex, value the full schema JSON. The full form, not the
     * canonical one, because readers need the defaults and docs that the canonical form drops.
     */
    public static List<ProducerRecord<String, String>> records(Collection<Schema> schemas) {
        var byFingerprint = new LinkedHashMap<String, Schema>();
        schemas.forEach(schema -> byFingerprint.putIfAbsent(Fingerprints.hex(schema), schema));
        return byFingerprint.entrySet().stream()
                .map(entry -> new ProducerRecord<>(Topics.SCHEMAS.name(), entry.getKey(), entry.getValue().toString()))
                .toList();
    }
}
