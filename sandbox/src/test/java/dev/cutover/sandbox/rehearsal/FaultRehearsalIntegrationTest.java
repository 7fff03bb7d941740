package dev.cutover.sandbox.rehearsal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import dev.cutover.sandbox.report.CutoverResult;
import dev.cutover.sandbox.report.Report;

/**
 * A short rehearsal with one fault, the whole way on the real stack: replication stalls at the canary, so the
 * canary never reaches the target and the saga must put the source back with nothing lost.
 */
class FaultRehearsalIntegrationTest {

    @Test
    void aReplicationStalledAtTheCanaryRollsBackAndTheSourceServesAgainWithNothingLost() throws Exception {
        RehearsalOptions options = new RehearsalOptions(5, 300, 4, Duration.ofSeconds(1), 300, 300, Duration.ofMinutes(3));
        Rehearsal rehearsal = new Rehearsal(options, System.out).withFault(Fault.named("stall-replication"));

        Report report = rehearsal.run();

        assertThat(report.result()).isEqualTo(CutoverResult.ROLLED_BACK);
        assertThat(report.lostWrites()).isZero();
        assertThat(report.writesAfterFence()).isZero();
        assertThat(report.exitCode()).isZero();
        FaultVerdict verdict = rehearsal.faultVerdict();
        assertThat(verdict.run().injected()).as("the fault was injected").isTrue();
        assertThat(verdict.run().failure()).isNull();
        assertThat(verdict.appWriteOnSource()).as("a write as the application's role on the source fails with").isNull();
        assertThat(verdict.sourceAcksAfterRollback()).isGreaterThanOrEqualTo(300);
    }
}
