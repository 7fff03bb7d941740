package dev.cutover.dns.messaging;

import org.springframework.kafka.annotation.KafkaHandler;
import org.springframework.kafka.annotation.KafkaListener;

import dev.cutover.events.FlipDns;
import dev.cutover.events.LowerDnsTtl;
import dev.cutover.events.RestoreDnsTtl;
import dev.cutover.events.RevertDns;
import dev.cutover.events.SourceRestored;
import dev.cutover.events.TargetOpened;

/**
 * The DNS commands from Kafka, one call each, and {@code TargetOpened} and {@code SourceRestored}, on which a PgBouncer
 * switch resumes the clients it holds; other messages pass by.
 */
@KafkaListener(id = "dns-switcher", topics = {"cutover.commands", "cutover.events"}, groupId = "dns-switcher")
class DnsListener {

    private final SwitchParticipant dns;

    DnsListener(SwitchParticipant dns) {
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

    @KafkaHandler
    void on(TargetOpened event) {
        dns.targetOpened(event);
    }

    @KafkaHandler
    void on(SourceRestored event) {
        dns.sourceRestored(event);
    }

    @KafkaHandler(isDefault = true)
    void ignore(Object messageForSomeoneElse) {
        // Every participant reads every command and event; this one is not dns-switcher's.
    }
}
