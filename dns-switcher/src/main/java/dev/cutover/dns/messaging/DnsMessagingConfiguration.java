package dev.cutover.dns.messaging;

import java.time.Clock;

import org.springframework.boot.ApplicationRunner;
import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import dev.cutover.dns.DnsSwitch;
import dev.cutover.dns.config.DnsConfiguration;
import dev.cutover.dns.config.DnsProperties;
import dev.cutover.dns.pgbouncer.PgBouncerSettings;
import dev.cutover.platform.MessagePublisher;

@Configuration(proxyBeanMethods = false)
class DnsMessagingConfiguration {

    @Bean
    @ConditionalOnExpression(DnsConfiguration.DNS_PROVIDER)
    SwitchParticipant dnsParticipant(DnsSwitch dns, MessagePublisher publisher) {
        return new DnsParticipant(dns, publisher);
    }

    @Bean
    DnsListener dnsListener(SwitchParticipant participant, DnsProperties properties, Clock clock) {
        return new DnsListener(participant, properties.overtakenAfter(), clock);
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnProperty(prefix = "dns", name = "provider", havingValue = "pgbouncer")
    static class PgBouncerMessaging {

        @Bean
        PgBouncerParticipant pgBouncerParticipant(PgBouncerSettings settings, MessagePublisher publisher) {
            return new PgBouncerParticipant(settings, publisher);
        }

        /** A pool left paused by an earlier run gets the same bound on its pause as one this run pauses. */
        @Bean
        ApplicationRunner adoptPausedPools(PgBouncerParticipant participant) {
            return arguments -> participant.adoptPaused();
        }
    }
}
