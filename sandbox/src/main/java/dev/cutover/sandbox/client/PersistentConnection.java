package dev.cutover.sandbox.client;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;

/**
 * One worker's own connection and no pool, as a libpq application keeps it: opened through the DNS name, resolved anew
 * on every connect (asked of the client's DNS server directly, so no cache of the JVM's is on the way), used until an
 * attempt fails, then closed and opened again on the next attempt (after the worker's retry delay).
 */
final class PersistentConnection implements ConnectionSource {

    private final ClientSettings settings;
    private Connection current;
    /** {@link #current} as the worker sees it, made once per connection, not once per attempt. */
    private Connection kept;

    PersistentConnection(ClientSettings settings) {
        this.settings = settings;
    }

    @Override
    public Connection connection() throws SQLException {
        if (current == null) {
            current = DriverManager.getConnection(url(), settings.driverProperties());
            kept = keptOpen(current);
        }
        return kept;
    }

    /** The name resolved now when the client has a DNS server of its own, else as the JVM resolves it. */
    private String url() throws SQLException {
        if (settings.dnsServer() == null) {
            return settings.jdbcUrl();
        }
        try {
            String address = JvmDns.resolveNow(settings.host(), settings.dnsServer());
            return settings.jdbcUrlAt(address);
        } catch (IllegalStateException e) {
            throw new SQLException("could not resolve " + settings.host() + ": " + e.getMessage(), "08001", e);
        }
    }

    @Override
    public void failed() {
        close();
    }

    @Override
    public void close() {
        if (current != null) {
            try {
                current.close();
            } catch (SQLException alreadyBroken) {
                // It failed an attempt already; there is nothing left to hand back.
            }
            current = null;
            kept = null;
        }
    }

    /** The connection as the worker sees it: its close() keeps it for the next attempt. */
    private static Connection keptOpen(Connection connection) {
        return (Connection) Proxy.newProxyInstance(Connection.class.getClassLoader(), new Class<?>[] {Connection.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("close") && method.getParameterCount() == 0) {
                        return null;
                    }
                    try {
                        return method.invoke(connection, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }
}
