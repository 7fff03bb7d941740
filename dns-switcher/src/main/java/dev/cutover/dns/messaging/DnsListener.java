package dev.cutover.dns.messaging;

import java.time.Clock;
import java.time.Duration;

import org.springframework.kafka.annotation.KafkaHandler;
import org.springframework.kafka.annotation.KafkaListener;

import dev.cutover.events.FlipDns;
import dev.cutover.events.LowerDnsTtl;
import dev.cutover.events.RestoreDnsTtl;
import dev.cutover.events.RevertDns;
import dev.cutover.events.SourceRestored;
import dev.cutover.events.TargetOpened;
import dev.cutover.platform.Overtaken;

/**
 * The DNS commands from Kafka, one call each, and {@code TargetOpened} and {@code SourceRestored}, on which a PgBouncer
 * switch resumes the clients it holds; other messages pass by.
 */
@KafkaListener(id = "dns-switcher", topics = {"cutover.commands", "cutover.events"}, groupId = "dns-switcher")
class DnsListener {

    private final SwitchParticipant dns;
    private final Overtaken overtaken;
    private final Clock clock;

    DnsListener(SwitchParticipant dns, Duration overtakenAfter, Clock clock) {
        this.dns = dns;
        this.overtaken = new Overtaken(overtakenAfter, "dns.overtaken-after");
        this.clock = clock;
    }

    @KafkaHandler
    void on(FlipDns command) {
        refuseIfOvertaken(command);
        dns.flip(command);
    }

    /**
     * A {@code FlipDns} older than {@code dns.overtaken-after} has been overtaken: the saga gave it up at its step's
     * deadline and rolled back, and carried out now (by a dns-switcher that was down or paused when it was sent) it
     * would point the name at the locked target until the {@code RevertDns} queued behind it ran. The way back
     * ({@code RevertDns}) is never refused, nor the migration's TTL changes, whose deadlines are minutes long.
     */
    private void refuseIfOvertaken(FlipDns command) {
        overtaken.refuseIfOlder(command, clock.instant(), command.getRecord() + " was not changed",
                "if dns-switcher was down or paused, that is why");
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
