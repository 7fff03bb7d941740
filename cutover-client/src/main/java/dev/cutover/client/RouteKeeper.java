package dev.cutover.client;

import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The current {@link Route}, shared by the follower that changes it and the pools that read it on every checkout and
 * new connection. Reading it costs one volatile read unless the route holds.
 */
final class RouteKeeper {

    private static final Logger LOG = LoggerFactory.getLogger(RouteKeeper.class);

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final List<Runnable> evictors = new CopyOnWriteArrayList<>();
    private final Duration holdTimeout;
    private final Clock clock;
    private volatile Snapshot current = new Snapshot(Route.initial(), 0);

    /**
     * The route and how many times the pools were told to evict, read together: a connection planned before the last
     * eviction stands on the wrong server.
     */
    record Snapshot(Route route, long evictions) {
    }

    /** Where to connect, and the eviction count of the route that said so. */
    record Plan(Connect connect, long evictions) {
    }

    RouteKeeper(Duration holdTimeout, Clock clock) {
        this.holdTimeout = holdTimeout;
        this.clock = clock;
    }

    Route route() {
        return current.route();
    }

    long evictions() {
        return current.evictions();
    }

    /** {@code eviction} runs whenever the pool's connections stand on the wrong server, before held checkouts go on. */
    void onEviction(Runnable eviction) {
        evictors.add(eviction);
    }

    void apply(CutoverSignal signal) {
        lock.lock();
        try {
            Snapshot before = current;
            Route after = Route.evolve(before.route(), signal, clock.instant());
            if (after.equals(before.route())) {
                LOG.debug("{} changes nothing on route {}", signal, before.route());
                return;
            }
            boolean evicts = Route.evicts(before.route(), after);
            current = new Snapshot(after, evicts ? before.evictions() + 1 : before.evictions());
            LOG.info("cutover {}: {} -> {}", signal.cutoverId(), before.route(), after);
            if (evicts) {
                evictors.forEach(Runnable::run);
            }
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** True while the route holds checkouts and new connections. */
    boolean holds() {
        return plan(current).connect() instanceof Connect.Wait;
    }

    /** Waits while the route holds (at most the hold timeout from the hold's start), then says where to connect. */
    Plan awaitPlan() throws SQLException {
        Plan plan = plan(current);
        if (!(plan.connect() instanceof Connect.Wait)) {
            return plan;
        }
        lock.lock();
        try {
            while ((plan = plan(current)).connect() instanceof Connect.Wait(Instant until)) {
                changed.awaitNanos(Math.max(1, Duration.between(clock.instant(), until).toNanos()));
            }
            return plan;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SQLException("interrupted while the cutover held new connections", "08001", e);
        } finally {
            lock.unlock();
        }
    }

    private Plan plan(Snapshot snapshot) {
        return new Plan(Route.plan(snapshot.route(), clock.instant(), holdTimeout), snapshot.evictions());
    }
}
