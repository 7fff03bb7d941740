package dev.cutover.sandbox.client;

import java.sql.Connection;
import java.sql.SQLException;
import javax.sql.DataSource;

/** Where a worker gets the connection for one attempt; closing what it returns hands the connection back. */
interface ConnectionSource extends AutoCloseable {

    Connection connection() throws SQLException;

    /**
     * Whether a connection's session is the server's own, so that the server can say when it began
     * ({@link SessionStarts}); not through PgBouncer, whose server sessions the client never holds.
     */
    default boolean sessionsAreTheServers() {
        return true;
    }

    /** The attempt on the last connection failed: whatever it was is not used again. */
    void failed();

    @Override
    void close();

    /** HikariCP's pool: it evicts a broken connection itself and opens a new one through the name. */
    static ConnectionSource pooled(DataSource pool) {
        return pooled(pool, true);
    }

    /** A pool; {@code sessionsAreTheServers} false for one that reaches the database through PgBouncer. */
    static ConnectionSource pooled(DataSource pool, boolean sessionsAreTheServers) {
        return new ConnectionSource() {
            @Override
            public boolean sessionsAreTheServers() {
                return sessionsAreTheServers;
            }

            @Override
            public Connection connection() throws SQLException {
                return pool.getConnection();
            }

            @Override
            public void failed() {
            }

            @Override
            public void close() {
            }
        };
    }
}
