package dev.cutover.sandbox.client;

import java.time.Duration;

/**
 * How long each application instance keeps the database's address ({@code --client-dns-cache}), with the JVM's
 * {@code networkaddress.cache.ttl} meaning: an answer is used for {@code ttl} from when it was asked for.
 *
 * @param ttl   how long an answer is kept, whole seconds; zero asks on every new connection
 * @param stale the long-running service: the answer in the cache is the source's and was refreshed just before the name
 *     changed, so the instance keeps the source's address for the whole {@code ttl} after the change, whenever it
 *     asked before
 */
public record DnsCache(Duration ttl, boolean stale) {

    public DnsCache {
        java.util.Objects.requireNonNull(ttl, "ttl");
        if (ttl.isNegative() || ttl.toMillis() % 1000 != 0) {
            throw new IllegalArgumentException("--client-dns-cache must be whole seconds, was " + ttl);
        }
        if (stale && ttl.isZero()) {
            throw new IllegalArgumentException("--client-dns-cache 0:stale keeps nothing: give the seconds the stale address is kept, e.g. 30:stale");
        }
    }

    /** {@code 30} or {@code 30:stale}. */
    public static DnsCache parse(String value) {
        String seconds = value.endsWith(":stale") ? value.substring(0, value.length() - ":stale".length()) : value;
        try {
            return new DnsCache(Duration.ofSeconds(Long.parseLong(seconds)), !seconds.equals(value));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--client-dns-cache is SECONDS or SECONDS:stale (e.g. 30:stale), not '" + value + "'");
        }
    }

    @Override
    public String toString() {
        return ttl.toSeconds() + " s" + (stale ? " stale" : "");
    }
}
