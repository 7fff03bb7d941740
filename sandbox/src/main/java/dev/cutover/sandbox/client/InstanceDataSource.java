package dev.cutover.sandbox.client;

import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.logging.Logger;

import javax.sql.DataSource;

/**
 * The connections of one plain application instance's pool: PgJDBC to the address the instance's own DNS cache gives
 * for the name ({@link InstanceDns}), so that each instance of the fleet sees the flip when its own cache lets it.
 */
final class InstanceDataSource implements DataSource {

    private final ClientSettings settings;
    private final InstanceDns dns;
    private int loginTimeoutSeconds;

    InstanceDataSource(ClientSettings settings, InstanceDns dns) {
        this.settings = settings;
        this.dns = dns;
    }

    @Override
    public Connection getConnection() throws SQLException {
        String address;
        try {
            address = dns.address();
        } catch (IllegalStateException e) {
            throw new SQLException("could not resolve " + settings.host() + ": " + e.getMessage(), "08001", e);
        }
        java.util.Properties properties = settings.driverProperties();
        if (loginTimeoutSeconds > 0) {
            properties.setProperty("loginTimeout", Integer.toString(loginTimeoutSeconds));
        }
        return DriverManager.getConnection(settings.jdbcUrlAt(address), properties);
    }

    @Override
    public Connection getConnection(String username, String password) throws SQLException {
        throw new SQLFeatureNotSupportedException("the instance's pool connects as the client's role only");
    }

    @Override
    public PrintWriter getLogWriter() {
        return null;
    }

    @Override
    public void setLogWriter(PrintWriter out) {
    }

    @Override
    public void setLoginTimeout(int seconds) {
        loginTimeoutSeconds = seconds;
    }

    @Override
    public int getLoginTimeout() {
        return loginTimeoutSeconds;
    }

    @Override
    public Logger getParentLogger() throws SQLFeatureNotSupportedException {
        throw new SQLFeatureNotSupportedException("PgJDBC logs through java.util.logging under org.postgresql");
    }

    @Override
    public <T> T unwrap(Class<T> type) throws SQLException {
        if (type.isInstance(this)) {
            return type.cast(this);
        }
        throw new SQLException("InstanceDataSource wraps no " + type.getName());
    }

    @Override
    public boolean isWrapperFor(Class<?> type) {
        return type.isInstance(this);
    }
}
