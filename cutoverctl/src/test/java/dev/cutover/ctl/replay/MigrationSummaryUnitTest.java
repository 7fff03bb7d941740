package dev.cutover.ctl.replay;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.junit.jupiter.api.Test;

class MigrationSummaryUnitTest {

    private static final Instant START = Instant.parse("2026-11-25T10:15:00Z");
    private static final String ID = "stock-migration-20261125-101500-u001";

    @Test
    void a_dry_run_without_blockers_ends_planned_and_reports_its_tables_largest_first_with_every_finding() {
        var summary = MigrationSummary.of(ID, MigrationScript.of(ID, "stock", START).dryRun(false).records());

        assertThat(summary.outcome()).isEqualTo(Outcome.PLANNED);
        assertThat(summary.outcome().exitCode()).isZero();
        assertThat(summary.report()).containsExactly(
                "dry run   nothing was changed on the source or the target",
                "schemas   public, sales",
                "tables    2 tables, largest first:",
                "          sales.orders     55.0 MB  rows unknown",
                "          public.items      2.0 MB  ~10,000 rows",
                "total     57.0 MB on the source",
                "full load about 954 ms at 59.8 MB/s (cutover.migration.full-load-rate)",
                "findings  1, 0 blockers",
                "          WARNING long_transaction on pid 4711: open for 2 h (remedy: end it before the migration)");
        assertThat(summary.render(START.plusSeconds(1))).contains("result    planned (dry run)");
    }

    @Test
    void a_dry_run_with_blockers_ends_stopped_and_still_reports_its_plan() {
        var summary = MigrationSummary.of(ID, MigrationScript.of(ID, "stock", START).dryRun(true).records());

        assertThat(summary.outcome()).isEqualTo(Outcome.STOPPED);
        assertThat(summary.outcome().exitCode()).isEqualTo(1);
        assertThat(summary.report()).contains("findings  2, 1 blocker",
                "          BLOCKER wal_level on server: wal_level is replica, logical replication needs logical"
                        + " (remedy: set wal_level = logical and restart)");
        assertThat(summary.render(START.plusSeconds(1))).contains("result    stopped (dry run)");
    }

    @Test
    void a_migration_that_is_not_a_dry_run_reports_no_plan() {
        var summary = MigrationSummary.of(ID, MigrationScript.of(ID, "stock", START).startedAndLoading().records());

        assertThat(summary.dryRun()).isFalse();
        assertThat(summary.report()).isEmpty();
    }

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

    @Test
    void a_resumed_load_says_which_tables_table_synchronisation_still_copies() {
        var script = MigrationScript.of(ID, "stock", START).startedAndLoading()
                .tableCopied(4_000, "public.items")
                .resumed(9_000, Map.of("public.items", 1_000L, "public.prices", 500L), List.of("public.orders"));

        var load = MigrationSummary.of(ID, script.records()).load();

        assertThat(load.tables()).isEqualTo(2);
        assertThat(load.tablesTotal()).isEqualTo(3);
        assertThat(load.left()).isEmpty();
        assertThat(load.describe()).isEqualTo("2 of 3 tables copied, 1,500 rows, 10.0 MB at 5.0 MB/s, resumed: 1 table left to"
                + " table synchronisation while streaming starts (public.orders)");
    }

    @Test
    void a_migration_aborted_after_it_was_ready_reads_as_stopped_with_its_reason_and_clean_up() {
        var summary = MigrationSummary.of(ID, MigrationScript.of(ID, "stock", START).startedAndLoading()
                .loaded(4_100, 1).ready(9_000)
                .aborted(60_000, "ops", "redo", false)
                .stopped(60_050, "VERIFY_DATA", "aborted by ops: redo")
                .cleanedUp(61_000).records());

        assertThat(summary.outcome()).isEqualTo(Outcome.STOPPED);
        assertThat(summary.outcome().exitCode()).isEqualTo(1);
        assertThat(summary.readyAt()).as("it was ready once").isEqualTo(START.plusSeconds(9));
        assertThat(summary.ending(START.plusSeconds(120)))
                .isEqualTo("stopped after 1 min 00.050 s: VERIFY_DATA: aborted by ops: redo");
        assertThat(summary.render(START.plusSeconds(120))).contains(
                "result    stopped",
                "abort     requested by ops ('redo')",
                "failure   VERIFY_DATA: aborted by ops: redo",
                "cleanup   target subscription cutover_sub_stock: dropped",
                "cleanup   source replication slot cutover_slot_stock: dropped");
    }

