package dev.cutover.replicator.verify;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;

class ComparisonUnitTest {

    private static final KeyRanges BY_ID = new KeyRanges("id", "bigint", List.of("100", "200"));

    private static RangeSum sum(long rows, long checksum) {
        return new RangeSum(rows, BigDecimal.valueOf(checksum));
    }

    @Test
    void identicalRangesReportNothing() {
        Map<Integer, RangeSum> side = Map.of(0, sum(99, 5), 1, sum(100, -7), 2, sum(3, 11));

        assertThat(Comparison.of("public.orders", BY_ID, side, Map.copyOf(side))).isEmpty();
    }

    @Test
    void aRangeWithFewerRowsOnTheTargetIsNamedWithBothCounts() {
        List<Mismatch> found = Comparison.of("public.orders", BY_ID, Map.of(0, sum(99, 5), 1, sum(100, 8)),
                Map.of(0, sum(99, 5), 1, sum(98, 3)));

        assertThat(found).containsExactly(new Mismatch("public.orders", Optional.of("id [100,200)"), 100, 98,
                "2 rows missing on the target"));
    }

    @Test
    void aRangeWithTheSameCountButOtherContentIsNamedAsChanged() {
        List<Mismatch> found = Comparison.of("public.orders", BY_ID, Map.of(2, sum(3, 11)), Map.of(2, sum(3, 12)));

        assertThat(found).singleElement().satisfies(mismatch -> {
            assertThat(mismatch.range()).contains("id [200,+inf)");
            assertThat(mismatch.detail()).contains("checksums differ");
        });
    }

    @Test
    void aRangePresentOnlyOnTheTargetIsReportedAsExtraRows() {
        List<Mismatch> found = Comparison.of("public.orders", BY_ID, Map.of(), Map.of(0, sum(4, 1)));

        assertThat(found).singleElement().satisfies(mismatch -> {
            assertThat(mismatch.range()).contains("id [-inf,100)");
            assertThat(mismatch.detail()).isEqualTo("4 rows more on the target than on the source");
        });
    }

    @Test
    void aTableComparedWholeHasNoRange() {
        List<Mismatch> found = Comparison.of("public.notes", KeyRanges.whole(), Map.of(0, sum(1, 1)), Map.of());

        assertThat(found).singleElement().extracting(Mismatch::range).isEqualTo(Optional.empty());
    }
}
