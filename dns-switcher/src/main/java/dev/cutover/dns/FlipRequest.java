package dev.cutover.dns;

import java.time.Duration;

/**
 * Point {@code record} at {@code newTarget}, but only if it points at {@code expectedTarget} now
 * (compare-and-swap), and serve it with {@code ttl}.
 */
public record FlipRequest(DnsRecordName record, DnsTarget expectedTarget, DnsTarget newTarget, Duration ttl) {

    public FlipRequest {
        if (record == null || expectedTarget == null || newTarget == null) {
            throw new IllegalArgumentException("a flip needs the record, the expected target and the new target");
        }
        ttl = Ttls.requireValid(ttl);
    }

    /** The way back: the same record from the new target to the expected one. */
    public FlipRequest reversed() {
        return new FlipRequest(record, newTarget, expectedTarget, ttl);
    }
}
