package dev.cutover.replicator.postgres;

import dev.cutover.platform.database.Endpoint;

/**
 * The libpq connection string one server's apply worker logs in to the other with. It holds the password, because
 * the apply worker runs on the other server and reads no file of ours; PostgreSQL shows {@code subconninfo} to
 * superusers only.
 */
public final class Conninfo {

    private Conninfo() {
    }

    /** How a subscriber logs in to {@code publisher}: its host, port, database, administrative user and password. */
    public static String of(Endpoint publisher) {
        return "host=" + Sql.conninfoValue(publisher.host()) + " port=" + publisher.port()
                + " dbname=" + Sql.conninfoValue(publisher.database()) + " user=" + Sql.conninfoValue(publisher.user())
                + " password=" + Sql.conninfoValue(publisher.resolvePassword());
    }

    /** {@code message} without {@code publisher}'s password, which a failed CREATE SUBSCRIPTION may repeat. */
    public static String redact(String message, Endpoint publisher) {
        if (message == null) {
            return null;
        }
        String password = publisher.resolvePassword();
        return password == null || password.isEmpty() ? message : message.replace(password, "********");
    }
}
