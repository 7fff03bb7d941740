package dev.cutover.replicator.copy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Optional;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;

import dev.cutover.replicator.postgres.TableName;

class CopyPlanUnitTest {

    private static final long MB = 1024 * 1024;

    private static SourceTable table(String name, long bytes, Split split) {
        return new SourceTable(new TableName("public", name), List.of("id", "payload"), true, bytes, bytes / 8192, split);
    }

    @Test
    void tasksAreOrderedBiggestFirst() {
        List<CopyTask> plan = CopyPlan.of(List.of(table("small", MB, new Split.ByBlocks()),
                table("large", 100 * MB, new Split.ByBlocks()), table("medium", 10 * MB, new Split.ByBlocks())),
                4, 1024 * MB);

        assertThat(plan).extracting(task -> task.table().name().name()).containsExactly("large", "medium", "small");
        assertThat(plan).allSatisfy(task -> assertThat(task.range()).isEqualTo(new CopyRange.All()));
    }

    @Test
    void tableBelowTheThresholdIsCopiedWhole() {
        List<CopyTask> plan = CopyPlan.of(List.of(table("orders", 200 * MB, new Split.ByBlocks())), 4, 256 * MB);

        assertThat(plan).singleElement().satisfies(task -> {
            assertThat(task.range()).isEqualTo(new CopyRange.All());
            assertThat(task.parts()).isEqualTo(1);
        });
    }

    @Test
    void largeTableIsCutIntoAtMostOneBlockRangePerWorkerCoveringEveryBlock() {
        SourceTable orders = table("orders", 1000 * MB, new Split.ByBlocks());

        List<CopyTask> plan = CopyPlan.of(List.of(orders), 4, 100 * MB);

        assertThat(plan).hasSize(4).allSatisfy(task -> assertThat(task.parts()).isEqualTo(4));
        List<CopyRange.Blocks> ranges = plan.stream().map(task -> (CopyRange.Blocks) task.range())
                .sorted((a, b) -> Long.compare(a.from(), b.from())).toList();
        assertThat(ranges.getFirst().from()).isZero();
        IntStream.range(0, ranges.size() - 1).forEach(i ->
                assertThat(ranges.get(i).to()).contains(ranges.get(i + 1).from()));
        assertThat(ranges.getLast().to()).as("the last range is open for blocks added after sizing").isEmpty();
    }

    @Test
    void tableJustOverTheThresholdIsCutInTwoEvenWithManyWorkers() {
        List<CopyTask> plan = CopyPlan.of(List.of(table("orders", 300 * MB, new Split.ByBlocks())), 8, 256 * MB);

        assertThat(plan).hasSize(2);
    }

    @Test
    void keySplitPicksQuantilesNearestToEvenFractions() {
        List<String> quantiles = IntStream.rangeClosed(1, 63).mapToObj(i -> String.valueOf(i * 100)).toList();
        SourceTable events = table("events", 1000 * MB, new Split.ByKey("id", "bigint", quantiles));

        List<CopyTask> plan = CopyPlan.of(List.of(events), 4, 100 * MB);

        assertThat(plan).extracting(CopyTask::range).containsExactlyInAnyOrder(
                new CopyRange.Keys("id", "bigint", Optional.empty(), Optional.of("1600")),
                new CopyRange.Keys("id", "bigint", Optional.of("1600"), Optional.of("3200")),
                new CopyRange.Keys("id", "bigint", Optional.of("3200"), Optional.of("4800")),
                new CopyRange.Keys("id", "bigint", Optional.of("4800"), Optional.empty()));
    }

    @Test
    void keySplitWithFewDistinctValuesMakesFewerRanges() {
        SourceTable flags = table("flags", 1000 * MB, new Split.ByKey("id", "integer", List.of("7")));

        List<CopyTask> plan = CopyPlan.of(List.of(flags), 4, 100 * MB);

        assertThat(plan).extracting(CopyTask::range).containsExactlyInAnyOrder(
                new CopyRange.Keys("id", "integer", Optional.empty(), Optional.of("7")),
                new CopyRange.Keys("id", "integer", Optional.of("7"), Optional.empty()));
    }

