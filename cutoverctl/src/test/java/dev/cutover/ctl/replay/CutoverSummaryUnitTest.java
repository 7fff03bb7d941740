package dev.cutover.ctl.replay;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.Test;

class CutoverSummaryUnitTest {

    private static final Instant START = Instant.parse("2026-11-25T10:15:00Z");

    @Test
    void a_completed_cutover_shows_who_started_it_the_result_elapsed_time_and_downtime() {
        var summary = CutoverSummary.of("shop-1", CutoverScript.completed("shop-1", "shop", START).records());

        assertThat(summary.render(START.plusSeconds(3600))).containsExactly(
                "cutover   shop-1",
                "database  shop",
                "operator  alice, reason 'CHG-4711'",
                "started   2026-11-25T10:15:00Z",
                "result    completed",
                "ended     +0.575s",
                "elapsed   575 ms",
                "downtime  412 ms (CutoverCompleted.downtimeMs)",
                "messages  16");
    }

    @Test
    void a_completed_cutover_shows_how_its_fallback_ended_and_stays_completed() {
        var rolledBack = CutoverSummary.of("shop-8", CutoverScript.completed("shop-8", "shop", START).fallback(false)
                .records());
        var fellBack = CutoverSummary.of("shop-9", CutoverScript.completed("shop-9", "shop", START).fallback(true)
                .records());

        assertThat(rolledBack.outcome()).isEqualTo(Outcome.COMPLETED);
        assertThat(rolledBack.render(START.plusSeconds(3600))).contains("fallback  rolled back after AWAIT_CATCH_UP"
                + " (stalled): the target serves, the source still follows it");
        assertThat(fellBack.render(START.plusSeconds(3600))).contains(
                "fallback  completed, downtime 310 ms: the source serves");
    }

    @Test
    void a_fallback_rolling_back_shows_the_part_confirmed_while_the_other_is_sent_again() {
        var script = CutoverScript.completed("shop-10", "shop", START).fallbackAwaitingTheName();

        var summary = CutoverSummary.of("shop-10", script.records());

        assertThat(summary.outcome()).isEqualTo(Outcome.COMPLETED);
        assertThat(summary.render(START.plusSeconds(3600))).contains(
                "fallback  rolling back after AWAIT_CATCH_UP: stalled (OPEN_TARGET confirmed)");
        assertThat(script.lines()).extracting(line -> Summaries.of(line.message())).contains(
                "OPEN_TARGET confirmed; the fallback's rollback waits for the rest");
    }

    @Test
    void a_running_cutover_shows_the_step_it_waits_on_and_how_long_traffic_has_been_stopped() {
        var script = CutoverScript.of("shop-2", "shop", START).started(false).fencedAndCaughtUp();

        var summary = CutoverSummary.of("shop-2", script.records());

        assertThat(summary.outcome()).isEqualTo(Outcome.RUNNING);
        assertThat(summary.currentStep()).isEqualTo("OpenTarget");
        assertThat(summary.elapsed(START.plusMillis(1500))).isEqualTo(Duration.ofMillis(1500));
        assertThat(summary.render(START.plusMillis(1500))).contains(
                "result    running",
                "step      OpenTarget, last TargetOpened at +0.364s",
                "downtime  traffic stopped for 1.339 s so far");
    }

    @Test
    void a_cutover_whose_saga_fell_silent_stays_running_and_shows_what_the_operator_must_do() {
        var script = CutoverScript.of("shop-11", "shop", START).started(false).sagaSilent(120_014);

        var summary = CutoverSummary.of("shop-11", script.records());
        var timeline = Timeline.of("shop-11", script.records());

        assertThat(summary.outcome()).isEqualTo(Outcome.RUNNING);
        assertThat(summary.render(START.plusSeconds(200))).contains("failure   the saga is silent: Start cutover-service:"
                + " it recovers the saga from cutover.events and carries on.");
        assertThat(timeline.render()).anySatisfy(line -> assertThat(line).contains("SagaSilent", "lag-monitor",
                "no event from the saga for 2 min 00.000 s since StepStarted STOP_TRAFFIC: Start cutover-service"));
    }

    @Test
    void a_running_cutover_shows_every_step_in_flight_side_by_side() {
        var script = CutoverScript.of("shop-5", "shop", START).started(false).stepsSideBySide();

        var summary = CutoverSummary.of("shop-5", script.records());

        assertThat(summary.inFlight()).containsExactly("AWAIT_CATCH_UP");
        assertThat(summary.render(START.plusMillis(300))).contains(
                "step      AWAIT_CATCH_UP, last StepFinished at +0.222s");
        var earlier = CutoverSummary.of("shop-5", script.records().subList(0, 10));
        assertThat(earlier.currentStep()).isEqualTo("SYNC_SEQUENCES + AWAIT_CATCH_UP");
    }

    @Test
    void a_rolled_back_cutover_shows_the_failure_that_caused_it() {
        var summary = CutoverSummary.of("shop-3", CutoverScript.rolledBack("shop-3", "shop", START).records());

        assertThat(summary.outcome()).isEqualTo(Outcome.ROLLED_BACK);
        assertThat(summary.outcome().exitCode()).isEqualTo(1);
        assertThat(summary.render(START)).contains(
                "result    rolled back",
                "downtime  2.040 s (CutoverRolledBack.downtimeMs)",
                "failure   WriteCanary failed: the canary insert did not commit within 2 s");
    }

    @Test
    void a_rejected_cutover_ends_with_the_reason_and_never_stopped_traffic() {
        var script = CutoverScript.of("shop-4", "shop", START).started(false).rejected();

        var summary = CutoverSummary.of("shop-4", script.records());

        assertThat(summary.outcome()).isEqualTo(Outcome.REJECTED);
        assertThat(summary.knownDowntime()).isEmpty();
        assertThat(summary.lastFailure()).isEqualTo("rejected: replication lag 14 s is over the 1 s threshold");
    }

    @Test
    void a_dry_run_ends_planned_and_counts_as_success() {
        var script = CutoverScript.of("shop-5", "shop", START).started(true).planned();

        var summary = CutoverSummary.of("shop-5", script.records());

        assertThat(summary.outcome()).isEqualTo(Outcome.PLANNED);
        assertThat(summary.outcome().exitCode()).isZero();
        assertThat(summary.dryRun()).isTrue();
        assertThat(summary.render(START)).contains("started   2026-11-25T10:15:00Z (dry run)");
    }

    @Test
    void an_abort_request_is_shown_with_who_asked_while_the_saga_rolls_back() {
        var script = CutoverScript.of("shop-6", "shop", START).started(false).stopped().aborted(170, "bob");

        var summary = CutoverSummary.of("shop-6", script.records());

        assertThat(summary.outcome()).isEqualTo(Outcome.RUNNING);
        assertThat(summary.render(START.plusSeconds(1))).contains(
                "abort     requested by bob ('the app team asked to wait')");
    }

    @Test
    void messages_after_the_end_do_not_reopen_the_cutover_or_move_its_end() {
        var script = CutoverScript.rolledBack("shop-7", "shop", START).aborted(3000, "bob");

        var summary = CutoverSummary.of("shop-7", script.records());

        assertThat(summary.outcome()).isEqualTo(Outcome.ROLLED_BACK);
        assertThat(summary.endedAt()).isEqualTo(START.plusMillis(2203));
    }

    @Test
    void no_messages_means_the_cutover_was_not_found() {
        var summary = CutoverSummary.of("missing", java.util.List.of());

        assertThat(summary.found()).isFalse();
        assertThat(summary.render(START)).containsExactly("cutover   missing", "result    no messages found for this cutover");
    }
}
