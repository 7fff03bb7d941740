package dev.cutover.sandbox.faults;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.cutover.sandbox.rehearsal.ClientDns;
import dev.cutover.sandbox.rehearsal.Layout;
import dev.cutover.sandbox.rehearsal.RehearsalOptions;

/**
 * The fault matrix's CI subset ({@link FaultMatrix#ciSubset()}): one case of each kind of fault, each a short cutover
 * in the production layout on one shared bench, must end as written down beforehand, with nothing lost and nothing
 * written after the fence.
 */
class FaultMatrixIntegrationTest {

    @Test
    void everyKindOfFaultEndsAsExpectedWithNothingLostAndNothingWrittenAfterTheFence() throws Exception {
        RehearsalOptions options = new RehearsalOptions(2, 200, 4, Duration.ofSeconds(1), 200, 200,
                MatrixBench.BOUNDED_WAIT).withLayout(Layout.PROCESSES, ClientDns.NONE);

        List<CaseResult> results = MatrixRun.run(FaultMatrix.ciSubset(), options, System.out);

        System.out.print(MatrixRun.table(results));
        assertThat(results).allSatisfy(result -> {
            assertThat(result.actual()).as("%s (%s)", result.name(), result.note()).isEqualTo(result.expected());
            assertThat(result.lostWrites()).as("%s: acknowledged writes lost", result.name()).isZero();
            assertThat(result.writesAfterFence()).as("%s: writes the source acknowledged after the fence", result.name())
                    .isZero();
        });
    }
}
