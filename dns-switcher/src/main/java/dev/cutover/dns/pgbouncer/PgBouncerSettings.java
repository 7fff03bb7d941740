package dev.cutover.dns.pgbouncer;

import java.time.Duration;
import java.util.Map;

/**
 * How to reach the PgBouncers and how long clients may be held.
 *
 * @param adminUser a user listed in every PgBouncer's {@code admin_users}
 * @param adminPassword its password (read from a file or the environment, never from the settings)
 * @param connectTimeout for each admin connection
 * @param pauseTimeout how long {@code PAUSE} may wait for in-flight transactions before the flip gives up
 * @param maxPause how long a flip may hold clients: past it the switch resumes by itself, wherever the entry points
 * @param pools by cutover database name (the {@code database} of the cutover's messages)
 */
public record PgBouncerSettings(String adminUser, String adminPassword, Duration connectTimeout, Duration pauseTimeout,
        Duration maxPause, Map<String, PgBouncerPool> pools) {

    public PgBouncerSettings {
        if (adminUser == null || adminUser.isBlank()) {
            throw new IllegalArgumentException("dns.pgbouncer.admin-user is required: a user in every PgBouncer's admin_users");
        }
        positive(connectTimeout, "connect-timeout");
        positive(pauseTimeout, "pause-timeout");
        positive(maxPause, "max-pause");
        if (maxPause.compareTo(pauseTimeout) <= 0) {
            throw new IllegalArgumentException("dns.pgbouncer.max-pause (" + maxPause + ") must be longer than pause-timeout ("
                    + pauseTimeout + "): it bounds the whole hold, from PAUSE to RESUME");
        }
        pools = Map.copyOf(pools);
        if (pools.isEmpty()) {
            throw new IllegalArgumentException("dns.pgbouncer.databases.<database>.* must name at least one database, e.g."
                    + " dns.pgbouncer.databases.app.instances[0].admin=10.0.0.7:6432");
        }
    }

    private static void positive(Duration value, String name) {
        if (value == null || value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException("dns.pgbouncer." + name + " must be positive, was " + value);
        }
    }
}
