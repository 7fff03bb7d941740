package dev.cutover.platform.database;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Keeps one idle administrative connection per server for steps that run while every application write waits: a
 * login (SCRAM) costs tens of milliseconds of CPU on a busy host, paid again by every command that connects anew.
 * A connection serves one lease at a time and must be left as it was found (autocommit on, no session settings);
 * one that no longer answers is replaced by a new login.
 */
public final class WarmConnections implements AutoCloseable {

    private final Map<Endpoint, Connection> idle = new ConcurrentHashMap<>();
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
        Connection connection = idle.remove(endpoint);
        if (connection != null && connection.isValid(1)) {
            return new Lease(endpoint, connection);
        }
        closeQuietly(connection);
        return new Lease(endpoint, endpoint.connect());
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
        if (closed || idle.putIfAbsent(endpoint, connection) != null) {
            closeQuietly(connection);
        }
    }

    @Override
    public void close() {
        closed = true;
        warming.shutdownNow();
        idle.values().forEach(WarmConnections::closeQuietly);
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
