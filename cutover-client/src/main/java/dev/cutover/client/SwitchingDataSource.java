package dev.cutover.client;

import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.Driver;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.Collections;
import java.util.Map;
import java.util.Properties;
import java.util.WeakHashMap;
import java.util.logging.Logger;

import javax.sql.DataSource;

import org.postgresql.PGConnection;
import org.postgresql.PGProperty;

/**
 * The {@link DataSource} a following pool makes its physical connections with: PgJDBC on the configured URL, waiting
 * while the cutover switches and connecting where the {@link Route} says.
 */
public final class SwitchingDataSource implements DataSource {

    private static final String POSTGRES_URL = "jdbc:postgresql:";

    private final String url;
    private final Properties properties;
    private final RouteKeeper routes;
    private final Driver driver = new org.postgresql.Driver();
    /** Which eviction each connection was planned after; weak, so that closed connections leave it. */
    private final Map<Connection, Long> planned = Collections.synchronizedMap(new WeakHashMap<>());
    private int loginTimeoutSeconds;

    SwitchingDataSource(String url, Properties properties, RouteKeeper routes) {
        if (url == null || !url.startsWith(POSTGRES_URL)) {
            throw new IllegalArgumentException("cutover-client follows PostgreSQL pools configured with a jdbcUrl starting with "
                    + POSTGRES_URL + ", but the URL is " + url + ": set the pool's jdbcUrl (spring.datasource.url) to the database's name");
        }
        if (properties.containsKey(PGProperty.SOCKET_FACTORY.getName())) {
            throw new IllegalArgumentException("the pool sets PgJDBC's " + PGProperty.SOCKET_FACTORY.getName() + ", which cutover-client "
                    + "uses to reach the target's address: remove it, or do not follow this pool");
        }
        this.url = url;
        this.properties = properties;
        this.routes = routes;
    }

    @Override
    public Connection getConnection() throws SQLException {
        return connect(new Properties());
    }

    @Override
    public Connection getConnection(String username, String password) throws SQLException {
        Properties credentials = new Properties();
        if (username != null) {
            credentials.setProperty(PGProperty.USER.getName(), username);
        }
        if (password != null) {
            credentials.setProperty(PGProperty.PASSWORD.getName(), password);
        }
        return connect(credentials);
    }

    private Connection connect(Properties overrides) throws SQLException {
        RouteKeeper.Plan plan = routes.awaitPlan();
        Properties connection = new Properties();
        connection.putAll(properties);
        connection.putAll(overrides);
        if (loginTimeoutSeconds > 0) {
            connection.setProperty(PGProperty.LOGIN_TIMEOUT.getName(), Integer.toString(loginTimeoutSeconds));
        }
        if (plan.connect() instanceof Connect.To(String address)) {
            connection.setProperty(PGProperty.SOCKET_FACTORY.getName(), RedirectingSocketFactory.class.getName());
            connection.setProperty(PGProperty.SOCKET_FACTORY_ARG.getName(), address);
        }
        Connection made = driver.connect(url, connection);
        planned.put(made, plan.evictions());
        return made;
    }

    /**
     * True when {@code connection} (as the pool hands it out) was planned before the last eviction: a connection being
     * made while the route changed, which the eviction could not see because the pool did not hold it yet.
     */
    boolean isStale(Connection connection) throws SQLException {
        if (routes.evictions() == 0) {
            return false;
        }
        Long evictions = planned.get(connection.unwrap(PGConnection.class));
        return evictions != null && evictions < routes.evictions();
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
        throw new SQLException("SwitchingDataSource wraps no " + type.getName());
    }

    @Override
    public boolean isWrapperFor(Class<?> type) {
        return type.isInstance(this);
    }
}
