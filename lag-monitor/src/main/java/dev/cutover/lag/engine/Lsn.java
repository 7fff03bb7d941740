package dev.cutover.lag.engine;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A position in PostgreSQL's write-ahead log, as PostgreSQL prints it ({@code 16/B374D848}).
 *
 * @param value the 64-bit position; compared unsigned because PostgreSQL's {@code pg_lsn} is unsigned
 */
public record Lsn(long value) implements Comparable<Lsn> {

    private static final Pattern TEXT = Pattern.compile("([0-9A-Fa-f]{1,8})/([0-9A-Fa-f]{1,8})");

    /** Parses PostgreSQL's text form; anything else is a caller's mistake worth a clear message. */
    public static Lsn parse(String text) {
        if (text == null) {
            throw new IllegalArgumentException("an LSN is required, e.g. 0/3000060");
        }
        Matcher matcher = TEXT.matcher(text.strip());
        if (!matcher.matches()) {
            throw new IllegalArgumentException("'" + text + "' is not an LSN: expected the form 0/3000060 "
                    + "(two hexadecimal halves, as pg_current_wal_lsn() prints)");
        }
        return new Lsn(Long.parseUnsignedLong(matcher.group(1), 16) << 32 | Long.parseUnsignedLong(matcher.group(2), 16));
    }

    /** {@code null} for {@code null}: the catalogs leave positions empty until replication reports one. */
    public static Lsn parseOrNull(String text) {
        return text == null ? null : parse(text);
    }

    public boolean isAtOrAfter(Lsn other) {
        return compareTo(other) >= 0;
    }

    /** Bytes of WAL from {@code earlier} to this position; negative when {@code earlier} is in fact later. */
    public long bytesAfter(Lsn earlier) {
        return value - earlier.value;
    }

    @Override
    public int compareTo(Lsn other) {
        return Long.compareUnsigned(value, other.value);
    }

    @Override
    public String toString() {
        return Long.toHexString(value >>> 32).toUpperCase() + "/" + Long.toHexString(value & 0xFFFFFFFFL).toUpperCase();
    }
}