    @Test
    void unsplittableTableIsCopiedWholeHoweverLarge() {
        List<CopyTask> plan = CopyPlan.of(List.of(table("blob", 5000 * MB, new Split.Whole())), 4, 100 * MB);

        assertThat(plan).singleElement().extracting(CopyTask::range).isEqualTo(new CopyRange.All());
    }

    @Test
    void oneWorkerNeverSplits() {
        List<CopyTask> plan = CopyPlan.of(List.of(table("orders", 5000 * MB, new Split.ByBlocks())), 1, 100 * MB);

        assertThat(plan).singleElement().extracting(CopyTask::range).isEqualTo(new CopyRange.All());
    }

    @Test
    void splitTablesInterleaveWithWholeOnesBySize() {
        List<CopyTask> plan = CopyPlan.of(List.of(table("big", 800 * MB, new Split.ByBlocks()),
                table("mid", 300 * MB, new Split.ByBlocks())), 2, 256 * MB);

        assertThat(plan).extracting(task -> task.table().name().name() + "/" + task.estimatedBytes() / MB)
                .containsExactly("big/400", "big/400", "mid/150", "mid/150");
    }

    @Test
    void aBigTableWithinAnEvenShareOfTheWorkIsCopiedWholeSoItCanBeFrozen() {
        List<SourceTable> tables = List.of(table("events", 900 * MB, new Split.ByBlocks()),
                table("order_lines", 250 * MB, new Split.ByBlocks()), table("audit_log", 180 * MB, new Split.ByBlocks()),
                table("sessions", 150 * MB, new Split.ByBlocks()), table("orders", 125 * MB, new Split.ByBlocks()),
                table("payments", 95 * MB, new Split.ByBlocks()), table("shipments", 85 * MB, new Split.ByBlocks()),
                table("accounts", 65 * MB, new Split.ByBlocks()), table("notes", 50 * MB, new Split.ByBlocks()));

        assertThat(CopyPlan.of(tables, 2, 256 * MB)).allSatisfy(task -> assertThat(task.parts()).isEqualTo(1));
        assertThat(CopyPlan.of(tables, 4, 256 * MB)).filteredOn(task -> task.parts() > 1)
                .extracting(task -> task.table().name().name() + "/" + task.parts())
                .containsExactly("events/2", "events/2");
    }

    @Test
    void aCutThatCannotShortenTheCopyIsNotMade() {
        List<CopyTask> plan = CopyPlan.of(List.of(table("blob", 2000 * MB, new Split.Whole()),
                table("orders", 600 * MB, new Split.ByBlocks())), 2, 100 * MB);

        assertThat(plan).allSatisfy(task -> assertThat(task.parts()).isEqualTo(1));
    }

    @Test
    void zeroWorkersIsRefusedWithTheSettingToChange() {
        assertThatThrownBy(() -> CopyPlan.of(List.of(), 0, MB)).hasMessageContaining("at least one worker");
    }

    @Test
    void rangeConditionsQuoteKeyValuesAndCastThem() {
        CopyRange range = new CopyRange.Keys("order id", "uuid", Optional.of("a'b"), Optional.empty());

        assertThat(range.condition()).contains("\"order id\" >= 'a''b'::uuid");
    }

    @Test
    void blockRangeConditionsUseTidBounds() {
        assertThat(new CopyRange.Blocks(10, Optional.of(20L)).condition())
                .contains("ctid >= '(10,0)'::tid AND ctid < '(20,0)'::tid");
        assertThat(new CopyRange.Blocks(20, Optional.empty()).condition()).contains("ctid >= '(20,0)'::tid");
    }
}
