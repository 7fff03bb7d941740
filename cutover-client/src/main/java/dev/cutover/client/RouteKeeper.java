package dev.cutover.client;

import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

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
    private final List<Consumer<Eviction>> evictors = new CopyOnWriteArrayList<>();
    private final Duration holdTimeout;
    private final Clock clock;
    private volatile Snapshot current = new Snapshot(Route.initial(), new Eviction(0, Optional.empty()));

    /**
     * The route and the last eviction, read together: a connection planned before the last eviction stands on the wrong
     * server.
     */
    record Snapshot(Route route, Eviction eviction) {
    }

    /**
     * The pools were told to evict for the {@code count}th time. When that ended a hold, the pools fill on the new side
     * until {@code settleBy}, the hold's own end: a checkout waits for the pool's first connection there and past
     * HikariCP's {@code connectionTimeout} until then, rather than fail while every released pool logs in at once.
     */
    record Eviction(long count, Optional<Instant> settleBy) {

        /** True while the pools fill after the hold this eviction ended. */
        boolean settling(Instant now) {
            return settleBy.filter(now::isBefore).isPresent();
        }
    }

    /** Where to connect, and the last eviction as the route that said so knew it. */
    record Plan(Connect connect, Eviction eviction) {

        long evictions() {
            return eviction.count();
        }
    }

    RouteKeeper(Duration holdTimeout, Clock clock) {
        this.holdTimeout = holdTimeout;
        this.clock = clock;
    }

    Route route() {
        return current.route();
    }

    long evictions() {
        return current.eviction().count();
    }

    Instant now() {
        return clock.instant();
    }

    /** {@code evictor} runs whenever the pool's connections stand on the wrong server, before held checkouts go on. */
    void onEviction(Consumer<Eviction> evictor) {
        evictors.add(evictor);
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
            Eviction eviction = evicts
                    ? new Eviction(before.eviction().count() + 1, Route.holdEnds(before.route(), holdTimeout))
                    : before.eviction();
            current = new Snapshot(after, eviction);
            LOG.info("cutover {}: {} -> {}", signal.cutoverId(), before.route(), after);
            if (evicts) {
                evictors.forEach(evictor -> evictor.accept(eviction));
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
        return new Plan(Route.plan(snapshot.route(), clock.instant(), holdTimeout), snapshot.eviction());
    }
}
