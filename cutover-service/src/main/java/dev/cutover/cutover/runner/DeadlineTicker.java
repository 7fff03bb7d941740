package dev.cutover.cutover.runner;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The passing of time for a saga: its deadlines are checked on one thread at a fixed rate, so a timeout fires at most
 * one interval late. Register the returned executor as a bean with {@code destroyMethod = "shutdownNow"}.
 */
public final class DeadlineTicker {

    private DeadlineTicker() {
    }

    public static ScheduledExecutorService start(String name, Duration interval, Runnable tick) {
        ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor(
                runnable -> Thread.ofPlatform().name(name).daemon().unstarted(runnable));
        long millis = interval.toMillis();
        ticker.scheduleAtFixedRate(tick, millis, millis, TimeUnit.MILLISECONDS);
        return ticker;
    }
}
