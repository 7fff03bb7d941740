package dev.cutover.events.serde;

import java.util.HexFormat;

import org.apache.avro.Schema;
import org.apache.avro.SchemaNormalization;

/**
 * The CRC-64-AVRO fingerprint single-object encoding puts in every payload, and its one text form (16 lower-case hex
 * digits, most significant first) used in headers, as the key of {@code cutover.schemas} and in error messages.
 */
public final class Fingerprints {

    private Fingerprints() {
    }

    public static long of(Schema schema) {
        return SchemaNormalization.parsingFingerprint64(schema);
    }

    public static String hex(long fingerprint) {
        return HexFormat.of().toHexDigits(fingerprint);
    }

    public static String hex(Schema schema) {
        return hex(of(schema));
    }
}
