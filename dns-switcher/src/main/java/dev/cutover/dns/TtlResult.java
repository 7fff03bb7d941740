package dev.cutover.dns;

import java.time.Duration;
import java.util.Optional;

/**
 * The outcome of changing a name's TTL: the answer before, the TTL now, and, when DNS was changed,
 * the change id and the time until the authoritative servers answered with the new TTL.
 */
public record TtlResult(DnsRecordName record, DnsAnswer before, Duration ttl, Optional<String> changeId,
        Duration effectiveTime) {

    public TtlResult {
        ttl = Ttls.requireValid(ttl);
    }

    public static TtlResult alreadyInPlace(DnsRecordName record, DnsAnswer current) {
        return new TtlResult(record, current, current.ttl(), Optional.empty(), Duration.ZERO);
    }

    public Duration previousTtl() {
        return before.ttl();
    }

    public boolean changed() {
        return changeId.isPresent();
    }
}
