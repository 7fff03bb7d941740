package dev.cutover.cutover.fence;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;

import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;

import dev.cutover.events.serde.AvroMessageDeserializer;
import dev.cutover.platform.MessagePublisher;
import dev.cutover.platform.database.DatabasesSettings;

class FenceParticipantUnitTest {

    /** No Kafka, no servers: a warm-up that sent anything or touched a server would fail on the nulls. */
    @Test
    void theWarmUpPlaysEveryCommandAndEncodesEveryAnswerWithoutSendingOrConnecting() {
        try (FenceParticipant participant = new FenceParticipant(new Fence(Clock.systemUTC()),
                new DatabasesSettings(Map.of()), new FenceSettings(Duration.ofSeconds(5), Duration.ofMinutes(2)),
                new MessagePublisher(null, "cutover-service", Clock.systemUTC()))) {
            AvroMessageDeserializer decoder = new AvroMessageDeserializer();

            assertThat(participant.playMessages())
                    .map(answer -> decoder.deserialize("cutover.events", new RecordHeaders(), answer).getSchema().getName())
                    .containsExactly("TrafficStopped", "CanaryWritten", "TargetOpened", "SourceRestored");
        }
    }
}
