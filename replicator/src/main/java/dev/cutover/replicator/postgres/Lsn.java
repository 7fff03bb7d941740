package dev.cutover.replicator.postgres;

/** A position in the source's write-ahead log, written by PostgreSQL as {@code 16/B374D848}. */
public record Lsn(long value) implements Comparable<Lsn> {

    public static Lsn parse(String text) {
        int slash = text == null ? -1 : text.indexOf('/');
        if (slash < 1 || slash == text.length() - 1) {
            throw new IllegalArgumentException("not an LSN (expected e.g. 16/B374D848): " + text);
        }
        long high = Long.parseUnsignedLong(text.substring(0, slash), 16);
        long low = Long.parseUnsignedLong(text.substring(slash + 1), 16);
        if (high > 0xFFFFFFFFL || low > 0xFFFFFFFFL) {
            throw new IllegalArgumentException("not an LSN (each half has at most 8 hex digits): " + text);
        }
        return new Lsn(high << 32 | low);
    }

    public boolean isAtLeast(Lsn other) {
        return compareTo(other) >= 0;
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