    @Test
    void a_stop_stays_final_whatever_follows_it() {
        var summary = MigrationSummary.of(ID, MigrationScript.of(ID, "stock", START).startedAndLoading()
                .stopped(5_000, "FULL_LOAD", "aborted by bob").ready(6_000).records());

        assertThat(summary.outcome()).as("a stop is final").isEqualTo(Outcome.STOPPED);
    }

    @Test
    void a_clean_up_that_succeeded_after_a_failed_one_clears_its_failure_and_the_advice_to_clean_up() {
        var script = MigrationScript.of(ID, "stock", START).startedAndLoading()
                .stoppedWithPartialCopy(5_000, "CopyData failed: disk full on the target")
                .aborted(10_000, "ops", null, true)
                .stepFailed(10_500, "replicator", "CleanUpMigration", "the target at target:5432 refused the login");
        var failed = MigrationSummary.of(ID, script.records()).render(START.plusSeconds(30));
        assertThat(failed).contains("failure   CleanUpMigration failed: the target at target:5432 refused the login");
        assertThat(failed).anyMatch(line -> line.startsWith("next      The target holds a partial copy."));

        script.aborted(20_000, "ops", null, true).cleanedUpWithTables(20_500, true);
        var cleaned = MigrationSummary.of(ID, script.records()).render(START.plusSeconds(30));

        assertThat(cleaned).contains(
                "failure   FULL_LOAD: CopyData failed: disk full on the target",
                "next      " + MigrationSummary.CLEANED_UP,
                "cleanup   target table public.items: dropped");
        assertThat(cleaned).noneMatch(line -> line.contains("refused the login") || line.contains("partial copy"));
    }

    @Test
    void a_clean_up_that_kept_the_target_tables_keeps_the_advice_to_drop_them() {
        var summary = MigrationSummary.of(ID, MigrationScript.of(ID, "stock", START).startedAndLoading()
                .stoppedWithPartialCopy(5_000, "CopyData failed: disk full on the target")
                .aborted(10_000, "ops", null, false).cleanedUpWithTables(10_500, false).records());

        assertThat(summary.operatorAction()).startsWith("The target holds a partial copy.");
    }

    @Test
    void a_dry_run_whose_preflight_never_ran_does_not_report_its_findings_as_none() {
        var summary = MigrationSummary.of(ID, MigrationScript.of(ID, "stock", START).dryRunStarted()
                .stepFailed(600, "schema-service", "CheckPreflight", "the source refused the login of user cutover")
                .stopped(620, "PREFLIGHT", "PREFLIGHT failed: the source refused the login of user cutover")
                .records());

        assertThat(summary.outcome()).isEqualTo(Outcome.STOPPED);
        assertThat(summary.report()).containsExactly(
                "dry run   nothing was changed on the source or the target",
                "findings  not known: the preflight did not run (PREFLIGHT: PREFLIGHT failed: the source refused the"
                        + " login of user cutover)");
    }

    @Test
    void a_dry_run_refused_at_its_start_says_the_preflight_did_not_run() {
        var summary = MigrationSummary.of(ID, MigrationScript.of(ID, "stock", START).dryRunRequested()
                .rejected(15, "operator mallory is not allowed to start migrations").records());

        assertThat(summary.outcome()).isEqualTo(Outcome.REJECTED);
        assertThat(summary.report()).contains("findings  not known: the preflight did not run (rejected: operator"
                + " mallory is not allowed to start migrations)");
    }

    @Test
    void a_dry_run_still_waiting_for_its_preflight_says_so() {
        var summary = MigrationSummary.of(ID, MigrationScript.of(ID, "stock", START).dryRunStarted().records());

        assertThat(summary.report()).contains("findings  not known yet: the preflight has not answered");
    }
}
