package dev.cutover.cutover.runner;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import dev.cutover.cutover.saga.CutoverEvent;
import dev.cutover.cutover.saga.CutoverId;
import dev.cutover.cutover.saga.CutoverMessage;
import dev.cutover.cutover.saga.DatabaseName;
import dev.cutover.cutover.saga.DnsPlan;
import dev.cutover.cutover.saga.Lsn;
import dev.cutover.cutover.saga.Operator;
import dev.cutover.cutover.saga.SagaCommand;
import dev.cutover.cutover.saga.Step;
import dev.cutover.events.Metadata;
import dev.cutover.events.StepFailed;
import dev.cutover.events.TargetOpened;

/** Reverse replication's messages on the wire: the saga's own events read back as written, the answers understood. */
class SagaCodecFallbackUnitTest {

    private static final Instant AT = Instant.parse("2026-12-06T10:00:00Z");
    private static final Metadata METADATA = Metadata.newBuilder().setMessageId(UUID.randomUUID())
            .setCutoverId("orders-1").setDatabase("orders").setOccurredAt(AT).setProducer("cutover-service").build();

    @Test
    void theSagasOwnFallbackFactsAreReadBackAsWritten() {
        var started = new CutoverEvent.CutoverStarted(new CutoverId("orders-1"), new DatabaseName("orders"),
                new Operator("alice"), false, "move", new DnsPlan("db.orders.example.", "10.0.0.2", "10.0.0.3"), AT, true);
        var point = new CutoverEvent.FallbackPointRecorded(Lsn.parse("0/5A1C2D8"));

        assertThat(SagaCodec.sagaEvent(SagaCodec.event(started, METADATA))).contains(started);
        assertThat(SagaCodec.sagaEvent(SagaCodec.event(point, METADATA))).contains(point);
    }

    @Test
    void theTargetsPositionAtOpeningReachesTheSagaAndAnOlderFencesAnswerCarriesNone() {
        TargetOpened opened = TargetOpened.newBuilder().setMetadata(METADATA).setWalPosition("0/5A1C2D8").build();
        TargetOpened older = TargetOpened.newBuilder().setMetadata(METADATA).build();

        assertThat(SagaCodec.inbound(opened)).contains(new CutoverMessage.TargetOpened(Optional.of(Lsn.parse("0/5A1C2D8"))));
        assertThat(SagaCodec.inbound(older)).contains(new CutoverMessage.TargetOpened(Optional.empty()));
    }

    @Test
    void theReplicatorsFailuresNameTheStepTheyBelongTo() {
        StepFailed preparing = StepFailed.newBuilder().setMetadata(METADATA).setStep("PrepareFallback")
                .setReason("wal_level is replica").setRetryable(false).build();
        StepFailed starting = StepFailed.newBuilder().setMetadata(METADATA).setStep("StartReverseReplication")
                .setReason("the target is down").setRetryable(true).build();

        assertThat(SagaCodec.inbound(preparing)).contains(new CutoverMessage.StepFailed(
                Step.PREFLIGHT, "wal_level is replica", false));
        assertThat(SagaCodec.inbound(starting)).contains(new CutoverMessage.StepFailed(
                Step.TIDY_UP, "the target is down", true));
    }

    @Test
    void startingTheReverseReplicationCarriesThePosition() {
        var command = (dev.cutover.events.StartReverseReplication) SagaCodec.command(
                new SagaCommand.StartReverseReplication(Lsn.parse("0/5A1C2D8")), METADATA,
                new DnsPlan("db.orders.example.", "10.0.0.2", "10.0.0.3"),
                new SagaSettings.Dns("db.orders.example.", "10.0.0.2", "10.0.0.3", Duration.ofSeconds(1),
                        Duration.ofSeconds(300)), 0);

        assertThat(command.getFromLsn()).isEqualTo("0/5A1C2D8");
    }
}
