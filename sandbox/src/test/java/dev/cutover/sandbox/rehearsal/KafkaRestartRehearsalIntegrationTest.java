package dev.cutover.sandbox.rehearsal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import dev.cutover.sandbox.report.CutoverResult;
import dev.cutover.sandbox.report.Report;

/**
 * A short rehearsal whose Kafka broker restarts as the switch begins: every service must find the broker again on
 * its own, and the saga finish the cutover from where its transactions left off, with nothing lost.
 */
class KafkaRestartRehearsalIntegrationTest {

    @Test
    void aBrokerRestartedAsTheSwitchBeginsLetsTheCutoverCompleteWithNothingLost() throws Exception {
        RehearsalOptions options = new RehearsalOptions(5, 300, 4, Duration.ofSeconds(1), 300, 300, Duration.ofMinutes(3));
        Rehearsal rehearsal = new Rehearsal(options, System.out).withFault(Fault.named("restart-kafka"));

        Report report = rehearsal.run();

        FaultVerdict verdict = rehearsal.faultVerdict();
        assertThat(verdict.run().injected()).as("the broker was stopped").isTrue();
        assertThat(verdict.run().healedAt()).as("the broker was started again").isNotNull();
        assertThat(verdict.run().failure()).isNull();
        assertThat(report.result()).isEqualTo(CutoverResult.COMPLETED);
        assertThat(report.lostWrites()).isZero();
        assertThat(report.writesAfterFence()).isZero();
    }
}
