package dev.cutover.dns.messaging;

import static dev.cutover.dns.messaging.SwitchParticipant.carryOut;

import java.time.Duration;

import dev.cutover.dns.DnsRecordName;
import dev.cutover.dns.DnsSwitch;
import dev.cutover.dns.DnsTarget;
import dev.cutover.dns.FlipRequest;
import dev.cutover.dns.FlipResult;
import dev.cutover.dns.TtlResult;
import dev.cutover.events.DnsFlipped;
import dev.cutover.events.DnsReverted;
import dev.cutover.events.DnsTtlChanged;
import dev.cutover.events.FlipDns;
import dev.cutover.events.LowerDnsTtl;
import dev.cutover.events.Metadata;
import dev.cutover.events.RestoreDnsTtl;
import dev.cutover.events.RevertDns;
import dev.cutover.platform.MessagePublisher;

/** Maps the commands to the DNS switch and its results to events; DNS failures become step failures here, once. */
class DnsParticipant implements SwitchParticipant {

    private final DnsSwitch dns;
    private final MessagePublisher publisher;

    DnsParticipant(DnsSwitch dns, MessagePublisher publisher) {
        this.dns = dns;
        this.publisher = publisher;
    }

    @Override
    public void flip(FlipDns command) {
        FlipResult result = carryOut(() -> dns.flip(command.getMetadata().getMessageId(),
                request(command.getRecord(), command.getExpectedTarget(), command.getNewTarget(), command.getTtlSeconds())));
        publisher.publish(DnsFlipped.newBuilder()
                .setMetadata(publisher.answering(command.getMetadata()))
                .setRecord(result.record().value())
                .setPrevious(result.previous().value())
                .setCurrent(result.current().value())
                .setTtlSeconds((int) result.ttl().toSeconds())
                .setChangeId(result.changeId().orElse(null))
                .setEffectiveMs(result.effectiveTime().toMillis())
                .build());
    }

    @Override
    public void revert(RevertDns command) {
        FlipResult result = carryOut(() -> dns.revert(command.getMetadata().getMessageId(),
                request(command.getRecord(), command.getExpectedTarget(), command.getNewTarget(), command.getTtlSeconds())));
        publisher.publish(DnsReverted.newBuilder()
                .setMetadata(publisher.answering(command.getMetadata()))
                .setRecord(result.record().value())
                .setPrevious(result.previous().value())
                .setCurrent(result.current().value())
                .setChangeId(result.changeId().orElse(null))
                .build());
    }

    @Override
    public void lowerTtl(LowerDnsTtl command) {
        TtlResult result = carryOut(() -> dns.lowerTtl(command.getMetadata().getMessageId(),
                DnsRecordName.of(command.getRecord()), Duration.ofSeconds(command.getTtlSeconds())));
        publishTtlChanged(command.getMetadata(), result);
    }

    @Override
    public void restoreTtl(RestoreDnsTtl command) {
        TtlResult result = carryOut(() -> dns.restoreTtl(command.getMetadata().getMessageId(),
                DnsRecordName.of(command.getRecord()), Duration.ofSeconds(command.getTtlSeconds())));
        publishTtlChanged(command.getMetadata(), result);
    }

    private void publishTtlChanged(Metadata cause, TtlResult result) {
        publisher.publish(DnsTtlChanged.newBuilder()
                .setMetadata(publisher.answering(cause))
                .setRecord(result.record().value())
                .setPreviousTtlSeconds((int) result.previousTtl().toSeconds())
                .setTtlSeconds((int) result.ttl().toSeconds())
                .build());
    }

    private static FlipRequest request(String record, String expected, String next, int ttlSeconds) {
        return new FlipRequest(DnsRecordName.of(record), DnsTarget.parse(expected), DnsTarget.parse(next),
                Duration.ofSeconds(ttlSeconds));
    }
}
