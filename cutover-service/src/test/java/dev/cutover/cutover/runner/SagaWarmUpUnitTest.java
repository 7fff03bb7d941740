package dev.cutover.cutover.runner;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.springframework.util.unit.DataSize;

import dev.cutover.cutover.saga.Cutover;
import dev.cutover.cutover.saga.Fallback;
import dev.cutover.cutover.saga.Step;
import dev.cutover.platform.MessagePublisher;

class SagaWarmUpUnitTest {

    final SagaRunner saga = runner(Map.of());

    @Test
    void theWarmUpPlaysACompletedCutoverAndTwoRollbacksInMemory() {
        List<Cutover> ends = saga.warmUp();

        assertThat(ends).hasSize(6);
        assertThat(ends.get(0)).isInstanceOf(Cutover.Completed.class);
        assertThat(ends.get(1)).isInstanceOfSatisfying(Cutover.RolledBack.class,
                rolledBack -> assertThat(rolledBack.failedStep()).isEqualTo(Step.STOP_TRAFFIC));
        assertThat(ends.get(2)).isInstanceOfSatisfying(Cutover.RolledBack.class,
                rolledBack -> assertThat(rolledBack.reason()).contains("STOP_TRAFFIC did not finish within"));
        assertThat(saga.partitions()).isEmpty();
    }

    @Test
    void theWarmUpPlaysAFallbackToTheEndAndTwoFallbacksRolledBackInMemory() {
        List<Cutover> ends = saga.warmUp();

        assertThat(fallback(ends.get(3))).isInstanceOf(Fallback.FellBack.class);
        assertThat(fallback(ends.get(4))).isInstanceOfSatisfying(Fallback.RolledBack.class,
                rolledBack -> assertThat(rolledBack.reason()).startsWith("AWAIT_CATCH_UP failed"));
        assertThat(fallback(ends.get(5))).isInstanceOfSatisfying(Fallback.RolledBack.class,
                rolledBack -> assertThat(rolledBack.reason()).contains("AWAIT_CATCH_UP did not finish within"));
        assertThat(saga.partitions()).isEmpty();
    }

    @Test
    void theTimedOutCatchUpAndTheRollbackSentAgainTimeOutWhateverTimeoutsTheOperatorsSet() {
        List<Cutover> ends = runner(Map.of("await-catch-up", Duration.ofMinutes(3)), Duration.ofMinutes(2)).warmUp();

        assertThat(fallback(ends.get(4))).isInstanceOf(Fallback.RolledBack.class);
        assertThat(fallback(ends.get(5))).isInstanceOfSatisfying(Fallback.RolledBack.class,
                rolledBack -> assertThat(rolledBack.reason()).contains("AWAIT_CATCH_UP did not finish within 180s"));
    }

    @Test
    void theTimedOutFenceTimesOutWhateverTimeoutTheOperatorsSet() {
        List<Cutover> ends = runner(Map.of("stop-traffic", Duration.ofMinutes(2))).warmUp();

        assertThat(ends.get(2)).isInstanceOfSatisfying(Cutover.RolledBack.class,
                rolledBack -> assertThat(rolledBack.reason()).contains("STOP_TRAFFIC did not finish within 120s"));
    }

    @Test
    void theWarmUpCanBePlayedAgainAndEndsTheSameWay() {
        List<String> first = saga.warmUp().stream().map(end -> end.getClass().getSimpleName()).toList();

        assertThat(saga.warmUp().stream().map(end -> end.getClass().getSimpleName()).toList()).isEqualTo(first);
    }

    private static Fallback fallback(Cutover end) {
        assertThat(end).isInstanceOf(Cutover.FallingBack.class);
        return ((Cutover.FallingBack) end).fallback();
    }

    /** No Kafka, no log, no sagas: a warm-up that sent, stored or read anything would fail on the nulls. */
    private static SagaRunner runner(Map<String, Duration> timeouts) {
        return runner(timeouts, Duration.ofSeconds(5));
    }

    private static SagaRunner runner(Map<String, Duration> timeouts, Duration compensationTimeout) {
        return new SagaRunner(new MessagePublisher(null, "cutover-service", Clock.systemUTC()), null, null,
                new SagaSettings(List.of("alice"), DataSize.ofMegabytes(16), Duration.ofSeconds(10),
                        Duration.ofMillis(500), compensationTimeout, timeouts, Map.of(), Duration.ofMillis(20), 0,
                        Duration.ofMillis(100), Duration.ofSeconds(5), 3, Duration.ofMinutes(10),
                        Duration.ofSeconds(1)),
                Set.of(), Set.of(), MigrationsInFlight.NONE, Clock.systemUTC());
    }
}
