package dev.cutover.platform.database;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import org.postgresql.PGConnection;

/**
 * Keeps one idle administrative connection per server for steps that run while every application write waits: a
 * login (SCRAM) costs tens of milliseconds of CPU on a busy host, paid again by every command that connects anew.
 * A connection serves one lease at a time and must be left as it was found (autocommit on, no session settings);
 * one that no longer answers is replaced by a new login.
 *
 * <p>Whether an idle connection still answers costs a round trip to the server ({@link Connection#isValid}), which on a
 * busy host at the switch is milliseconds the applications wait for. A connection handed back less than
 * {@link #RECENT} ago is only checked for what the server sent it meanwhile: a session the server ended (terminated,
 * shut down) has said so, or closed the socket, and is replaced; one idle for longer is asked.
 */
public final class WarmConnections implements AutoCloseable {

    static final Duration RECENT = Duration.ofSeconds(10);

    /** A connection waiting for its next lease, and since when (System.nanoTime). */
    private record Idle(Connection connection, long since) {

        boolean recent() {
            return System.nanoTime() - since < RECENT.toNanos();
        }
    }

    private final Map<Endpoint, Idle> idle = new ConcurrentHashMap<>();
    private final ExecutorService warming = Executors.newVirtualThreadPerTaskExecutor();
    private final boolean keeps;
    private volatile boolean closed;

    public WarmConnections() {
        this(true);
    }

    private WarmConnections(boolean keeps) {
        this.keeps = keeps;
    }

    /** Keeps nothing: every lease logs in and its close logs out, for a one-off use of code written for leases. */
    public static WarmConnections none() {
        return new WarmConnections(false);
    }

    /** A connection to {@code endpoint}, idle or new; closing the lease keeps it for the next one. */
    public Lease lease(Endpoint endpoint) throws SQLException {
        Idle waiting = idle.remove(endpoint);
        if (waiting != null && answers(waiting)) {
            return new Lease(endpoint, waiting.connection());
        }
        closeQuietly(waiting == null ? null : waiting.connection());
        return new Lease(endpoint, endpoint.connect());
    }

    private static boolean answers(Idle waiting) {
        Connection connection = waiting.connection();
        try {
            if (!waiting.recent() || !connection.isWrapperFor(PGConnection.class)) {
                return connection.isValid(1);
            }
            // Reads what the server sent while the connection was idle, without asking anything: an ended session's
            // error is thrown here.
            connection.unwrap(PGConnection.class).getNotifications();
            return !connection.isClosed();
        } catch (SQLException e) {
            return false;
        }
    }

    /** Logs in to {@code endpoint} in the background, unless a connection is already idle there. */
    public void warm(Endpoint endpoint) {
        if (!keeps || closed || idle.containsKey(endpoint)) {
            return;
        }
        warming.execute(() -> {
            try {
                keep(endpoint, endpoint.connect());
            } catch (SQLException | RuntimeException e) {
                // The step that needs it logs in itself and reports what is wrong.
            }
        });
    }

    private void keep(Endpoint endpoint, Connection connection) {
        if (closed || idle.putIfAbsent(endpoint, new Idle(connection, System.nanoTime())) != null) {
            closeQuietly(connection);
        }
    }

    @Override
    public void close() {
        closed = true;
        warming.shutdownNow();
        idle.values().forEach(waiting -> closeQuietly(waiting.connection()));
        idle.clear();
    }

    private static void closeQuietly(Connection connection) {
        if (connection == null) {
            return;
        }
        try {
            connection.close();
        } catch (SQLException e) {
            // Broken already: nothing to give back.
        }
    }

    /** One use of a connection; {@link #close} hands it back, or drops it when it was left in a transaction. */
    public final class Lease implements AutoCloseable {

        private final Endpoint endpoint;
        private final Connection connection;

        private Lease(Endpoint endpoint, Connection connection) {
            this.endpoint = endpoint;
            this.connection = connection;
        }

        public Connection connection() {
            return connection;
        }

        @Override
        public void close() {
            try {
                if (keeps && !connection.isClosed() && connection.getAutoCommit()) {
                    keep(endpoint, connection);
                    return;
                }
            } catch (SQLException e) {
                // Unusable: dropped below.
            }
            closeQuietly(connection);
        }
    }
}
