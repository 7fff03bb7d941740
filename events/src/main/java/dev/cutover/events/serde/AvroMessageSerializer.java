package dev.cutover.events.serde;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

import org.apache.avro.Schema;
import org.apache.avro.message.BinaryMessageEncoder;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.Serializer;

import dev.cutover.events.Messages;

/**
 * Writes a cutover message as Avro single-object encoding ({@code C3 01}, 8-byte fingerprint, binary body) and, when
 * the record has headers, names its type and fingerprint in {@link MessageHeaders}. Thread-safe and stateless from
 * Kafka's point of view, so one instance can serve many producers.
 */
public class AvroMessageSerializer implements Serializer<SpecificRecord> {

    /** Depends on the schema alone, so shared by every instance (Kafka makes one per producer). */
    private static final Map<Schema, Encoding> ENCODINGS = new ConcurrentHashMap<>();
    private static final AtomicBoolean WARMED = new AtomicBoolean();

    /**
     * Writes a placeholder of every message type once per JVM, on the first call: the first real message of a type
     * then costs what any later one does (see {@link Placeholders}).
     */
    static void warm() {
        if (!WARMED.get() && WARMED.compareAndSet(false, true)) {
            for (SpecificRecord placeholder : Placeholders.ofEveryType()) {
                try {
                    encode("warm-up", placeholder, ENCODINGS.computeIfAbsent(placeholder.getSchema(), Encoding::new));
                } catch (SerializationException e) {
                    // Best effort: this type warms on first use instead.
                }
            }
        }
    }

    @Override
    public byte[] serialize(String topic, SpecificRecord message) {
        if (message == null) {
            return null;
        }
        return encode(topic, message, encodingOf(topic, message));
    }

    @Override
    public byte[] serialize(String topic, Headers headers, SpecificRecord message) {
        if (message == null) {
            return null;
        }
        var encoding = encodingOf(topic, message);
        var payload = encode(topic, message, encoding);
        if (headers != null) {
            setHeader(headers, MessageHeaders.TYPE, encoding.typeHeader());
            setHeader(headers, MessageHeaders.FINGERPRINT, encoding.fingerprintHeader());
        }
        return payload;
    }

    /**
     * Sending the same ProducerRecord again serializes it again, and by then Kafka has made its headers read-only:
     * leave a header that is already right alone, and replace rather than pile up one that is not.
     */
    private static void setHeader(Headers headers, String name, byte[] value) {
        var present = headers.headers(name).iterator();
        if (present.hasNext() && Arrays.equals(present.next().value(), value) && !present.hasNext()) {
            return;
        }
        headers.remove(name).add(name, value);
    }

    private Encoding encodingOf(String topic, SpecificRecord message) {
        var schema = message.getSchema();
        if (Messages.find(schema.getFullName()).isEmpty()) {
            throw new SerializationException("Cannot write " + schema.getFullName() + " to topic '" + topic
                    + "': it is not a cutover message type (see Messages.all()), so no consumer could read it");
        }
        warm();
        return ENCODINGS.computeIfAbsent(schema, Encoding::new);
    }

    private static byte[] encode(String topic, SpecificRecord message, Encoding encoding) {
        try {
            ByteBuffer buffer = encoding.encoder().encode(message);
            var bytes = new byte[buffer.remaining()];
            buffer.get(bytes);
            return bytes;
        } catch (Exception e) {
            // Avro reports a missing required value as a bare NullPointerException or AvroRuntimeException.
            throw new SerializationException("Cannot write " + message.getSchema().getFullName() + " to topic '" + topic
                    + "': " + e, e);
        }
    }

    private record Encoding(BinaryMessageEncoder<SpecificRecord> encoder, byte[] typeHeader, byte[] fingerprintHeader) {

        Encoding(Schema schema) {
            this(new BinaryMessageEncoder<>(SpecificData.getForSchema(schema), schema),
                    schema.getFullName().getBytes(StandardCharsets.UTF_8),
                    Fingerprints.hex(schema).getBytes(StandardCharsets.UTF_8));
        }
    }
}
