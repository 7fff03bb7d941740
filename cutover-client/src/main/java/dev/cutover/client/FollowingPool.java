package dev.cutover.client;

import java.sql.Connection;
import java.sql.SQLException;

import com.zaxxer.hikari.HikariDataSource;

/**
 * A HikariCP pool whose checkouts wait while the source is fenced, and whose physical connections come from a
 * {@link SwitchingDataSource}. It is a {@link HikariDataSource} in every other respect, so code and tools that expect
 * one (metrics, health checks, {@code getHikariPoolMXBean()}) keep working.
 */
public final class FollowingPool extends HikariDataSource {

    private final RouteKeeper routes;

    FollowingPool(RouteKeeper routes) {
        this.routes = routes;
    }

    @Override
    public Connection getConnection() throws SQLException {
        routes.awaitPlan();
        return super.getConnection();
    }
}
