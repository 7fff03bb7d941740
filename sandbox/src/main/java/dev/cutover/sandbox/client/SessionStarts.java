package dev.cutover.sandbox.client;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import java.util.WeakHashMap;

import org.postgresql.PGConnection;

/**
 * When the server started each session a worker writes on, asked once per session. It tells a write on a session
 * that outlived the fence (the fence's breach) from one on a session that logged in after a rollback reopened the
 * source: a role locked with NOLOGIN cannot log in at all, so a session the source started after the fence had
 * finished can only have logged in once the role was open again, whatever the client's or the fence's timing.
 * Through PgBouncer the session the client holds is not the server's, so nothing is known there.
 */
final class SessionStarts {

    /** Not known: such a write is judged as if its session were older than the fence. */
    static final long UNKNOWN = Long.MIN_VALUE;

    private final boolean known;
    /** By the driver's own connection, which a pool hands out again and again behind proxies of its own. */
    private final Map<PGConnection, Long> startedAt = new WeakHashMap<>();

    /** @param known whether a connection's session is the server's own (not PgBouncer's) */
    SessionStarts(boolean known) {
        this.known = known;
    }

    /** The session's start on the server, in epoch milliseconds, or {@link #UNKNOWN}. */
    long of(Connection connection) {
        if (!known) {
            return UNKNOWN;
        }
        try {
            PGConnection session = connection.unwrap(PGConnection.class);
            Long started = startedAt.get(session);
            if (started == null) {
                try (Statement query = connection.createStatement();
                        ResultSet rs = query.executeQuery("select (extract(epoch from backend_start) * 1000)::bigint"
                                + " from pg_stat_activity where pid = pg_backend_pid()")) {
                    started = rs.next() ? rs.getLong(1) : UNKNOWN;
                }
                startedAt.put(session, started);
            }
            return started;
        } catch (SQLException e) {
            // A connection that broke here fails its write next; a pool that hides the driver's connection tells nothing.
            return UNKNOWN;
        }
    }
}
