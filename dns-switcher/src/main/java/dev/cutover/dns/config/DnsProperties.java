package dev.cutover.dns.config;

import dev.cutover.dns.DnsRecordName;
import dev.cutover.dns.pgbouncer.PgBouncerInstance;
import dev.cutover.dns.pgbouncer.PgBouncerPool;
import dev.cutover.dns.pgbouncer.PgBouncerSettings;
import dev.cutover.dns.pgbouncer.ServerAddress;
import dev.cutover.dns.rfc2136.Rfc2136Settings;
import dev.cutover.dns.rfc2136.TsigSecretSource;
import dev.cutover.dns.route53.Route53Settings;
import dev.cutover.platform.secrets.SecretReference;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The {@code dns.*} settings: which provider, and that provider's settings. Only the named provider's
 * block is read. Secrets (the TSIG secret, the PgBouncer admin password) are given as a file or an environment
 * variable name, never inline.
 */
@ConfigurationProperties("dns")
public record DnsProperties(Provider provider, Rfc2136 rfc2136, Route53 route53, PgBouncer pgbouncer,
        @DefaultValue("30s") Duration overtakenAfter) {

    /**
     * @param overtakenAfter how old a {@code FlipDns} may be when it arrives: older, the saga has given it up at its
     *                       step's deadline (5 s by default) and rolled back, so it is refused, not carried out
     */
    public DnsProperties {
        if (overtakenAfter == null || !overtakenAfter.isPositive()) {
            throw new IllegalArgumentException("dns.overtaken-after must be a positive duration such as 30s (longer than"
                    + " the saga's FLIP_DNS timeout), was " + overtakenAfter);
        }
    }

    public enum Provider {
        RFC2136,
        ROUTE53,
        PGBOUNCER
    }

    public record Rfc2136(String host, @DefaultValue("53") int port, String zone, String keyName,
            @DefaultValue("hmac-sha256") String algorithm, Path secretFile, String secretEnv, String secret,
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
            boolean stored = secret != null && !secret.isBlank();
            if ((file ? 1 : 0) + (env ? 1 : 0) + (stored ? 1 : 0) != 1) {
                throw new IllegalArgumentException("set exactly one of dns.rfc2136.secret-file (a file holding the base64"
                        + " TSIG secret), dns.rfc2136.secret-env (the name of an environment variable holding it) or"
                        + " dns.rfc2136.secret (where it is kept, e.g. aws-secretsmanager:<secret id>)");
            }
            if (stored) {
                return new TsigSecretSource.Stored(SecretReference.parse(secret, "dns.rfc2136.secret"));
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

    /**
     * The PgBouncers in front of each database. The admin password is given as a file or an environment variable
     * name, like the TSIG secret.
     */
    public record PgBouncer(String adminUser, Path passwordFile, String passwordEnv,
            @DefaultValue("2s") Duration connectTimeout, @DefaultValue("10s") Duration pauseTimeout,
            @DefaultValue("60s") Duration maxPause, Map<String, Database> databases) {

        /**
         * One cutover database: its PgBouncer entry name (the cutover database's name unless given) and every
         * PgBouncer that serves it.
         */
        public record Database(String database, List<Instance> instances) {
        }

        /** One PgBouncer: its admin console as host:port and the file holding its [databases] entry. */
        public record Instance(String admin, Path databasesFile) {
        }

        public PgBouncerSettings toSettings(UnaryOperator<String> environment) {
            Map<String, PgBouncerPool> pools = new LinkedHashMap<>();
            (databases == null ? Map.<String, Database>of() : databases).forEach((name, database) -> {
                String prefix = "dns.pgbouncer.databases." + name;
                if (database.instances() == null || database.instances().isEmpty()) {
                    throw new IllegalArgumentException(prefix + ".instances[0].admin and .databases-file are required");
                }
                List<PgBouncerInstance> instances = database.instances().stream().map(instance -> {
                    if (instance.admin() == null || instance.databasesFile() == null) {
                        throw new IllegalArgumentException(prefix + ".instances[*] need both admin (host:port of the admin"
                                + " console) and databases-file (the ini file holding the entry, which dns-switcher rewrites)");
                    }
                    return new PgBouncerInstance(ServerAddress.parse(instance.admin()), instance.databasesFile());
                }).toList();
                pools.put(name, new PgBouncerPool(database.database() == null ? name : database.database(), instances));
            });
            return new PgBouncerSettings(adminUser, password(environment), connectTimeout, pauseTimeout, maxPause, pools);
        }

        private String password(UnaryOperator<String> environment) {
            boolean file = passwordFile != null;
            boolean env = passwordEnv != null && !passwordEnv.isBlank();
            if (file == env) {
                throw new IllegalArgumentException("set exactly one of dns.pgbouncer.password-file (a file holding the admin"
                        + " user's password) or dns.pgbouncer.password-env (the name of an environment variable holding it)");
            }
            if (env) {
                String value = environment.apply(passwordEnv);
                if (value == null || value.isBlank()) {
                    throw new IllegalArgumentException("the environment variable " + passwordEnv + " (dns.pgbouncer.password-env)"
                            + " holding the PgBouncer admin password is not set");
                }
                return value.strip();
            }
            try {
                return Files.readString(passwordFile, StandardCharsets.UTF_8).strip();
            } catch (IOException e) {
                throw new IllegalArgumentException("cannot read dns.pgbouncer.password-file " + passwordFile + " ("
                        + e.getClass().getSimpleName() + "): check the path and its permissions", e);
            }
        }
    }
}
