package dev.cutover.sandbox.rehearsal;

import java.time.Duration;

/**
 * What one rehearsal does.
 *
 * @param dataMegabytes   seed-shaped data loaded on the source before the migration
 * @param rate            transactions per second the client asks for
 * @param workers         client connections
 * @param dnsTtl          the DNS name's TTL during the cutover, and the client's DNS cache
 * @param warmUpWrites    acknowledged writes before the cutover starts (steady traffic first)
 * @param writesAfter     writes acknowledged by the target before the client stops
 * @param stepTimeout     how long any one wait of the rehearsal may take before it gives up
 * @param layout          where the services and the broker run
 * @param clientDns       how the client resolves the database's name and holds its connections
 * @param settle          in the processes layout, how long to wait at most, once the client has warmed up, for the
 *                        service processes to go quiet before the cutover ({@link Settling}); zero: not at all
 */
public record RehearsalOptions(int dataMegabytes, double rate, int workers, Duration dnsTtl, long warmUpWrites,
        long writesAfter, Duration stepTimeout, Layout layout, ClientDns clientDns, Duration settle) {

    public RehearsalOptions(int dataMegabytes, double rate, int workers, Duration dnsTtl, long warmUpWrites,
            long writesAfter, Duration stepTimeout) {
        this(dataMegabytes, rate, workers, dnsTtl, warmUpWrites, writesAfter, stepTimeout, Layout.ONE_JVM, ClientDns.TTL);
    }

    public RehearsalOptions(int dataMegabytes, double rate, int workers, Duration dnsTtl, long warmUpWrites,
            long writesAfter, Duration stepTimeout, Layout layout, ClientDns clientDns) {
        this(dataMegabytes, rate, workers, dnsTtl, warmUpWrites, writesAfter, stepTimeout, layout, clientDns,
                Duration.ZERO);
    }

    public RehearsalOptions {
        if (dataMegabytes < 1) {
            throw new IllegalArgumentException("--size-mb must be at least 1, was " + dataMegabytes);
        }
        if (rate <= 0) {
            throw new IllegalArgumentException("--rate must be positive, was " + rate);
        }
        if (workers < 1) {
            throw new IllegalArgumentException("--workers must be at least 1, was " + workers);
        }
        if (dnsTtl.isNegative() || dnsTtl.toMillis() % 1000 != 0) {
            throw new IllegalArgumentException("--ttl must be whole seconds, was " + dnsTtl);
        }
        java.util.Objects.requireNonNull(layout, "layout");
        java.util.Objects.requireNonNull(clientDns, "clientDns");
        if (settle == null || settle.isNegative()) {
            throw new IllegalArgumentException("--settle must be zero or more seconds, was " + settle);
        }
    }

    /** A few hundred megabytes, 1,000 writes/s from 8 connections, TTL 1 s: the seed's shape on this machine. */
    public RehearsalOptions withLayout(Layout chosen, ClientDns dns) {
        return new RehearsalOptions(dataMegabytes, rate, workers, dnsTtl, warmUpWrites, writesAfter, stepTimeout, chosen, dns,
                settle);
    }

    public RehearsalOptions withSettle(Duration atMost) {
        return new RehearsalOptions(dataMegabytes, rate, workers, dnsTtl, warmUpWrites, writesAfter, stepTimeout, layout,
                clientDns, atMost);
    }

    /** How long the client's JVM keeps a resolved address: the TTL, or nothing without a cache. */
    public Duration clientDnsCache() {
        return clientDns == ClientDns.NONE ? Duration.ZERO : dnsTtl;
    }

    public static RehearsalOptions defaults() {
        return new RehearsalOptions(200, 1000, 8, Duration.ofSeconds(1), 3000, 3000, Duration.ofMinutes(10));
    }
}
