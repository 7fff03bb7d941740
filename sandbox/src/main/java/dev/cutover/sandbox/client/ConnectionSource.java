package dev.cutover.sandbox.client;

import java.sql.Connection;
import java.sql.SQLException;
import javax.sql.DataSource;

/** Where a worker gets the connection for one attempt; closing what it returns hands the connection back. */
interface ConnectionSource extends AutoCloseable {

    Connection connection() throws SQLException;

    /** The attempt on the last connection failed: whatever it was is not used again. */
    void failed();

    @Override
    void close();

    /** HikariCP's pool: it evicts a broken connection itself and opens a new one through the name. */
    static ConnectionSource pooled(DataSource pool) {
        return new ConnectionSource() {
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
