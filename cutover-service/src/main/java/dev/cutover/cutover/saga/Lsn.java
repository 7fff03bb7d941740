package dev.cutover.cutover.saga;

import java.util.regex.Pattern;

/**
 * A PostgreSQL write-ahead log position, written {@code X/Y} in hexadecimal as {@code pg_current_wal_lsn()} prints it.
 * The 64-bit value is unsigned, so positions compare as unsigned numbers.
 */
public record Lsn(long value) implements Comparable<Lsn> {

    private static final Pattern TEXT = Pattern.compile("([0-9A-Fa-f]{1,8})/([0-9A-Fa-f]{1,8})");

    public Lsn {
        if (value == 0) {
            // 0/0 is InvalidXLogRecPtr: a participant reporting it has read nothing from the server.
            throw new IllegalArgumentException("LSN 0/0 is PostgreSQL's invalid position");
        }
    }

    public static Lsn parse(String text) {
        Text.notBlank(text, "LSN");
        var match = TEXT.matcher(text);
        if (!match.matches()) {
            throw new IllegalArgumentException("LSN must look like 16/B374D848, was '" + text + "'");
        }
        long high = Long.parseLong(match.group(1), 16);
        long low = Long.parseLong(match.group(2), 16);
        return new Lsn(high << 32 | low);
    }

    public boolean isBefore(Lsn other) {
        return compareTo(other) < 0;
    }

    @Override
    public int compareTo(Lsn other) {
        return Long.compareUnsigned(value, other.value);
    }

    @Override
    public String toString() {
        return Long.toHexString(value >>> 32).toUpperCase() + "/" + Long.toHexString(value & 0xFFFF_FFFFL).toUpperCase();
    }
}
