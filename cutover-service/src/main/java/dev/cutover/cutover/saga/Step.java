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
    OPEN_TARGET(Duration.ofSeconds(2)),
    FLIP_DNS(Duration.ofSeconds(5)),
    AWAIT_TRAFFIC(Duration.ofSeconds(60)),
    TIDY_UP(Duration.ofSeconds(60));

    private final Duration defaultTimeout;

    Step(Duration defaultTimeout) {
        this.defaultTimeout = defaultTimeout;
    }

    public Duration defaultTimeout() {
        return defaultTimeout;
    }

    /** Steps that touch the servers before DNS moves: a failure in one of them puts the source back. */
    public boolean compensable() {
        return compareTo(STOP_TRAFFIC) >= 0 && compareTo(FLIP_DNS) <= 0;
    }

    /** After {@code DnsFlipped} clients may already write to the target, so going back would lose their writes. */
    public boolean afterPointOfNoReturn() {
        return compareTo(FLIP_DNS) > 0;
    }

    Step next() {
        return values()[ordinal() + 1];
    }
}
