package dev.cutover.client;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.HikariPoolMXBean;

/**
 * A HikariCP pool whose checkouts wait while the cutover switches, and whose physical connections come from a
 * {@link SwitchingDataSource}. It is a {@link HikariDataSource} in every other respect, so code and tools that expect
 * one (metrics, health checks, {@code getHikariPoolMXBean()}) keep working.
 */
public final class FollowingPool extends HikariDataSource {

    private static final Logger LOG = LoggerFactory.getLogger(FollowingPool.class);

    private final RouteKeeper routes;
    private final SwitchingDataSource connections;
    private final FirstConnection first = new FirstConnection();

    FollowingPool(RouteKeeper routes, SwitchingDataSource connections) {
        this.routes = routes;
        this.connections = connections;
    }

    /**
     * Waits while holding, and after a hold until the pool has its first connection on the new side; never hands out
     * a connection that was being made while the pool was evicted, nor one the pool found after a hold began.
     */
    @Override
    public Connection getConnection() throws SQLException {
        while (true) {
            RouteKeeper.Plan plan = routes.awaitPlan();
            first.await(plan.eviction(), routes::now);
            Connection connection = checkout(plan.eviction());
            if (!routes.holds()) {
                return connection;
            }
            // The hold began while the pool looked for a connection (all in use, or this thread not scheduled): the
            // fence may end its session before the application's statement ends, so it goes back and this one waits.
            connection.close();
        }
    }

    /**
     * A connection from HikariCP made after the last eviction. While the pool fills after the hold {@code eviction}
     * ended, HikariCP's {@code connectionTimeout} is no failure: the checkout asks again, until the hold's own end. It
     * never had a connection, so nothing of the application's ran.
     */
    private Connection checkout(RouteKeeper.Eviction eviction) throws SQLException {
        while (true) {
            Connection connection;
            try {
                connection = super.getConnection();
            } catch (SQLTransientConnectionException e) {
                if (isClosed() || !eviction.settling(routes.now())) {
                    throw e;
                }
                LOG.debug("pool {} fills after the cutover's switch, asking again: {}", getPoolName(), e.getMessage());
                continue;
            }
            if (!connections.isStale(connection)) {
                return connection;
            }
            evictConnection(connection);
        }
    }

    /**
     * The route changed, so the pool's connections stand on the wrong server: evicts them, and when that ended a hold
     * starts the login to the new side at once.
     */
    void evict(RouteKeeper.Eviction eviction) {
        HikariPoolMXBean running = getHikariPoolMXBean();
        if (running == null) {
            return;
        }
        running.softEvictConnections();
        if (eviction.settling(routes.now())) {
            first.expect(eviction.count());
            Thread.ofVirtual().name("cutover-client-" + getPoolName()).start(() -> openFirst(eviction));
        }
    }

    /**
     * Asks HikariCP for one connection and gives it back: a login starts now whatever {@code minimumIdle} says, and the
     * checkouts released with the hold go on once the pool has it.
     */
    private void openFirst(RouteKeeper.Eviction eviction) {
        try (Connection opened = checkout(eviction)) {
            LOG.debug("pool {} has its first connection after the cutover's switch", getPoolName());
        } catch (SQLException | RuntimeException e) {
            LOG.warn("pool {} made no connection after the cutover's switch before the hold's end ({}): its checkouts go on as "
                    + "HikariCP's own", getPoolName(), e.getMessage());
        } finally {
            first.made(eviction.count());
        }
    }
}
