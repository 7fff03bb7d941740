package dev.cutover.dns.config;

import dev.cutover.dns.DnsProvider;
import dev.cutover.dns.DnsSwitch;
import dev.cutover.dns.pgbouncer.PgBouncerSettings;
import dev.cutover.dns.rfc2136.Rfc2136Provider;
import dev.cutover.dns.route53.Route53Provider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Builds the provider that {@code dns.provider} names and the {@link DnsSwitch} the Kafka listener calls, or, for
 * {@code pgbouncer}, the PgBouncer settings (the switch itself is built beside the participant it reports through).
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(DnsProperties.class)
public class DnsConfiguration {

    /** True unless {@code dns.provider} is {@code pgbouncer}: the DNS beans, which also say when the provider is missing. */
    public static final String DNS_PROVIDER = "!'${dns.provider:}'.equalsIgnoreCase('pgbouncer')";

    @Bean
    @ConditionalOnExpression(DNS_PROVIDER)
    DnsProvider dnsProvider(DnsProperties properties) {
        if (properties.provider() == null) {
            throw new IllegalArgumentException("dns.provider is required: rfc2136 (BIND, PowerDNS, ...), route53 or pgbouncer");
        }
        return switch (properties.provider()) {
            case RFC2136 -> new Rfc2136Provider(require(properties.rfc2136(), "dns.rfc2136").toSettings());
            case ROUTE53 -> Route53Provider.create(require(properties.route53(), "dns.route53").toSettings());
            case PGBOUNCER -> throw new IllegalStateException("dns.provider pgbouncer builds no DNS provider");
        };
    }

    @Bean
    @ConditionalOnExpression(DNS_PROVIDER)
    DnsSwitch dnsSwitch(DnsProvider dnsProvider) {
        return new DnsSwitch(dnsProvider);
    }

    @Bean
    @ConditionalOnProperty(prefix = "dns", name = "provider", havingValue = "pgbouncer")
    PgBouncerSettings pgBouncerSettings(DnsProperties properties) {
        return require(properties.pgbouncer(), "dns.pgbouncer").toSettings(System::getenv);
    }

    private static <T> T require(T block, String prefix) {
        if (block == null) {
            throw new IllegalArgumentException(prefix + ".* settings are required for dns.provider " + prefix.substring(4));
        }
        return block;
    }
}
