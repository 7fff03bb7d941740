package dev.cutover.events.serde;

import java.util.OptionalLong;

import org.apache.kafka.common.errors.SerializationException;

/**
 * A payload that cannot become a cutover message. Thrown instead of returning null so that a consumer's error
 * handler sees it (and can dead-letter it) rather than the message silently disappearing.
 */
public class UndecodableMessageException extends SerializationException {

    private final String topic;
    private final String typeHeader;
    private final Long fingerprint;

    UndecodableMessageException(String topic, String typeHeader, Long fingerprint, String problem, Throwable cause) {
        super(describe(topic, typeHeader, fingerprint, problem), cause);
        this.topic = topic;
        this.typeHeader = typeHeader;
        this.fingerprint = fingerprint;
    }

    public String topic() {
        return topic;
    }

    /** The {@code cutover-type} header, or null when the record had none. */
    public String typeHeader() {
        return typeHeader;
    }

    /** The writer schema fingerprint read from the payload, if the payload was long enough to hold one. */
    public OptionalLong fingerprint() {
        return fingerprint == null ? OptionalLong.empty() : OptionalLong.of(fingerprint);
    }

    private static String describe(String topic, String typeHeader, Long fingerprint, String problem) {
        var text = new StringBuilder("Cannot decode a message from topic '").append(topic).append('\'');
        if (typeHeader != null) {
            text.append(", ").append(MessageHeaders.TYPE).append(" '").append(typeHeader).append('\'');
        }
        if (fingerprint != null) {
            text.append(", schema fingerprint 0x").append(Fingerprints.hex(fingerprint));
        }
        return text.append(": ").append(problem).toString();
    }
}
