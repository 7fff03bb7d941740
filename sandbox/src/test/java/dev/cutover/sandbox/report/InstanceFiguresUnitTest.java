package dev.cutover.sandbox.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import org.junit.jupiter.api.Test;

import dev.cutover.sandbox.client.ClientRecord.Attempt;

class InstanceFiguresUnitTest {

    private static final long MS = 1_000_000;
    /** The client's start; attempts below are given in ms from it. */
    private static final long START = 1_000 * MS;
    private static final long WINDOW = START + 2_000 * MS;
    private static final long STOP = START + 4_000 * MS;

    private static Attempt acked(int instance, long beganMs, long endedMs) {
        return new Attempt(instance, START + beganMs * MS, START + endedMs * MS, true);
    }

    private static Attempt failed(int instance, long beganMs, long endedMs) {
        return new Attempt(instance, START + beganMs * MS, START + endedMs * MS, false);
    }

    @Test
    void eachInstanceHasItsOwnDowntimeAndTheFleetItsWorstAndMedian() {
        List<Attempt> attempts = List.of(
                acked(0, 1_890, 1_900), acked(0, 2_290, 2_300), acked(0, 3_890, 3_900),
                acked(1, 1_940, 1_950), acked(1, 2_140, 2_150), acked(1, 3_940, 3_950),
                acked(2, 1_980, 1_990), acked(2, 2_980, 2_990), acked(2, 3_980, 3_990));

        InstanceFigures figures = InstanceFigures.of(3, attempts, START, WINDOW, STOP);

        assertThat(figures.instances()).extracting(InstanceFigures.Instance::downtimeNanos)
                .containsExactly(1_600 * MS, 1_800 * MS, 1_000 * MS);
        assertThat(figures.maxDowntimeNanos()).isEqualTo(1_800 * MS);
        assertThat(figures.medianDowntimeNanos()).isEqualTo(1_600 * MS);
    }

    @Test
    void aGapThatBeginsBeforeTheWindowAndEndsInItCounts() {
        List<Attempt> attempts = List.of(acked(0, 500, 500), acked(0, 1_700, 1_700), acked(0, 3_990, 4_000));

        InstanceFigures figures = InstanceFigures.of(1, attempts, START, WINDOW, STOP);

        assertThat(figures.maxDowntimeNanos()).isEqualTo(2_300 * MS);
    }

    @Test
    void failedStatementsAndStallsCountFromTheWindowsStartOnly() {
        List<Attempt> attempts = List.of(
                failed(0, 100, 900), acked(0, 900, 950),
                failed(0, 2_500, 2_510), failed(0, 2_520, 2_530), acked(0, 2_540, 2_620),
                acked(1, 1_000, 1_300), acked(1, 3_990, 4_000));

        InstanceFigures figures = InstanceFigures.of(2, attempts, START, WINDOW, STOP);

        assertThat(figures.instances()).extracting(InstanceFigures.Instance::failedStatements).containsExactly(2L, 0L);
        assertThat(figures.failedStatements()).isEqualTo(2);
        // The 800 ms failure ended before the window: instance 0's longest stall is its 80 ms acknowledged attempt.
        assertThat(figures.instances()).extracting(InstanceFigures.Instance::longestStallNanos).containsExactly(80 * MS, 10 * MS);
        assertThat(figures.maxStallNanos()).isEqualTo(80 * MS);
        assertThat(figures.medianStallNanos()).isEqualTo(45 * MS);
    }

    @Test
    void anInstanceThatNeverWroteWasDownFromTheClientsStart() {
        InstanceFigures figures = InstanceFigures.of(2, List.of(acked(0, 3_000, 3_000)), START, WINDOW, STOP);

        assertThat(figures.instances().get(1).downtimeNanos()).isEqualTo(STOP - START);
        assertThat(figures.instances().get(1).longestStallNanos()).isZero();
    }

    @Test
    void anAttemptOfAnInstanceTheClientDidNotHaveIsRefused() {
        assertThatThrownBy(() -> InstanceFigures.of(1, List.of(acked(1, 0, 1)), START, WINDOW, STOP))
                .hasMessageContaining("instance 1 in a client of 1 instances");
    }
}
