package dev.cutover.cutover.runner;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import dev.cutover.cutover.saga.CutoverEvent;
import dev.cutover.cutover.saga.CutoverMessage;
import dev.cutover.cutover.saga.DnsPlan;
import dev.cutover.cutover.saga.FallbackRollbackPart;
import dev.cutover.cutover.saga.FallbackStep;
import dev.cutover.cutover.saga.Lsn;
import dev.cutover.cutover.saga.Operator;
import dev.cutover.cutover.saga.SagaCommand;
import dev.cutover.events.Metadata;
import dev.cutover.events.ReverseCaughtUp;
import dev.cutover.events.StartFallback;
import dev.cutover.events.StepFailed;

/** A fallback's messages on the wire: its events read back as written, its commands and their answers. */
class SagaCodecFallingBackUnitTest {

    private static final Instant AT = Instant.parse("2026-12-06T10:00:00Z");
    private static final Metadata METADATA = Metadata.newBuilder().setMessageId(UUID.randomUUID())
            .setCutoverId("orders-1").setDatabase("orders").setOccurredAt(AT).setProducer("cutover-service").build();
    private static final DnsPlan DNS = new DnsPlan("db.orders.example.", "10.0.0.2", "10.0.0.3");
    private static final SagaSettings.Dns DNS_SETTINGS = new SagaSettings.Dns("db.orders.example.", "10.0.0.2",
            "10.0.0.3", Duration.ofSeconds(1), Duration.ofSeconds(300));

    @Test
    void theFallbacksFactsAreReadBackAsWritten() {
        List<CutoverEvent> events = List.of(
                new CutoverEvent.FallbackStarted(new Operator("bob"), "plan regression", AT),
                new CutoverEvent.FallbackStepStarted(FallbackStep.FENCE_TARGET, AT),
                new CutoverEvent.FallbackStepFinished(FallbackStep.FENCE_TARGET, AT),
                new CutoverEvent.FallbackRollingBack(FallbackStep.AWAIT_CATCH_UP, "stalled", AT),
                new CutoverEvent.FallbackRollbackPartDone(FallbackRollbackPart.REVERT_DNS, AT),
                new CutoverEvent.FallbackRollbackPartDone(FallbackRollbackPart.OPEN_TARGET, AT),
                new CutoverEvent.FallbackRolledBack(FallbackStep.AWAIT_CATCH_UP, "stalled", Duration.ofMillis(700), AT),
                new CutoverEvent.FallbackCompleted(Duration.ofMillis(300), AT),
                new CutoverEvent.FallbackRejected(new Operator("bob"), "not completed", false, AT),
                new CutoverEvent.FallbackRejected(new Operator("bob"), "reverse replication DOWN", true, AT));
        for (CutoverEvent event : events) {
            assertThat(SagaCodec.sagaEvent(SagaCodec.event(event, METADATA))).contains(event);
            assertThat(SagaCodec.timeOf(event)).isEqualTo(AT);
        }
    }

    @Test
    void theOperatorsRequestAndTheAnswersOnlyAFallbackAwaitsReachTheSaga() {
        assertThat(SagaCodec.inbound(StartFallback.newBuilder().setMetadata(METADATA).setOperator("bob")
                .setReason("plan regression").build()))
                .contains(new CutoverMessage.StartFallback(new Operator("bob"), "plan regression"));
        assertThat(SagaCodec.inbound(ReverseCaughtUp.newBuilder().setMetadata(METADATA).setTargetLsn("0/7000000")
                .setConfirmedLsn("0/7000010").build()))
                .contains(new CutoverMessage.ReverseCaughtUp(Lsn.parse("0/7000000"), Lsn.parse("0/7000010")));
        assertThat(SagaCodec.inbound(StepFailed.newBuilder().setMetadata(METADATA).setStep("AwaitReverseCatchUp")
                .setReason("stalled").setRetryable(true).build()))
                .contains(new CutoverMessage.FallbackStepFailed(FallbackStep.AWAIT_CATCH_UP, "stalled", true));
        assertThat(SagaCodec.inbound(StepFailed.newBuilder().setMetadata(METADATA).setStep("LockTarget")
                .setReason("target down").setRetryable(true).build()))
                .contains(new CutoverMessage.FallbackStepFailed(FallbackStep.FENCE_TARGET, "target down", true));
    }

    @Test
    void theSequencesGoToTheSourceAndTheRollbackPointsDnsAtTheTarget() {
        var sync = (dev.cutover.events.SyncSequences) SagaCodec.command(new SagaCommand.SyncSequencesToSource(),
                METADATA, DNS, DNS_SETTINGS, 1000);
        var revert = (dev.cutover.events.RevertDns) SagaCodec.command(new SagaCommand.RevertDnsToTarget(
                "db.orders.example."), METADATA, DNS, DNS_SETTINGS, 0);

        assertThat(sync.getTowardsSource()).isTrue();
        assertThat(sync.getMargin()).isEqualTo(1000);
        assertThat(revert.getExpectedTarget()).isEqualTo("10.0.0.2");
        assertThat(revert.getNewTarget()).isEqualTo("10.0.0.3");
    }
}
