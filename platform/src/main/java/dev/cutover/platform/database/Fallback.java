package dev.cutover.platform.database;

/**
 * Whether a cutover of a database prepares reverse replication, under {@code cutover.databases.<name>.fallback}, so
 * that a fallback to the source after the target opened loses no write made there.
 *
 * @param prepare        the cutover's preflight creates the reverse publication and slot on the target (and refuses
 *                       the cutover when they cannot work), and its tidy-up subscribes the source to them; off by
 *                       default
 * @param targetConninfo how the source's apply worker logs in to the target (a libpq connection string, seen from
 *                       the source's host: host, port, dbname, user, and a password or a {@code passfile} on the
 *                       source's server); unset: the target's configured host, port, database, user and password
 */
public record Fallback(boolean prepare, String targetConninfo) {

    public Fallback {
        targetConninfo = targetConninfo == null || targetConninfo.isBlank() ? null : targetConninfo.strip();
    }

    /** Nothing configured: no reverse replication. */
    public static Fallback off() {
        return new Fallback(false, null);
    }
}
