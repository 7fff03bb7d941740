package dev.cutover.sandbox.client;

import java.time.Duration;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * One application instance's DNS cache for the database's name, as its own JVM would keep it: the rehearsal's instances
 * share one JVM, whose own cache is one for all of them.
 *
 * <p>With {@link DnsCache#stale()} off, an answer is kept for the TTL from when it was asked for, and the instance's
 * first answer is as old as {@code ageAtStart} says (instances started at different times hold answers of different
 * ages). With it on, every answer is still asked for (to see when the name changes) but the instance goes on using the
 * address it had until the TTL has passed since it first saw the change: the worst case of a JVM cache refreshed just
 * before the flip.
 */
final class InstanceDns {

    private final DnsCache cache;
    private final Supplier<String> server;
    private final LongSupplier nanoClock;
    private String address;
    private long askedAtNanos;
    /** Stale mode: whether the server's answer differs from {@link #address}, and since when. */
    private boolean changeSeen;
    private long changeSeenNanos;

    /**
     * @param server asks the DNS server now, with no cache on the way
     * @param nanoClock {@link System#nanoTime()} in production
     */
    InstanceDns(DnsCache cache, Duration ageAtStart, Supplier<String> server, LongSupplier nanoClock) {
        this.cache = cache;
        this.server = server;
        this.nanoClock = nanoClock;
        this.address = server.get();
        this.askedAtNanos = nanoClock.getAsLong() - ageAtStart.toNanos();
    }

    /** The address a new connection of this instance goes to now. */
    synchronized String address() {
        long now = nanoClock.getAsLong();
        long ttl = cache.ttl().toNanos();
        if (!cache.stale()) {
            if (now - askedAtNanos >= ttl) {
                address = server.get();
                askedAtNanos = now;
            }
            return address;
        }
        String answer = server.get();
        if (answer.equals(address)) {
            changeSeen = false;
            return address;
        }
        if (!changeSeen) {
            changeSeen = true;
            changeSeenNanos = now;
        }
        if (now - changeSeenNanos >= ttl) {
            address = answer;
            changeSeen = false;
        }
        return address;
    }
}
