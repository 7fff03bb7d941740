package dev.cutover.dns.route53;

import dev.cutover.dns.Timekeeper;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Time that passes only when the provider pauses: pauses return at once and are recorded. */
final class FakeTimekeeper implements Timekeeper {

    private final List<Duration> pauses = new CopyOnWriteArrayList<>();
    private volatile long nanos;

    @Override
    public long nanoTime() {
        return nanos;
    }

    @Override
    public void pause(Duration duration) {
        pauses.add(duration);
        nanos += duration.toNanos();
    }

    List<Duration> pauses() {
        return List.copyOf(pauses);
    }
}
