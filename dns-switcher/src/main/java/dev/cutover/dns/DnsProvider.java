package dev.cutover.dns;

import java.time.Duration;
import java.util.Optional;

/**
 * Where a DNS name points, read and changed at one provider. Every change is a compare-and-swap
 * against what the provider holds, so repeating a change that already happened reports success
 * without touching DNS. Failures are thrown as {@link DnsFailureException}.
 */
public interface DnsProvider {

    /** What the name points at now, asked of the authoritative source; empty when it has no A or CNAME record. */
    Optional<DnsAnswer> current(DnsRecordName record);

    /**
     * Points the name at the new target if it points at the expected one, and returns once the
     * authoritative servers answer the new value. If it already points at the new target with this
     * TTL, returns {@link FlipResult#alreadyInPlace} without a change.
     */
    FlipResult flip(FlipRequest request);

    /** Changes the TTL and nothing else (guarded by the current value); a no-op when already so. */
    TtlResult setTtl(DnsRecordName record, Duration ttl);
}
