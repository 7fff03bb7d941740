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
 * new connection. Reading it costs one volatile read unless the source is being fenced.
 */
final class RouteKeeper {

    private static final Logger LOG = LoggerFactory.getLogger(RouteKeeper.class);

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final List<Runnable> evictions = new CopyOnWriteArrayList<>();
    private final Duration holdTimeout;
    private final Clock clock;
    private volatile Route route = Route.initial();

    RouteKeeper(Duration holdTimeout, Clock clock) {
        this.holdTimeout = holdTimeout;
        this.clock = clock;
    }

    Route route() {
        return route;
    }

    /** {@code eviction} runs whenever the pool's connections stand on the wrong server, before held checkouts go on. */
    void onEviction(Runnable eviction) {
        evictions.add(eviction);
    }

    void apply(CutoverSignal signal) {
        lock.lock();
        try {
            Route before = route;
            Route after = Route.evolve(before, signal, clock.instant());
            if (after.equals(before)) {
                LOG.debug("{} changes nothing on route {}", signal, before);
                return;
            }
            route = after;
            LOG.info("cutover {}: {} -> {}", signal.cutoverId(), before, after);
            if (Route.evicts(before, after)) {
                evictions.forEach(Runnable::run);
            }
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Waits while the route holds (at most the hold timeout from the hold's start), then says where to connect. */
    Connect awaitPlan() throws SQLException {
        Connect plan = Route.plan(route, clock.instant(), holdTimeout);
        if (!(plan instanceof Connect.Wait)) {
            return plan;
        }
        lock.lock();
        try {
            while ((plan = Route.plan(route, clock.instant(), holdTimeout)) instanceof Connect.Wait(Instant until)) {
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
}
