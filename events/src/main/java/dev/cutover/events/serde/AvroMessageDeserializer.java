package dev.cutover.events.serde;

import java.io.ByteArrayInputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

import org.apache.avro.message.BinaryMessageDecoder;
import org.apache.avro.message.SchemaStore;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.Deserializer;

import dev.cutover.events.Messages;
import dev.cutover.events.Messages.MessageType;

/**
 * Reads a cutover message written by any released version of its schema into the current generated class.
 *
 * <p>The fingerprint in the payload decides the writer schema and so the type; the {@link MessageHeaders} are
 * optional, but a header that contradicts the payload is an error, because a tool that routed on it would have
 * routed wrongly. A null payload is a Kafka tombstone and yields null; every other problem throws
 * {@link UndecodableMessageException}.
 */
public class AvroMessageDeserializer implements Deserializer<SpecificRecord> {

    private static final int HEADER_LENGTH = 10;
    private static final byte MAGIC_0 = (byte) 0xC3;
    private static final byte MAGIC_1 = (byte) 0x01;

    private final SchemaStore schemas;
    private final Map<Class<?>, BinaryMessageDecoder<SpecificRecord>> decoders = new ConcurrentHashMap<>();
    /** One Kafka consumer, one thread, uses an instance: no need for more than a plain flag. */
    private boolean warmed;

    /** Resolves writer schemas from {@link ReleasedSchemas#load()}; the constructor Kafka's config uses. */
    public AvroMessageDeserializer() {
        this(ReleasedSchemas.load());
    }

    public AvroMessageDeserializer(SchemaStore schemas) {
        this.schemas = Objects.requireNonNull(schemas, "schemas");
    }

    @Override
    public SpecificRecord deserialize(String topic, byte[] payload) {
        return decode(topic, null, null, payload);
    }

    @Override
    public SpecificRecord deserialize(String topic, Headers headers, byte[] payload) {
        return decode(topic, header(headers, MessageHeaders.TYPE), header(headers, MessageHeaders.FINGERPRINT), payload);
    }

    @Override
    public SpecificRecord deserialize(String topic, Headers headers, ByteBuffer payload) {
        if (payload == null) {
            return null;
        }
        var bytes = new byte[payload.remaining()];
        payload.duplicate().get(bytes);
        return deserialize(topic, headers, bytes);
    }

    private SpecificRecord decode(String topic, String typeHeader, String fingerprintHeader, byte[] payload) {
        if (payload == null) {
            return null;
        }
        warmOnce();
        if (payload.length < 2 || payload[0] != MAGIC_0 || payload[1] != MAGIC_1) {
            throw new UndecodableMessageException(topic, typeHeader, null,
                    "the payload is not Avro single-object encoded (it must start with C3 01, it starts with "
                            + firstBytes(payload) + "); it was written by something other than cutover's serializer",
                    null);
        }
        if (payload.length < HEADER_LENGTH) {
            throw new UndecodableMessageException(topic, typeHeader, null,
                    "the payload is truncated: " + payload.length + " bytes, too short for the 10-byte single-object header",
                    null);
        }
        long fingerprint = ByteBuffer.wrap(payload, 2, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        var writer = schemas.findByFingerprint(fingerprint);
        if (writer == null) {
            throw new UndecodableMessageException(topic, typeHeader, fingerprint,
                    "upgrade this consumer: it does not know schema fingerprint 0x" + Fingerprints.hex(fingerprint)
                            + " (a newer writer, or a schema edited without keeping its released version)",
                    null);
        }
        if (typeHeader != null && !typeHeader.equals(writer.getFullName())) {
            throw new UndecodableMessageException(topic, typeHeader, fingerprint,
                    "the " + MessageHeaders.TYPE + " header contradicts the payload, whose fingerprint is "
                            + writer.getFullName() + "; the producer sets headers by hand or the record was altered",
                    null);
        }
        if (fingerprintHeader != null && !fingerprintHeader.equalsIgnoreCase(Fingerprints.hex(fingerprint))) {
            throw new UndecodableMessageException(topic, typeHeader, fingerprint,
                    "the " + MessageHeaders.FINGERPRINT + " header says " + fingerprintHeader
                            + " but the payload was written with 0x" + Fingerprints.hex(fingerprint),
                    null);
        }
        var type = Messages.find(writer.getFullName()).orElseThrow(() -> new UndecodableMessageException(topic,
                typeHeader, fingerprint, writer.getFullName() + " is a released schema but no longer a message type "
                        + "this consumer knows; it needs a version that still lists it in Messages", null));
        return body(topic, typeHeader, fingerprint, type, payload);
    }

    private SpecificRecord body(String topic, String typeHeader, long fingerprint, MessageType type, byte[] payload) {
        var in = new ByteArrayInputStream(payload);
        SpecificRecord message;
        try {
            message = decoderFor(type).decode(in);
        } catch (Exception e) {
            // A cut or corrupted body surfaces as whatever Avro hit first: EOF, a bad union index, a negative length.
            throw new UndecodableMessageException(topic, typeHeader, fingerprint,
                    "the " + type.name() + " body is truncated or corrupt (" + e.getMessage() + ")", e);
        }
        if (in.available() > 0) {
            throw new UndecodableMessageException(topic, typeHeader, fingerprint,
                    "the " + type.name() + " body is corrupt: " + in.available()
                            + " bytes remain after a complete message",
                    null);
        }
        return message;
    }

    /**
     * Before the first message, reads a placeholder of every type, on the thread that reads the real ones (Avro keeps
     * its schema resolutions per thread): the first real message of a type then costs what any later one does, which
     * matters at the switch, where every hop meets types it has not read before (see {@link Placeholders}).
     */
    private void warmOnce() {
        if (warmed) {
            return;
        }
        warmed = true;
        AvroMessageSerializer writer = new AvroMessageSerializer();
        for (SpecificRecord placeholder : Placeholders.ofEveryType()) {
            try {
                decode("warm-up", null, null, writer.serialize("warm-up", placeholder));
            } catch (RuntimeException e) {
                // Best effort: this type warms on first use instead.
            }
        }
    }

    private BinaryMessageDecoder<SpecificRecord> decoderFor(MessageType type) {
        return decoders.computeIfAbsent(type.javaClass(),
                ignored -> new BinaryMessageDecoder<>(SpecificData.getForSchema(type.schema()), type.schema(), schemas));
    }

    private static String header(Headers headers, String name) {
        if (headers == null) {
            return null;
        }
        var header = headers.lastHeader(name);
        return header == null || header.value() == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    private static String firstBytes(byte[] payload) {
        var shown = Math.min(payload.length, 4);
        if (shown == 0) {
            return "nothing (empty payload)";
        }
        var text = new StringBuilder();
        for (int i = 0; i < shown; i++) {
            text.append(i == 0 ? "" : " ").append(String.format("%02X", payload[i]));
        }
        return text.toString();
    }
}
