package dev.cutover.events.topic;

import java.util.Map;
import java.util.Objects;
import java.util.Optional;

import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.serialization.Serde;

/**
 * A Kafka topic with the serdes its keys and values must use and the configuration it is created with, so that a name
 * is never paired with the wrong serde.
 *
 * @param configs    topic-level configuration (e.g. {@code retention.ms}); copied, so the topic cannot change later
 * @param partitions the partitions the topic needs whatever the deployment's setting, or 0 to take that setting
 */
public record Topic<K, V>(String name, Serde<K> keySerde, Serde<V> valueSerde, Map<String, String> configs,
        int partitions) {

    public Topic {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("A topic needs a name, was " + name);
        }
        Objects.requireNonNull(keySerde, "keySerde");
        Objects.requireNonNull(valueSerde, "valueSerde");
        configs = Map.copyOf(configs);
        if (partitions < 0) {
            throw new IllegalArgumentException("A topic cannot have " + partitions + " partitions");
        }
    }

    /** A topic with as many partitions as the deployment configures for all. */
    public Topic(String name, Serde<K> keySerde, Serde<V> valueSerde, Map<String, String> configs) {
        this(name, keySerde, valueSerde, configs, 0);
    }

    /**
     * The admin request to create this topic with its configuration, and {@code configured} partitions unless the
     * topic needs its own number.
     */
    public NewTopic newTopic(int configured, short replicationFactor) {
        return new NewTopic(name, partitions > 0 ? partitions : configured, replicationFactor).configs(configs);
    }

    /** The admin request to create this topic with the broker's default partitions and replication factor. */
    public NewTopic newTopic() {
        return new NewTopic(name, Optional.empty(), Optional.empty()).configs(configs);
    }

    @Override
    public String toString() {
        return name;
    }
}
