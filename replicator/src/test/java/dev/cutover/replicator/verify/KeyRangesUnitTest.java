package dev.cutover.replicator.verify;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import dev.cutover.replicator.postgres.TableName;

class KeyRangesUnitTest {

    private final KeyRanges ranges = new KeyRanges("Id", "bigint", List.of("100", "200", "300"));

    @Test
    void aSliceOfBucketsReadsFromTheBoundBeforeItsFirstUpToTheBoundOfItsLast() {
        assertThat(ranges.where(1, 2)).isEqualTo(" WHERE r.\"Id\" >= '100'::bigint AND r.\"Id\" < '300'::bigint");
    }

    @Test
    void theFirstAndLastSlicesAreOpenAtTheirOuterEnds() {
        assertThat(ranges.where(0, 1)).isEqualTo(" WHERE r.\"Id\" < '200'::bigint");
        assertThat(ranges.where(2, 3)).isEqualTo(" WHERE r.\"Id\" >= '200'::bigint");
    }

    @Test
    void allBucketsNeedNoCondition() {
        assertThat(ranges.where(0, 3)).isEmpty();
        assertThat(KeyRanges.whole().where(0, 0)).isEmpty();
    }

    @Test
    void scatteredRangesAreReadByOneStatementWithAConditionForEach() {
        String sql = DataVerifier.runSums(new TableName("shop", "items"), List.of(new HashedColumn("Id", Optional.empty())),
                ranges, List.of(new RangeSample.Run(0, 0), new RangeSample.Run(2, 2)));

        assertThat(sql).contains(" WHERE (r.\"Id\" < '100'::bigint) OR (r.\"Id\" >= '200'::bigint"
                + " AND r.\"Id\" < '300'::bigint) OFFSET 0) buckets GROUP BY 1");
    }
}
