package dev.cutover.dns.pgbouncer;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Every PgBouncer of a database serves again: where the entry points, which instances were paused and are resumed
 * (none when all already served), how long clients were held (unknown when this process did not see the PAUSE, e.g.
 * after a restart), and why.
 */
public record PoolResumed(String cutoverDatabase, Optional<String> cutoverId, String database, ServerAddress server,
        List<String> instances, Optional<Duration> held, Cause cause) {

    public enum Cause {
        /** The saga opened the target: clients go on there. */
        TARGET_OPENED,
        /** The source accepts the application again (a rollback or a fallback): clients go on there. */
        SOURCE_RESTORED,
        /** A rollback pointed the entry back at a side that was open already. */
        REVERTED,
        /** Nothing resumed the pool within dns.pgbouncer.max-pause: the switch did, wherever the entry points. */
        MAX_PAUSE_EXCEEDED
    }

    public PoolResumed {
        instances = List.copyOf(instances);
    }
}
