package dev.cutover.dns.route53;

import java.net.URI;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * How to reach Route53 and which weighted records make up the database name. Credentials are not
 * here: they come from the SDK's default chain (environment, profile, instance or pod role).
 *
 * @param hostedZoneId           the hosted zone holding the name, e.g. {@code Z0123456789ABC}
 * @param region                 signing region; Route53 is global, so {@code aws-global} (us-east-1)
 * @param endpoint               an endpoint override (tests point it at WireMock); empty for AWS itself
 * @param sourceSetIdentifier    SetIdentifier of one weighted record of the pair
 * @param targetSetIdentifier    SetIdentifier of the other
 * @param activeWeight           the weight the side being switched to gets (1-255); the other gets 0
 * @param pollInterval           pause between two GetChange calls while waiting for INSYNC
 * @param changeTimeout          how long a change may stay PENDING before we give up waiting
 * @param throttleAttempts       how many times one call is tried when Route53 throttles it
 * @param throttleBackoff        the first pause after a throttled call; doubled after each one
 * @param throttleMaxBackoff     the longest pause between two throttled tries
 * @param apiTimeout             how long one API call may take, connection included
 */
public record Route53Settings(String hostedZoneId, String region, Optional<URI> endpoint, String sourceSetIdentifier,
        String targetSetIdentifier, long activeWeight, Duration pollInterval, Duration changeTimeout,
        int throttleAttempts, Duration throttleBackoff, Duration throttleMaxBackoff, Duration apiTimeout) {

    /** Route53 weights go from 0 to 255. */
    static final long MAX_WEIGHT = 255;

    public Route53Settings {
        if (hostedZoneId == null || hostedZoneId.isBlank()) {
            throw new IllegalArgumentException("dns.route53.hosted-zone-id is required, e.g. Z0123456789ABC");
        }
        if (region == null || region.isBlank()) {
            throw new IllegalArgumentException("dns.route53.region is required; Route53 signs in aws-global");
        }
        Objects.requireNonNull(endpoint, "endpoint (use Optional.empty() for AWS itself)");
        requireIdentifier(sourceSetIdentifier, "dns.route53.source-set-identifier");
        requireIdentifier(targetSetIdentifier, "dns.route53.target-set-identifier");
        if (sourceSetIdentifier.equals(targetSetIdentifier)) {
            throw new IllegalArgumentException("dns.route53.source-set-identifier and target-set-identifier must differ, both are '"
                    + sourceSetIdentifier + "'");
        }
        // The never-all-zero rule starts here: the side we switch to always carries weight.
        if (activeWeight < 1 || activeWeight > MAX_WEIGHT) {
            throw new IllegalArgumentException("dns.route53.active-weight must be between 1 and 255, was " + activeWeight
                    + ": a weight of 0 on both records would take the name out of DNS");
        }
        requirePositive(pollInterval, "dns.route53.poll-interval");
        requirePositive(changeTimeout, "dns.route53.change-timeout");
        if (throttleAttempts < 1) {
            throw new IllegalArgumentException("dns.route53.throttle-attempts must be at least 1, was " + throttleAttempts);
        }
        requirePositive(throttleBackoff, "dns.route53.throttle-backoff");
        requirePositive(throttleMaxBackoff, "dns.route53.throttle-max-backoff");
        requirePositive(apiTimeout, "dns.route53.api-timeout");
    }

    /**
     * Defaults: pair "source"/"target", weight 100, GetChange every 250 ms for up to 3 minutes
     * (Route53 promises INSYNC within 60 s), 6 tries on throttling from 200 ms doubling to 5 s.
     */
    public static Route53Settings of(String hostedZoneId) {
        return new Route53Settings(hostedZoneId, "aws-global", Optional.empty(), "source", "target", 100,
                Duration.ofMillis(250), Duration.ofMinutes(3), 6, Duration.ofMillis(200), Duration.ofSeconds(5),
                Duration.ofSeconds(10));
    }

    public Route53Settings withEndpoint(URI endpoint) {
        return new Route53Settings(hostedZoneId, region, Optional.of(endpoint), sourceSetIdentifier, targetSetIdentifier,
                activeWeight, pollInterval, changeTimeout, throttleAttempts, throttleBackoff, throttleMaxBackoff, apiTimeout);
    }

    private static void requireIdentifier(String identifier, String name) {
        // The SDK cuts everything up to the last '/' from identifiers it reads back, so one would never match.
        if (identifier == null || identifier.isBlank() || identifier.contains("/")) {
            throw new IllegalArgumentException(name + " must be a non-empty SetIdentifier without '/', was '" + identifier + "'");
        }
    }

    private static void requirePositive(Duration value, String name) {
        if (value == null || value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(name + " must be a positive duration, was " + value);
        }
    }
}
