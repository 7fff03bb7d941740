package dev.cutover.client;

import java.sql.Connection;
import java.sql.SQLException;

import com.zaxxer.hikari.HikariDataSource;

/**
 * A HikariCP pool whose checkouts wait while the cutover switches, and whose physical connections come from a
 * {@link SwitchingDataSource}. It is a {@link HikariDataSource} in every other respect, so code and tools that expect
 * one (metrics, health checks, {@code getHikariPoolMXBean()}) keep working.
 */
public final class FollowingPool extends HikariDataSource {

    private final RouteKeeper routes;
    private final SwitchingDataSource connections;

    FollowingPool(RouteKeeper routes, SwitchingDataSource connections) {
        this.routes = routes;
        this.connections = connections;
    }

    /**
     * Waits while holding; never hands out a connection that was being made while the pool was evicted, nor one the
     * pool found after a hold began.
     */
    @Override
    public Connection getConnection() throws SQLException {
        while (true) {
            routes.awaitPlan();
            Connection connection = super.getConnection();
            while (connections.isStale(connection)) {
                evictConnection(connection);
                connection = super.getConnection();
            }
            if (!routes.holds()) {
                return connection;
            }
            // The hold began while the pool looked for a connection (all in use, or this thread not scheduled): the
            // fence may end its session before the application's statement ends, so it goes back and this one waits.
            connection.close();
        }
    }
}
