package dev.cutover.dns;

import java.time.Duration;

/** DNS carries TTLs as whole seconds in 32 bits; a Duration that does not fit is a mistake in a command. */
final class Ttls {

    private static final long MAX_SECONDS = Integer.MAX_VALUE;

    private Ttls() {
    }

    static Duration requireValid(Duration ttl) {
        if (ttl == null) {
            throw new IllegalArgumentException("a TTL is required");
        }
        if (ttl.isNegative() || ttl.getNano() != 0 || ttl.getSeconds() > MAX_SECONDS) {
            throw new IllegalArgumentException("TTL " + ttl + " is not a whole number of seconds between 0 and " + MAX_SECONDS);
        }
        return ttl;
    }

    static String describe(Duration ttl) {
        return ttl.getSeconds() + " s";
    }
}
