package dev.cutover.replicator.verify;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import org.junit.jupiter.api.Test;

import dev.cutover.replicator.postgres.TableName;

class RangeSampleUnitTest {

    private static final TableName ORDERS = new TableName("shop", "orders");

    @Test
    void theSameSeedPicksTheSameRangesAndAnotherSeedOtherOnes() {
        assertThat(RangeSample.pick(ORDERS, 1000, 0.05, 42, Set.of()))
                .isEqualTo(RangeSample.pick(ORDERS, 1000, 0.05, 42, Set.of()))
                .isNotEqualTo(RangeSample.pick(ORDERS, 1000, 0.05, 43, Set.of()))
                .hasSize(50);
    }

    @Test
    void everyTableGetsAtLeastOneRangeHoweverSmallTheFraction() {
        assertThat(RangeSample.pick(ORDERS, 1, 0.0001, 1, Set.of())).containsExactly(0);
        assertThat(RangeSample.pick(ORDERS, 300, 0.0001, 1, Set.of())).hasSize(1);
    }

    @Test
    void everyChangedRangeIsPickedBesidesTheSample() {
        var picked = RangeSample.pick(ORDERS, 100, 0.01, 9, Set.of(3, 50, 99));

        assertThat(picked).contains(3, 50, 99).hasSizeBetween(3, 4);
    }

    @Test
    void consecutiveRangesAreReadAsOneRun() {
        assertThat(RangeSample.runs(new TreeSet<>(List.of(0, 1, 2, 5, 7, 8))))
                .containsExactly(new RangeSample.Run(0, 2), new RangeSample.Run(5, 5), new RangeSample.Run(7, 8));
        assertThat(RangeSample.runs(new TreeSet<>())).isEmpty();
    }
}
