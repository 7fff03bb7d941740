package dev.cutover.dns.rfc2136;

import dev.cutover.dns.DnsRecordName;
import java.time.Duration;
import java.util.Objects;

/**
 * How to reach the authoritative server that accepts RFC 2136 updates for the zone.
 *
 * @param host            the primary server's address or host name
 * @param port            its DNS port (53 in production, a random one in tests)
 * @param zone            the zone the database name lives in, e.g. {@code cutover.test.}
 * @param keyName         the TSIG key's name as the server knows it
 * @param algorithm       the TSIG algorithm, e.g. {@code hmac-sha256}
 * @param secret          where the TSIG secret is read from (never the secret itself)
 * @param timeout         how long to wait for one answer from the server
 * @param confirmTimeout  how long to wait, after an update, for the server to answer the new value
 * @param confirmInterval pause between two confirming queries
 */
public record Rfc2136Settings(String host, int port, DnsRecordName zone, String keyName, String algorithm,
        TsigSecretSource secret, Duration timeout, Duration confirmTimeout, Duration confirmInterval) {

    public Rfc2136Settings {
        if (host == null || host.isBlank()) {
            throw new IllegalArgumentException("dns.rfc2136.host is required: the primary server's address");
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("dns.rfc2136.port " + port + " is not a port number");
        }
        Objects.requireNonNull(zone, "dns.rfc2136.zone is required");
        if (keyName == null || keyName.isBlank()) {
            throw new IllegalArgumentException("dns.rfc2136.key-name is required: the TSIG key's name");
        }
        if (algorithm == null || algorithm.isBlank()) {
            throw new IllegalArgumentException("dns.rfc2136.algorithm is required, e.g. hmac-sha256");
        }
        Objects.requireNonNull(secret, "dns.rfc2136.secret-file or dns.rfc2136.secret-env is required");
        requirePositive(timeout, "dns.rfc2136.timeout");
        requirePositive(confirmTimeout, "dns.rfc2136.confirm-timeout");
        requirePositive(confirmInterval, "dns.rfc2136.confirm-interval");
    }

    /** Defaults that suit a server on the same network: 2 s per answer, 10 s to confirm, polled every 5 ms. */
    public static Rfc2136Settings of(String host, int port, DnsRecordName zone, String keyName, String algorithm,
            TsigSecretSource secret) {
        return new Rfc2136Settings(host, port, zone, keyName, algorithm, secret, Duration.ofSeconds(2),
                Duration.ofSeconds(10), Duration.ofMillis(5));
    }

    public String server() {
        return host + ":" + port;
    }

    private static void requirePositive(Duration value, String name) {
        if (value == null || value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(name + " must be a positive duration, was " + value);
        }
    }
}
