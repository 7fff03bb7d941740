package dev.cutover.client;

import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.Properties;

import org.postgresql.PGProperty;

import com.zaxxer.hikari.HikariConfig;

/**
 * Follows one database's cutover and moves the pools made by {@link #follow(HikariConfig)} with it.
 *
 * <pre>{@code
 * CutoverClient client = CutoverClient.start(ClientSettings.of("kafka:9092", "app"));
 * HikariDataSource pool = client.follow(config);   // config: jdbcUrl, username, password, pool settings
 * ...
 * pool.close();
 * client.close();
 * }</pre>
 *
 * Starting never waits for Kafka: until the follower reads the topics, and whenever it misses events, the pools behave
 * exactly as plain HikariCP pools with the same configuration.
 */
public final class CutoverClient implements AutoCloseable {

    private final ClientSettings settings;
    private final RouteKeeper routes;
    private final CutoverFollower follower;

    private CutoverClient(ClientSettings settings) {
        this.settings = settings;
        this.routes = new RouteKeeper(settings.holdTimeout(), Clock.systemUTC());
        this.follower = new CutoverFollower(settings, routes);
    }

    /** Starts following {@code settings.database()}'s cutovers in a background thread. */
    public static CutoverClient start(ClientSettings settings) {
        CutoverClient client = new CutoverClient(Objects.requireNonNull(settings, "settings"));
        client.follower.start();
        return client;
    }

    /**
     * A new pool with {@code config}'s settings that follows the cutover. Like {@code new HikariDataSource()} it opens
     * its connections on first use. {@code config} must name the database with a PostgreSQL {@code jdbcUrl}; it is
     * copied, not changed.
     */
    public FollowingPool follow(HikariConfig config) {
        if (config.getDataSource() != null || config.getDataSourceClassName() != null) {
            throw new IllegalArgumentException("cutover-client follows pools configured with a jdbcUrl, but pool " + config.getPoolName()
                    + " has a dataSource or dataSourceClassName: configure it with jdbcUrl, username and password instead");
        }
        SwitchingDataSource connections = new SwitchingDataSource(config.getJdbcUrl(), driverProperties(config), routes);
        FollowingPool pool = new FollowingPool(routes, connections);
        config.copyStateTo(pool);
        pool.setDataSource(connections);
        routes.onEviction(pool::evict);
        return pool;
    }

    private static Properties driverProperties(HikariConfig config) {
        Properties properties = new Properties();
        properties.putAll(config.getDataSourceProperties());
        if (config.getUsername() != null) {
            properties.setProperty(PGProperty.USER.getName(), config.getUsername());
        }
        if (config.getPassword() != null) {
            properties.setProperty(PGProperty.PASSWORD.getName(), config.getPassword());
        }
        return properties;
    }

    /** True once the follower reads the topics from their ends: every event published after this reaches it. */
    public boolean awaitFollowing(Duration timeout) throws InterruptedException {
        return follower.awaitPositioned(timeout);
    }

    /** Where new connections go now. */
    public Route route() {
        return routes.route();
    }

    public ClientSettings settings() {
        return settings;
    }

    /** Stops following; the pools keep the route they had, and the hold still ends at its timeout. */
    @Override
    public void close() {
        follower.close();
    }
}
