package dev.cutover.cutover.saga;

import java.nio.charset.StandardCharsets;

/** A PostgreSQL database name as the server accepts it. */
public record DatabaseName(String value) {

    /** PostgreSQL's NAMEDATALEN is 64 bytes including the terminator; longer names are silently truncated. */
    private static final int MAX_BYTES = 63;

    public DatabaseName {
        Text.name(value, "database name", MAX_BYTES);
        if (value.getBytes(StandardCharsets.UTF_8).length > MAX_BYTES) {
            throw new IllegalArgumentException(
                    "database name must be at most " + MAX_BYTES + " bytes in UTF-8: " + value);
        }
    }

    @Override
    public String toString() {
        return value;
    }
}
