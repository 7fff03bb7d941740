package dev.cutover.dns.pgbouncer;

import java.util.Optional;

/**
 * Every PgBouncer's file points back at {@code server}; the clients went on at once when that side was open already,
 * else they stay held until it opens ({@code resumed} empty).
 */
public record PoolReverted(String database, ServerAddress server, Optional<PoolResumed> resumed) {
}
