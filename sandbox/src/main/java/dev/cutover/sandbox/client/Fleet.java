package dev.cutover.sandbox.client;

import java.util.Objects;

/**
 * The client as several application instances: the workers split over {@code instances} pools, each with its own DNS
 * cache, all reaching the database the same way.
 *
 * @param instances how many application instances; worker {@code w} belongs to instance {@code w % instances}
 * @param kind how every instance reaches the database
 * @param dnsCache each plain instance's own DNS cache for the name
 * @param kafkaBootstrapServers where a starter instance reads the cutover's events; {@code null} for the other kinds
 * @param followedDatabase the database's name as the cutover's services know it, for a starter instance; {@code null}
 *     for the other kinds
 * @param pgbouncer {@code host:port} of the PgBouncer the instances connect through; {@code null} for the other kinds
 */
public record Fleet(int instances, ClientKind kind, DnsCache dnsCache, String kafkaBootstrapServers,
        String followedDatabase, String pgbouncer) {

    /** One byte per record entry names the instance. */
    static final int MAX_INSTANCES = 100;

    public Fleet {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(dnsCache, "dnsCache");
        if (instances < 1 || instances > MAX_INSTANCES) {
            throw new IllegalArgumentException("--instances must be 1.." + MAX_INSTANCES + ", was " + instances);
        }
        if (kind == ClientKind.STARTER && (kafkaBootstrapServers == null || followedDatabase == null)) {
            throw new IllegalArgumentException("a starter instance needs the Kafka bootstrap servers and the followed database's name");
        }
        if (kind == ClientKind.PGBOUNCER && (pgbouncer == null || !pgbouncer.contains(":"))) {
            throw new IllegalArgumentException("a pgbouncer instance needs the PgBouncer's host:port, was " + pgbouncer);
        }
    }

    /** The instance worker {@code number} belongs to. */
    int instanceOf(int number) {
        return number % instances;
    }

    /** How many of {@code workers} belong to {@code instance}. */
    int workersOf(int instance, int workers) {
        return workers / instances + (instance < workers % instances ? 1 : 0);
    }
}
