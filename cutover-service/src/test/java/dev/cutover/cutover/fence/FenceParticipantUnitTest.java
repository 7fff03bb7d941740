package dev.cutover.cutover.fence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;

import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;

import dev.cutover.events.Metadata;
import dev.cutover.events.MetadataFactory;
import dev.cutover.events.RestoreSource;
import dev.cutover.events.StopTraffic;
import dev.cutover.events.serde.AvroMessageDeserializer;
import dev.cutover.platform.MessagePublisher;
import dev.cutover.platform.StepFailure;
import dev.cutover.platform.database.DatabasesSettings;

class FenceParticipantUnitTest {

    /** No Kafka, no servers: a warm-up that sent anything or touched a server would fail on the nulls. */
    @Test
    void theWarmUpPlaysEveryCommandAndEncodesEveryAnswerWithoutSendingOrConnecting() {
        try (FenceParticipant participant = new FenceParticipant(new Fence(Clock.systemUTC()),
                new DatabasesSettings(Map.of()), new FenceSettings(Duration.ofSeconds(5), Duration.ofMinutes(2), Duration.ofSeconds(30)),
                new MessagePublisher(null, "cutover-service", Clock.systemUTC()))) {
            AvroMessageDeserializer decoder = new AvroMessageDeserializer();

            assertThat(participant.playMessages())
                    .map(answer -> decoder.deserialize("cutover.events", new RecordHeaders(), answer).getSchema().getName())
                    .containsExactly("TrafficStopped", "CanaryWritten", "TargetOpened", "SourceRestored");
        }
    }

    /** No servers configured: a command the fence did carry out would fail on its unknown database instead. */
    @Test
    void aSwitchCommandOlderThanTheOvertakenLimitIsRefusedWithoutTouchingAnything() {
        Instant now = Instant.parse("2026-12-06T02:00:00Z");
        try (FenceParticipant participant = participantAt(now)) {
            StopTraffic stale = StopTraffic.newBuilder().setMetadata(issuedAt(now.minusSeconds(55))).setTimeoutMs(5_000)
                    .build();

            assertThatThrownBy(() -> participant.carryOut(stale, 0))
                    .isInstanceOfSatisfying(StepFailure.class, failure -> assertThat(failure.retryable()).isFalse())
                    .hasMessageContaining("StopTraffic").hasMessageContaining("55 s ago")
                    .hasMessageContaining("nothing was changed");
        }
    }

    @Test
    void aFreshSwitchCommandAndAnOldWayBackAreCarriedOut() {
        Instant now = Instant.parse("2026-12-06T02:00:00Z");
        try (FenceParticipant participant = participantAt(now)) {
            StopTraffic fresh = StopTraffic.newBuilder().setMetadata(issuedAt(now.minusSeconds(2))).setTimeoutMs(5_000)
                    .build();
            RestoreSource oldRestore = RestoreSource.newBuilder().setMetadata(issuedAt(now.minusSeconds(600)))
                    .setReason("rollback").build();

            assertThatThrownBy(() -> participant.carryOut(fresh, 0)).hasMessageNotContaining("ago");
            assertThatThrownBy(() -> participant.carryOut(oldRestore, 0)).hasMessageNotContaining("ago");
        }
    }

    private static FenceParticipant participantAt(Instant now) {
        return new FenceParticipant(new Fence(Clock.fixed(now, ZoneOffset.UTC)), new DatabasesSettings(Map.of()),
                new FenceSettings(Duration.ofSeconds(5), Duration.ofMinutes(2), Duration.ofSeconds(30)),
                new MessagePublisher(null, "cutover-service", Clock.systemUTC()));
    }

    private static Metadata issuedAt(Instant when) {
        return new MetadataFactory("cutover-service", Clock.fixed(when, ZoneOffset.UTC)).forCutover("notify",
                "notify-20261206-020000-ab12");
    }
}
