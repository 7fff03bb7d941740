package dev.cutover.dns.pgbouncer;

import java.time.Duration;
import java.util.List;

/**
 * The outcome of pointing a PgBouncer database entry elsewhere on every instance: where it pointed and points now,
 * which instances were changed, and how long from the first PAUSE to the last file written. A flip to the
 * state already in place changes nothing: previous equals current, no instances, zero time.
 */
public record PoolFlip(String database, ServerAddress previous, ServerAddress current, List<String> instances,
        Duration took) {

    public PoolFlip {
        instances = List.copyOf(instances);
    }

    public boolean changed() {
        return !instances.isEmpty();
    }
}
