package dev.cutover.dns;

import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;

/**
 * What a name points at now and for how long resolvers may cache it. Usually one target; more than
 * one when the RRset holds several addresses or, on Route53, both weighted sides carry weight.
 */
public record DnsAnswer(List<DnsTarget> targets, Duration ttl) {

    public DnsAnswer {
        targets = List.copyOf(targets);
        if (targets.isEmpty()) {
            throw new IllegalArgumentException("an answer has at least one target");
        }
        ttl = Ttls.requireValid(ttl);
    }

    public static DnsAnswer of(DnsTarget target, Duration ttl) {
        return new DnsAnswer(List.of(target), ttl);
    }

    /** True when the name points at this target and nothing else: the only state a flip accepts. */
    public boolean pointsAt(DnsTarget target) {
        return targets.equals(List.of(target));
    }

    public String describe() {
        return targets.stream().map(DnsTarget::value).collect(Collectors.joining(", ")) + " (TTL " + Ttls.describe(ttl) + ")";
    }
}
