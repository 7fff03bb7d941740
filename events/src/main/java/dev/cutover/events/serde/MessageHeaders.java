package dev.cutover.events.serde;

/**
 * Kafka header names the serializer writes. They let tools route and filter without decoding; the fingerprint in the
 * payload stays authoritative.
 */
public final class MessageHeaders {

    /** The Avro full name of the message, e.g. {@code dev.cutover.events.FlipDns}, UTF-8. */
    public static final String TYPE = "cutover-type";

    /** The writer schema's CRC-64-AVRO fingerprint as 16 lower-case hex digits, UTF-8; see {@link Fingerprints}. */
    public static final String FINGERPRINT = "cutover-fingerprint";

    private MessageHeaders() {
    }
}
