package dev.cutover.dns;

import java.time.Duration;

/**
 * The passing of time as providers see it when they poll and back off. Real in production; in tests
 * a fake one returns at once and records each pause, so polling and backoff run in microseconds and
 * the waits can be asserted.
 */
public interface Timekeeper {

    /** A monotonic reading in nanoseconds, for measuring how long something took. */
    long nanoTime();

    /** Waits for the given time. */
    void pause(Duration duration) throws InterruptedException;

    static Timekeeper system() {
        return SystemTimekeeper.INSTANCE;
    }

    default Duration since(long startNanos) {
        return Duration.ofNanos(nanoTime() - startNanos);
    }
}

enum SystemTimekeeper implements Timekeeper {
    INSTANCE;

    @Override
    public long nanoTime() {
        return System.nanoTime();
    }

    @Override
    public void pause(Duration duration) throws InterruptedException {
        Thread.sleep(duration);
    }
}
