package dev.cutover.cutover.saga;

import java.time.Duration;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;

/**
 * The steps of a cutover and what each waits for. The DNS flip comes first: the target stays locked, so a client that
 * follows the new answer is refused as the fenced source would refuse it, and the application's sessions that the
 * fence then ends reconnect to a name that already points at the target, instead of caching the source's address for
 * a whole TTL. The fence follows the flip with the canary queued behind it, the sequences waiting for it, and the wait
 * for the canary on the target already begun; the target opens once the canary has caught up and the sequences are
 * set. The declaration order is the order a
 * timeline lists them in. The default timeouts are generous next to what the steps take on a healthy pair of servers
 * (tens to a few hundred milliseconds each), yet short enough that a failed cutover gives the source back within
 * seconds.
 */
public enum Step {
    PREFLIGHT(Duration.ofSeconds(30)),
    FLIP_DNS(Duration.ofSeconds(5)),
    STOP_TRAFFIC(Duration.ofSeconds(5)),
    WRITE_CANARY(Duration.ofSeconds(2)),
    SYNC_SEQUENCES(Duration.ofSeconds(5)),
    AWAIT_CATCH_UP(Duration.ofSeconds(10)),
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
     * The steps that must have finished before this one starts. {@link #WRITE_CANARY} does not wait for the fence: its
     * command goes out with {@code StopTraffic}, to the same participant on the same partition, which carries them
     * out in order and writes the canary only once the fence holds (see {@link #queuedBehind}). That saves a round
     * trip through the log while every application write waits. {@link #AWAIT_CATCH_UP} goes out with them too: the
     * saga names the canary's token up front, and lag-monitor waits for that row from then on, so the canary is seen
     * on the target the moment it arrives there instead of a round trip after the saga hears it was written. So does
     * {@link #SYNC_SEQUENCES}: schema-service reads the sequences only once it sees the source fenced (the same check
     * the canary's writer makes), which spares the two round trips of waiting for the saga to hear of the fence.
     */
    public Set<Step> after() {
        return switch (this) {
            case PREFLIGHT, FLIP_DNS, TIDY_UP -> EnumSet.noneOf(Step.class);
            case STOP_TRAFFIC, WRITE_CANARY, AWAIT_CATCH_UP, SYNC_SEQUENCES -> EnumSet.of(FLIP_DNS);
            case OPEN_TARGET -> EnumSet.of(FLIP_DNS, STOP_TRAFFIC, WRITE_CANARY, SYNC_SEQUENCES, AWAIT_CATCH_UP);
            case AWAIT_TRAFFIC -> EnumSet.of(OPEN_TARGET);
        };
    }

    /**
     * The step that must end before this one can: this step's deadline counts from that step's end, so a slow fence
     * does not time the canary or the sequences out, nor a slow canary the catch-up. The canary's command waits behind
     * the fence's at their participant, the sequences wait for the fence to hold, the catch-up for the canary's row.
     */
    public Optional<Step> queuedBehind() {
        return switch (this) {
            case WRITE_CANARY, SYNC_SEQUENCES -> Optional.of(STOP_TRAFFIC);
            case AWAIT_CATCH_UP -> Optional.of(WRITE_CANARY);
            default -> Optional.empty();
        };
    }

    /**
     * Steps run while the target is still locked: nobody can write anywhere, so a failure in one of them puts the
     * source back without losing a write. That includes the DNS flip, whose outcome may be unknown.
     */
    public boolean compensable() {
        return this != PREFLIGHT && this != TIDY_UP && !afterPointOfNoReturn();
    }

    /**
     * From the moment the saga sends {@code OpenTarget} clients may write to the target, and going back would lose
     * those writes; the target is a complete copy by then (catch-up proven, sequences synced), so only forward is safe.
     */
    public boolean afterPointOfNoReturn() {
        return this == OPEN_TARGET || this == AWAIT_TRAFFIC || this == TIDY_UP;
    }

    /** The steps between preflight and tidy-up, which the saga schedules by {@link #after()}. */
    static Set<Step> running() {
        return EnumSet.range(FLIP_DNS, AWAIT_TRAFFIC);
    }
}
