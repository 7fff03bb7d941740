package dev.cutover.ctl;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;

import org.apache.kafka.clients.consumer.ConsumerRecord;

import dev.cutover.ctl.replay.Decoded;
import dev.cutover.ctl.replay.LoggedRecord;
import dev.cutover.ctl.replay.Position;
import dev.cutover.ctl.replay.Undecodable;
import dev.cutover.events.serde.AvroMessageDeserializer;
import dev.cutover.events.serde.Fingerprints;

/**
 * Turns a raw record of a message topic into a decoded message, or into a note of why it is not one. Public for the
 * console, which reads the same topics the same way.
 */
public final class RecordDecoder {

    private final AvroMessageDeserializer deserializer = new AvroMessageDeserializer();

    public LoggedRecord decode(ConsumerRecord<byte[], byte[]> record) {
        var position = position(record);
        var key = key(record);
        if (record.value() == null) {
            return new Undecodable(position, key, "a tombstone (no value) where a message was expected");
        }
        try {
            var message = deserializer.deserialize(record.topic(), record.headers(), record.value());
            return new Decoded(position, key, message);
        } catch (RuntimeException e) {
            // Whatever the bytes are, the tool must go on reading the rest of the log: say what it was and move on.
            return new Undecodable(position, key, e.getMessage());
        }
    }

    static Position position(ConsumerRecord<?, ?> record) {
        return new Position(record.topic(), record.partition(), record.offset(), Instant.ofEpochMilli(record.timestamp()));
    }

    /** Keys are text on every cutover topic; bytes that are not UTF-8 are shown replaced rather than refused. */
    static String key(ConsumerRecord<byte[], ?> record) {
        return record.key() == null ? null : new String(record.key(), StandardCharsets.UTF_8);
    }

    /** The writer schema's fingerprint in a single-object payload ({@code C3 01}, then 8 bytes little-endian). */
    static String payloadFingerprint(byte[] payload) {
        if (payload == null || payload.length < 10 || payload[0] != (byte) 0xC3 || payload[1] != 0x01) {
            return null;
        }
        return Fingerprints.hex(ByteBuffer.wrap(payload, 2, 8).order(ByteOrder.LITTLE_ENDIAN).getLong());
    }
}
