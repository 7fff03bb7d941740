package dev.cutover.replicator.copy;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Stops a running full load from another thread: an aborted migration must not go on copying for hours into a target
 * whose tables the abort is about to drop. The load's workers look at it between buffers of about 256 kB, so a load
 * stops within moments, rolling back the tables it was copying.
 */
public final class LoadAbort {

    private final AtomicReference<String> reason = new AtomicReference<>();
    private final CountDownLatch ended = new CountDownLatch(1);

    /** Asks the load to stop; the first reason given is the one it reports. */
    public void abort(String why) {
        reason.compareAndSet(null, why);
    }

    Optional<String> reason() {
        return Optional.ofNullable(reason.get());
    }

    /** The load is over, however it ended. */
    public void ended() {
        ended.countDown();
    }

    /** @return whether the load ended within {@code patience} */
    public boolean awaitEnd(Duration patience) throws InterruptedException {
        return ended.await(patience.toMillis(), TimeUnit.MILLISECONDS);
    }
}
