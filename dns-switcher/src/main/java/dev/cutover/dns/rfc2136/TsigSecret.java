package dev.cutover.dns.rfc2136;

import java.util.Arrays;
import java.util.Base64;

/**
 * The TSIG key's secret bytes. Deliberately not a record: its toString, and every message built from
 * it, says "redacted", so the secret cannot reach a log, an exception or an event by accident.
 */
public final class TsigSecret {

    private final byte[] bytes;

    private TsigSecret(byte[] bytes) {
        this.bytes = bytes;
    }

    /** Decodes a base64 secret; {@code origin} names where it came from, for the error message. */
    public static TsigSecret parse(String base64, String origin) {
        byte[] decoded;
        try {
            decoded = Base64.getDecoder().decode(base64.strip());
        } catch (IllegalArgumentException e) {
            // The decoder's message would quote the offending character of the secret; ours does not.
            throw new IllegalStateException("the TSIG secret in " + origin + " is not valid base64");
        }
        if (decoded.length == 0) {
            throw new IllegalStateException("the TSIG secret in " + origin + " is empty");
        }
        return new TsigSecret(decoded);
    }

    byte[] bytes() {
        return Arrays.copyOf(bytes, bytes.length);
    }

    @Override
    public String toString() {
        return "TsigSecret[redacted]";
    }
}
