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
 */
public record RehearsalOptions(int dataMegabytes, double rate, int workers, Duration dnsTtl, long warmUpWrites,
        long writesAfter, Duration stepTimeout) {

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
    }

    /** A few hundred megabytes, 1,000 writes/s from 8 connections, TTL 1 s: the seed's shape on this machine. */
    public static RehearsalOptions defaults() {
        return new RehearsalOptions(200, 1000, 8, Duration.ofSeconds(1), 3000, 3000, Duration.ofMinutes(10));
    }
}
