package dev.cutover.ctl.replay;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;

import org.junit.jupiter.api.Test;

class MigrationSummaryUnitTest {

    private static final Instant START = Instant.parse("2026-11-25T10:15:00Z");
    private static final String ID = "stock-migration-20261125-101500-u001";

    @Test
    void a_refused_abort_leaves_a_running_migration_running() {
        var summary = MigrationSummary.of(ID, MigrationScript.of(ID, "stock", START).startedAndLoading()
                .rejected(3_000, "abort refused: operator mallory is not allowed to abort migrations").records());

        assertThat(summary.outcome()).isEqualTo(Outcome.RUNNING);
        assertThat(summary.step()).isEqualTo("FULL_LOAD");
        assertThat(summary.lastFailure()).contains("abort refused");
    }

    @Test
    void a_start_refused_before_anything_ran_ends_the_migration_as_rejected() {
        var summary = MigrationSummary.of(ID, MigrationScript.of(ID, "stock", START).requested()
                .rejected(15, "operator mallory is not allowed to start migrations").records());

        assertThat(summary.outcome()).isEqualTo(Outcome.REJECTED);
        assertThat(summary.ending(START.plusSeconds(60))).isEqualTo(
                "rejected after 15 ms: rejected: operator mallory is not allowed to start migrations");
    }

    @Test
    void the_time_left_needs_the_sizes_and_a_first_table_and_ends_with_the_load() {
        var script = MigrationScript.of(ID, "stock", START).startedAndLoading()
                .tableCopied(4_000, "public.items");
        assertThat(MigrationSummary.of(ID, script.records()).load().left()).as("no sizes yet").isEmpty();

        script.sized(4_100, new TreeMap<>(Map.of("public.items", 30, "public.orders", 10)));
        var sized = MigrationSummary.of(ID, script.records()).load();
        assertThat(sized.tablesTotal()).isEqualTo(2);
        assertThat(sized.left()).as("sizes that came after the first table count it")
                .contains(Duration.ofMillis(667));

        script.tableCopied(5_000, "public.orders").loaded(5_100, 2);
        var done = MigrationSummary.of(ID, script.records()).load();
        assertThat(done.left()).isEmpty();
        assertThat(done.describe()).isEqualTo("2 of 2 tables copied, 2,000 rows, 20.0 MB at 6.7 MB/s, done");
    }
}
