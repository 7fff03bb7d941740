package dev.cutover.dns;

import java.time.Duration;
import java.util.Optional;

/**
 * The outcome of a flip: where the name pointed before and points now, and, when DNS was changed,
 * the provider's change id (Route53 change id, or the zone's SOA serial for RFC 2136) and the time
 * from sending the change to the authoritative servers answering the new value. A flip to the state
 * already in place changes nothing: previous equals current, no change id, zero time.
 */
public record FlipResult(DnsRecordName record, DnsTarget previous, DnsTarget current, Duration ttl,
        Optional<String> changeId, Duration effectiveTime) {

    public FlipResult {
        ttl = Ttls.requireValid(ttl);
    }

    public static FlipResult alreadyInPlace(FlipRequest request) {
        return new FlipResult(request.record(), request.newTarget(), request.newTarget(), request.ttl(),
                Optional.empty(), Duration.ZERO);
    }

    public boolean changed() {
        return changeId.isPresent();
    }
}
