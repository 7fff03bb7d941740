package dev.cutover.sandbox.rehearsal;

import java.util.List;

import dev.cutover.sandbox.client.ClientKind;
import dev.cutover.sandbox.client.DnsCache;

/**
 * The client as a fleet of application instances ({@code --instances}, {@code --client}, {@code --client-dns-cache}).
 *
 * @param instances how many application instances share the client's workers and rate, each with its own pool
 * @param client how they reach the database
 * @param dnsCache each plain instance's DNS cache; {@code null}: the name's TTL ({@code --ttl}), as a pool without a
 *     fleet caches it
 */
public record FleetOptions(int instances, ClientKind client, DnsCache dnsCache) {

    public static final String HELP = """
              --instances N  the client's workers and rate split over N application instances, each its own pool and
                          its own DNS cache; the report adds each instance's downtime, failed statements and longest
                          stall (default 1, and without any of these three options the client is one pool as before)
              --client    plain: a HikariCP pool on the DNS name (default); starter: the pool made by cutover-client,
                          following the cutover's events; pgbouncer: a pool on a local PgBouncer that the cutover
                          repoints (dns-switcher with dns.provider=pgbouncer)
              --client-dns-cache SECONDS[:stale]  each plain instance's DNS cache, with the JVM's
                          networkaddress.cache.ttl meaning (default: --ttl); instances hold answers of ages spread over
                          one TTL. :stale keeps the source's address for SECONDS after the name changed, as a
                          long-running JVM whose cache was refreshed just before the flip""";

    public FleetOptions {
        java.util.Objects.requireNonNull(client, "client");
        if (instances < 1) {
            throw new IllegalArgumentException("--instances must be at least 1, was " + instances);
        }
    }

    /**
     * Takes {@code --instances}, {@code --client} and {@code --client-dns-cache} out of {@code args}; {@code null} when
     * none of them is there.
     */
    public static FleetOptions take(List<String> args) {
        String instances = value(args, "--instances");
        String client = value(args, "--client");
        String cache = value(args, "--client-dns-cache");
        if (instances == null && client == null && cache == null) {
            return null;
        }
        try {
            return new FleetOptions(instances == null ? 1 : Integer.parseInt(instances),
                    client == null ? ClientKind.PLAIN : ClientKind.parse(client), cache == null ? null : DnsCache.parse(cache));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--instances needs a number, got '" + instances + "'");
        }
    }

    private static String value(List<String> args, String option) {
        int index = args.indexOf(option);
        if (index < 0) {
            return null;
        }
        if (index + 1 >= args.size()) {
            throw new IllegalArgumentException(option + " needs a value");
        }
        String value = args.remove(index + 1);
        args.remove(index);
        return value;
    }

    /** For the client's line in the output. */
    String describe(java.time.Duration ttl) {
        return instances + " instance" + (instances == 1 ? "" : "s") + ", " + client.option() + " client"
                + (client == ClientKind.PLAIN ? ", each caching the name " + (dnsCache == null ? new DnsCache(ttl, false) : dnsCache) : "");
    }
}
