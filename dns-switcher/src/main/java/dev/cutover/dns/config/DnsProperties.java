package dev.cutover.dns.config;

import dev.cutover.dns.DnsRecordName;
import dev.cutover.dns.rfc2136.Rfc2136Settings;
import dev.cutover.dns.rfc2136.TsigSecretSource;
import dev.cutover.dns.route53.Route53Settings;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The {@code dns.*} settings: which provider, and that provider's settings. Only the named provider's
 * block is read. The TSIG secret is given as a file or an environment variable name, never inline.
 */
@ConfigurationProperties("dns")
public record DnsProperties(Provider provider, Rfc2136 rfc2136, Route53 route53) {

    public enum Provider {
        RFC2136,
        ROUTE53
    }

    public record Rfc2136(String host, @DefaultValue("53") int port, String zone, String keyName,
            @DefaultValue("hmac-sha256") String algorithm, Path secretFile, String secretEnv,
            @DefaultValue("2s") Duration timeout, @DefaultValue("10s") Duration confirmTimeout,
            @DefaultValue("5ms") Duration confirmInterval) {

        public Rfc2136Settings toSettings() {
            if (zone == null || zone.isBlank()) {
                throw new IllegalArgumentException("dns.rfc2136.zone is required, e.g. cutover.test");
            }
            return new Rfc2136Settings(host, port, DnsRecordName.of(zone), keyName, algorithm, secretSource(), timeout,
                    confirmTimeout, confirmInterval);
        }

        private TsigSecretSource secretSource() {
            boolean file = secretFile != null;
            boolean env = secretEnv != null && !secretEnv.isBlank();
            if (file == env) {
                throw new IllegalArgumentException("set exactly one of dns.rfc2136.secret-file (a file holding the base64"
                        + " TSIG secret) or dns.rfc2136.secret-env (the name of an environment variable holding it)");
            }
            return file ? new TsigSecretSource.File(secretFile) : new TsigSecretSource.EnvironmentVariable(secretEnv);
        }
    }

    public record Route53(String hostedZoneId, @DefaultValue("aws-global") String region, URI endpoint,
            @DefaultValue("source") String sourceSetIdentifier, @DefaultValue("target") String targetSetIdentifier,
            @DefaultValue("100") long activeWeight, @DefaultValue("250ms") Duration pollInterval,
            @DefaultValue("3m") Duration changeTimeout, @DefaultValue("6") int throttleAttempts,
            @DefaultValue("200ms") Duration throttleBackoff, @DefaultValue("5s") Duration throttleMaxBackoff,
            @DefaultValue("10s") Duration apiTimeout) {

        public Route53Settings toSettings() {
            return new Route53Settings(hostedZoneId, region, Optional.ofNullable(endpoint), sourceSetIdentifier,
                    targetSetIdentifier, activeWeight, pollInterval, changeTimeout, throttleAttempts, throttleBackoff,
                    throttleMaxBackoff, apiTimeout);
        }
    }
}
