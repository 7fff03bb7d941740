package dev.cutover.cutover.fence;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.UUID;
import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.Test;

class EarlyCommandsUnitTest {

    private final EarlyCommands early = new EarlyCommands();

    @Test
    void aCommandCarriedOutEarlyIsSkippedOnceByTheListenerAndThenForgotten() {
        UUID command = UUID.randomUUID();
        early.claim(command).complete(true);

        assertThat(early.outcome(command)).isTrue();
        assertThat(early.outcome(command)).as("read from Kafka again after a restart of the consumer: carried out")
                .isFalse();
    }

    @Test
    void aCommandThatFailedEarlyIsLeftToTheListener() {
        UUID command = UUID.randomUUID();
        early.claim(command).complete(false);

        assertThat(early.outcome(command)).isFalse();
    }

    @Test
    void aCommandNeverClaimedIsTheListenersAndTheListenerWaitsForOneUnderWay() {
        assertThat(early.outcome(UUID.randomUUID())).isFalse();

        UUID command = UUID.randomUUID();
        CompletableFuture<Boolean> underWay = early.claim(command);
        CompletableFuture<Boolean> asked = CompletableFuture.supplyAsync(() -> early.outcome(command));
        assertThat(asked).isNotDone();
        underWay.complete(true);
        assertThat(asked.join()).isTrue();
    }

    @Test
    void aCommandClaimedAsItWasSentButNotCommittedOrNotThisInstancesIsLeftToTheListener() {
        UUID command = UUID.randomUUID();
        early.claim(command);

        early.release(command);

        assertThat(early.outcome(command)).isFalse();
    }

    @Test
    void closingLetsTheListenerCarryOutWhatWasStillUnderWay() {
        UUID command = UUID.randomUUID();
        early.claim(command);

        early.close();

        assertThat(early.outcome(command)).isFalse();
    }
}
