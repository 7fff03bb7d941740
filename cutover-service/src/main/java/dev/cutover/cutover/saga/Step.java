package dev.cutover.cutover.saga;

import java.time.Duration;

/**
 * The steps of a cutover, in the order they run. The default timeouts are generous next to what the steps
 * take on a healthy pair of servers (tens to a few hundred milliseconds each), yet short enough that a
 * failed cutover gives the source back within seconds.
 */
public enum Step {
    PREFLIGHT(Duration.ofSeconds(30)),
    STOP_TRAFFIC(Duration.ofSeconds(5)),
    WRITE_CANARY(Duration.ofSeconds(2)),
    AWAIT_CATCH_UP(Duration.ofSeconds(10)),
    SYNC_SEQUENCES(Duration.ofSeconds(5)),
    FLIP_DNS(Duration.ofSeconds(5)),
    OPEN_TARGET(Duration.ofSeconds(2)),
    AWAIT_TRAFFIC(Duration.ofSeconds(60)),
    TIDY_UP(Duration.ofSeconds(60));

    private final Duration defaultTimeout;

    Step(Duration defaultTimeout) {
        this.defaultTimeout = defaultTimeout;
    }

    public Duration defaultTimeout() {
        return defaultTimeout;
    }

    /**
     * Steps run while the target is still locked: nobody can write anywhere, so a failure in one of them puts the
     * source back without losing a write. That includes the DNS flip, whose outcome may be unknown.
     */
    public boolean compensable() {
        return compareTo(STOP_TRAFFIC) >= 0 && compareTo(FLIP_DNS) <= 0;
    }

    /**
     * From the moment the saga sends {@code OpenTarget} clients may write to the target, and going back would lose
     * those writes; the target is a complete copy by then (catch-up proven, sequences synced), so only forward is safe.
     */
    public boolean afterPointOfNoReturn() {
        return compareTo(OPEN_TARGET) >= 0;
    }

    Step next() {
        return values()[ordinal() + 1];
    }
}
