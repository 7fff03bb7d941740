package dev.cutover.dns.messaging;

import org.springframework.kafka.annotation.KafkaHandler;
import org.springframework.kafka.annotation.KafkaListener;

import dev.cutover.events.FlipDns;
import dev.cutover.events.LowerDnsTtl;
import dev.cutover.events.RestoreDnsTtl;
import dev.cutover.events.RevertDns;

/** The DNS commands from Kafka, one call each; commands for other participants pass by. */
@KafkaListener(id = "dns-switcher", topics = "cutover.commands", groupId = "dns-switcher")
class DnsListener {

    private final DnsParticipant dns;

    DnsListener(DnsParticipant dns) {
        this.dns = dns;
    }

    @KafkaHandler
    void on(FlipDns command) {
        dns.flip(command);
    }

    @KafkaHandler
    void on(RevertDns command) {
        dns.revert(command);
    }

    @KafkaHandler
    void on(LowerDnsTtl command) {
        dns.lowerTtl(command);
    }

    @KafkaHandler
    void on(RestoreDnsTtl command) {
        dns.restoreTtl(command);
    }

    @KafkaHandler(isDefault = true)
    void ignore(Object commandForSomeoneElse) {
        // Every participant reads every command; this one is not dns-switcher's.
    }
}
