package dev.cutover.sandbox.rehearsal;

/** How the rehearsal's client finds the database behind its DNS name. */
public enum ClientDns {

    /** A HikariCP pool, the JVM caching each answer for the record's TTL: a JVM service. */
    TTL,

    /**
     * No cache and no pool: every worker keeps one connection, resolves the name on every connect and reconnects after
     * any failure, as libpq applications do.
     */
    NONE;

    public static ClientDns parse(String value) {
        return switch (value) {
            case "ttl" -> TTL;
            case "none" -> NONE;
            default -> throw new IllegalArgumentException("--client-dns is ttl or none, not '" + value + "'");
        };
    }
}
