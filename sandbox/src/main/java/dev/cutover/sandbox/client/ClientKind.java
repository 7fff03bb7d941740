package dev.cutover.sandbox.client;

/** How each application instance of a fleet reaches the database ({@code --client}). */
public enum ClientKind {

    /** A HikariCP pool on the DNS name, as applications are written today. */
    PLAIN,

    /** The same pool made by cutover-client: it follows the cutover's events, holds, and connects to the target's address. */
    STARTER,

    /** A HikariCP pool on a PgBouncer that the cutover repoints; the DNS name is not used. */
    PGBOUNCER;

    public static ClientKind parse(String value) {
        return switch (value) {
            case "plain" -> PLAIN;
            case "starter" -> STARTER;
            case "pgbouncer" -> PGBOUNCER;
            default -> throw new IllegalArgumentException("--client is plain, starter or pgbouncer, not '" + value + "'");
        };
    }

    public String option() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
