package dev.cutover.events.serde;

import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/** The serializer and deserializer of cutover messages as one Kafka {@link Serde}. */
public class AvroMessageSerde implements Serde<SpecificRecord> {

    private final AvroMessageSerializer serializer = new AvroMessageSerializer();
    private final AvroMessageDeserializer deserializer;

    public AvroMessageSerde() {
        this(new AvroMessageDeserializer());
    }

    public AvroMessageSerde(AvroMessageDeserializer deserializer) {
        this.deserializer = deserializer;
    }

    @Override
    public Serializer<SpecificRecord> serializer() {
        return serializer;
    }

    @Override
    public Deserializer<SpecificRecord> deserializer() {
        return deserializer;
    }
}
