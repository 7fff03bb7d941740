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
import org.apache.kafka.common.errors.InterruptException;
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
        var sent = new ArrayList<Future<RecordMetadata>>(records.size());
        for (var record : records) {
            sent.add(producer.send(record));
        }
        producer.flush();
        for (int i = 0; i < sent.size(); i++) {
            try {
                sent.get(i).get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptException(e);
            } catch (ExecutionException e) {
                throw new KafkaException("Cannot publish schema " + records.get(i).key() + " to "
                        + Topics.SCHEMAS.name() + ": " + e.getCause().getMessage(), e.getCause());
            }
        }
        return records.size();
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
