package dev.cutover.platform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.Test;

import dev.cutover.events.StopTraffic;

class OvertakenUnitTest {

    private final Overtaken overtaken = new Overtaken(Duration.ofSeconds(30), "cutover.fence.overtaken-after");

    @Test
    void aCommandYoungerThanTheLimitIsTaken() {
        StopTraffic stop = stopTraffic();
        Instant issued = stop.getMetadata().getOccurredAt();

        overtaken.refuseIfOlder(stop, issued.plusSeconds(30), "nothing was changed", "check the host");
    }

    @Test
    void aCommandOlderThanTheLimitIsRefusedForGoodNamingItsAgeTheSettingAndWhatWasLeftAlone() {
        StopTraffic stop = stopTraffic();
        Instant issued = stop.getMetadata().getOccurredAt();

        assertThatThrownBy(() -> overtaken.refuseIfOlder(stop, issued.plusSeconds(95), "nothing was changed",
                "if this instance was paused, check its host"))
                .isInstanceOfSatisfying(StepFailure.class, failure -> assertThat(failure.retryable()).isFalse())
                .hasMessage("StopTraffic of cutover-1 was issued 95 s ago (at " + issued + " by test, now "
                        + issued.plusSeconds(95) + " here), more than cutover.fence.overtaken-after (30 s): the saga"
                        + " has given it up and gone on, so it is not carried out and nothing was changed; if this"
                        + " instance was paused, check its host, or the two hosts' clocks differ");
    }

    private static StopTraffic stopTraffic() {
        return StopTraffic.newBuilder().setMetadata(KafkaProbe.metadata("app", "cutover-1", null)).setTimeoutMs(5_000)
                .build();
    }
}
