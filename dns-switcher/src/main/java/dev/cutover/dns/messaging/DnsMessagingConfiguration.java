package dev.cutover.dns.messaging;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import dev.cutover.dns.DnsSwitch;
import dev.cutover.platform.MessagePublisher;

@Configuration(proxyBeanMethods = false)
class DnsMessagingConfiguration {

    @Bean
    DnsParticipant dnsParticipant(DnsSwitch dns, MessagePublisher publisher) {
        return new DnsParticipant(dns, publisher);
    }

    @Bean
    DnsListener dnsListener(DnsParticipant participant) {
        return new DnsListener(participant);
    }
}
