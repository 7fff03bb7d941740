package dev.cutover.dns.config;

import dev.cutover.dns.DnsProvider;
import dev.cutover.dns.DnsSwitch;
import dev.cutover.dns.rfc2136.Rfc2136Provider;
import dev.cutover.dns.route53.Route53Provider;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Builds the provider that {@code dns.provider} names and the {@link DnsSwitch} the Kafka listener calls. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(DnsProperties.class)
public class DnsConfiguration {

    @Bean
    DnsProvider dnsProvider(DnsProperties properties) {
        if (properties.provider() == null) {
            throw new IllegalArgumentException("dns.provider is required: rfc2136 (BIND, PowerDNS, ...) or route53");
        }
        return switch (properties.provider()) {
            case RFC2136 -> new Rfc2136Provider(require(properties.rfc2136(), "dns.rfc2136").toSettings());
            case ROUTE53 -> Route53Provider.create(require(properties.route53(), "dns.route53").toSettings());
        };
    }

    @Bean
    DnsSwitch dnsSwitch(DnsProvider dnsProvider) {
        return new DnsSwitch(dnsProvider);
    }

    private static <T> T require(T block, String prefix) {
        if (block == null) {
            throw new IllegalArgumentException(prefix + ".* settings are required for dns.provider " + prefix.substring(4));
        }
        return block;
    }
}
