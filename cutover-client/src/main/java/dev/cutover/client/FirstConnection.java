package dev.cutover.client;

import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * Whether a pool has its first connection on the side a released hold sent it to. Checkouts released with the hold wait
 * for it, so that the release is not a burst of logins each against HikariCP's {@code connectionTimeout}: the first
 * login starts as the hold ends, the checkouts go on once it is in the pool, and the rest of the pool fills behind them.
 */
final class FirstConnection {

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition made = lock.newCondition();
    /** The eviction whose first connection is being made, 0 for none. */
    private long expected;
    /** The last eviction a first connection was made after (or given up on). */
    private long madeAfter;

    /** A first connection is being made after {@code eviction}. */
    void expect(long eviction) {
        lock.lock();
        try {
            expected = Math.max(expected, eviction);
        } finally {
            lock.unlock();
        }
    }

    /** The pool has its first connection after {@code eviction}, or it gave up making one: checkouts go on. */
    void made(long eviction) {
        lock.lock();
        try {
            madeAfter = Math.max(madeAfter, eviction);
            made.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Waits while the first connection after {@code eviction} is being made, at most while the pools settle after the
     * hold it ended. Returns at once when this pool made none (it was not started at the eviction) or made it already.
     */
    void await(RouteKeeper.Eviction eviction, Supplier<Instant> clock) throws SQLException {
        lock.lock();
        try {
            while (expected == eviction.count() && madeAfter < eviction.count() && eviction.settling(clock.get())) {
                Instant until = eviction.settleBy().orElseThrow();
                made.awaitNanos(Math.max(1, Duration.between(clock.get(), until).toNanos()));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SQLException("interrupted while the pool made its first connection after the cutover's switch", "08001", e);
        } finally {
            lock.unlock();
        }
    }
}
