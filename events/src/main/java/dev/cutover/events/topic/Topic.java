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
 * @param configs topic-level configuration (e.g. {@code retention.ms}); copied, so the topic cannot change later
 */
public record Topic<K, V>(String name, Serde<K> keySerde, Serde<V> valueSerde, Map<String, String> configs) {

    public Topic {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("A topic needs a name, was " + name);
        }
        Objects.requireNonNull(keySerde, "keySerde");
        Objects.requireNonNull(valueSerde, "valueSerde");
        configs = Map.copyOf(configs);
    }

    /** The admin request to create this topic with its configuration. */
    public NewTopic newTopic(int partitions, short replicationFactor) {
        return new NewTopic(name, partitions, replicationFactor).configs(configs);
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
