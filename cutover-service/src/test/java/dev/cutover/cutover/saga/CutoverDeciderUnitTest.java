package dev.cutover.cutover.saga;

import static dev.cutover.cutover.saga.CutoverSpec.given;
import static dev.cutover.cutover.saga.Fixtures.ALICE;
import static dev.cutover.cutover.saga.Fixtures.BOB;
import static dev.cutover.cutover.saga.Fixtures.CANARY_LSN;
import static dev.cutover.cutover.saga.Fixtures.DATABASE;
import static dev.cutover.cutover.saga.Fixtures.DNS;
import static dev.cutover.cutover.saga.Fixtures.FENCE_LSN;
import static dev.cutover.cutover.saga.Fixtures.ID;
import static dev.cutover.cutover.saga.Fixtures.MALLORY;
import static dev.cutover.cutover.saga.Fixtures.OTHER_ID;
import static dev.cutover.cutover.saga.Fixtures.POLICY;
import static dev.cutover.cutover.saga.Fixtures.REASON;
import static dev.cutover.cutover.saga.Fixtures.T0;
import static dev.cutover.cutover.saga.Fixtures.TOKEN;
import static dev.cutover.cutover.saga.Fixtures.at;
import static dev.cutover.cutover.saga.Fixtures.canaryWritten;
import static dev.cutover.cutover.saga.Fixtures.compensationStarted;
import static dev.cutover.cutover.saga.Fixtures.completed;
import static dev.cutover.cutover.saga.Fixtures.historyUntil;
import static dev.cutover.cutover.saga.Fixtures.endOf;
import static dev.cutover.cutover.saga.Fixtures.lag;
import static dev.cutover.cutover.saga.Fixtures.onlyInFlight;
import static dev.cutover.cutover.saga.Fixtures.pastDeadlineOf;
import static dev.cutover.cutover.saga.Fixtures.preflightPassed;
import static dev.cutover.cutover.saga.Fixtures.resumedAt;
import static dev.cutover.cutover.saga.Fixtures.start;
import static dev.cutover.cutover.saga.Fixtures.startOf;
import static dev.cutover.cutover.saga.Fixtures.started;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cutover.cutover.saga.Cutover.Compensating;
import dev.cutover.cutover.saga.Cutover.Completed;
import dev.cutover.cutover.saga.Cutover.Planned;
import dev.cutover.cutover.saga.Cutover.Rejected;
import dev.cutover.cutover.saga.Cutover.RolledBack;
import dev.cutover.cutover.saga.Cutover.Running;
import dev.cutover.cutover.saga.Cutover.TidyingUp;
import dev.cutover.cutover.saga.CutoverEvent.AbortRefused;
import dev.cutover.cutover.saga.CutoverEvent.CanaryRecorded;
import dev.cutover.cutover.saga.CutoverEvent.CompensationPartDone;
import dev.cutover.cutover.saga.CutoverEvent.CompensationRetried;
import dev.cutover.cutover.saga.CutoverEvent.CompensationStarted;
import dev.cutover.cutover.saga.CutoverEvent.CutoverCompleted;
import dev.cutover.cutover.saga.CutoverEvent.CutoverPlanned;
import dev.cutover.cutover.saga.CutoverEvent.CutoverRejected;
import dev.cutover.cutover.saga.CutoverEvent.CutoverRolledBack;
import dev.cutover.cutover.saga.CutoverEvent.CutoverStarted;
import dev.cutover.cutover.saga.CutoverEvent.PreflightPassed;
import dev.cutover.cutover.saga.CutoverEvent.StepFailureNoted;
import dev.cutover.cutover.saga.CutoverEvent.StepFinished;
import dev.cutover.cutover.saga.CutoverEvent.StepRetried;
import dev.cutover.cutover.saga.CutoverEvent.StepStarted;
import dev.cutover.cutover.saga.CutoverEvent.TidyUpTaskDone;
import dev.cutover.cutover.saga.CutoverMessage.AbortCutover;
import dev.cutover.cutover.saga.CutoverMessage.CanaryObserved;
import dev.cutover.cutover.saga.CutoverMessage.CanaryWritten;
import dev.cutover.cutover.saga.CutoverMessage.DnsFlipped;
import dev.cutover.cutover.saga.CutoverMessage.DnsTtlChanged;
import dev.cutover.cutover.saga.CutoverMessage.LagReported;
import dev.cutover.cutover.saga.CutoverMessage.PreflightReported;
import dev.cutover.cutover.saga.CutoverMessage.ReplicationStopped;
import dev.cutover.cutover.saga.CutoverMessage.SequencesSynced;
import dev.cutover.cutover.saga.CutoverMessage.DnsReverted;
import dev.cutover.cutover.saga.CutoverMessage.SourceRestored;
import dev.cutover.cutover.saga.CutoverMessage.StartCutover;
import dev.cutover.cutover.saga.CutoverMessage.StepFailed;
import dev.cutover.cutover.saga.CutoverMessage.StepOutcome;
import dev.cutover.cutover.saga.CutoverMessage.TargetOpened;
import dev.cutover.cutover.saga.CutoverMessage.Tick;
import dev.cutover.cutover.saga.CutoverMessage.TrafficResumed;
import dev.cutover.cutover.saga.CutoverMessage.TrafficStopped;
import dev.cutover.cutover.saga.SagaCommand.AwaitCatchUp;
import dev.cutover.cutover.saga.SagaCommand.CheckPreflight;
import dev.cutover.cutover.saga.SagaCommand.FlipDns;
import dev.cutover.cutover.saga.SagaCommand.OpenTarget;
import dev.cutover.cutover.saga.SagaCommand.RestoreDnsTtl;
import dev.cutover.cutover.saga.SagaCommand.RestoreSource;
import dev.cutover.cutover.saga.SagaCommand.RevertDns;
import dev.cutover.cutover.saga.SagaCommand.StopReplication;
import dev.cutover.cutover.saga.SagaCommand.StopTraffic;
import dev.cutover.cutover.saga.SagaCommand.SyncSequences;
import dev.cutover.cutover.saga.SagaCommand.WriteCanary;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

class CutoverDeciderUnitTest {

    private static final String ABORT_REASON = "aborted by bob: the application team asked to wait";
    private static final String PAST_NO_RETURN = "the point of no return is passed: the target was opened and"
            + " clients may have written there, so the cutover only rolls forward";

    @Nested
    class Starting {

        @Test
        void an_allowed_operator_starts_a_cutover_and_the_saga_asks_for_a_preflight() {
            given().when(start(ALICE, false), T0)
                    .then(new CutoverStarted(ID, DATABASE, ALICE, false, REASON, DNS, T0), new CheckPreflight());
        }

        @Test
        void an_operator_not_on_the_allow_list_is_rejected_and_the_rejection_is_recorded() {
            Cutover state = given().when(start(MALLORY, false), T0)
                    .then(new CutoverRejected(ID, DATABASE, MALLORY,
                            "operator mallory is not allowed to start cutovers", T0));
            assertThat(state).isInstanceOf(Rejected.class);
            assertThat(state.isActive()).isFalse();
        }

        @Test
        void a_second_cutover_of_a_database_with_an_active_cutover_is_rejected() {
            var second = new StartCutover(ID, DATABASE, ALICE, false, REASON, DNS, Optional.of(OTHER_ID));
            given().when(second, T0).then(new CutoverRejected(ID, DATABASE, ALICE,
                    "cutover cutover-orders-0 is already active for database orders", T0));
        }

        @Test
        void a_cutover_of_a_database_whose_migration_still_runs_is_rejected_saying_to_wait_for_ready() {
            var early = new StartCutover(ID, DATABASE, ALICE, false, REASON, DNS, Optional.empty(), false,
                    Optional.of("migration orders-migration-1 of orders is at FULL_LOAD"));
            Cutover state = given().when(early, T0).then(new CutoverRejected(ID, DATABASE, ALICE,
                    "migration orders-migration-1 of orders is at FULL_LOAD: a cutover needs its migration ready (its"
                            + " replication streaming, the data verified); follow it with cutoverctl migrate watch and"
                            + " start the cutover once it says ready. Nothing was changed", T0));
            assertThat(state).isInstanceOf(Rejected.class);
        }

        @Test
        void a_redelivered_start_does_nothing() {
            given(historyUntil(Step.SYNC_SEQUENCES)).when(start(ALICE, false), at(5_000)).thenNothing();
        }

        @Test
        void a_redelivered_start_that_was_rejected_does_nothing() {
            given(new CutoverRejected(ID, DATABASE, MALLORY, "operator mallory is not allowed to start cutovers", T0))
                    .when(start(MALLORY, false), at(10)).thenNothing();
        }

        @Test
        void a_different_start_under_the_same_id_is_refused() {
            given(historyUntil(Step.PREFLIGHT)).when(start(BOB, true), at(10))
                    .thenRefusedWith("already started differently");
        }

        @Test
        void a_started_cutover_is_active_until_it_ends() {
            assertThat(CutoverDecider.rebuild(historyUntil(Step.PREFLIGHT)).isActive()).isTrue();
            assertThat(CutoverDecider.rebuild(historyUntil(Step.TIDY_UP)).isActive()).isTrue();
        }
    }

    @Nested
    class Preflight {

        @Test
        void a_report_with_blockers_rejects_the_cutover_without_touching_anything() {
            given(historyUntil(Step.PREFLIGHT))
                    .when(new PreflightReported(List.of("schema differs: orders.total", "role app missing on target"),
                            "2 blockers"), at(900))
                    .then(new CutoverRejected(ID, DATABASE, ALICE,
                            "preflight found blockers: schema differs: orders.total; role app missing on target",
                            at(900)));
        }

        @Test
        void a_clean_report_passes_the_checks_and_waits_for_a_fresh_lag_report() {
            given(historyUntil(Step.PREFLIGHT))
                    .when(new PreflightReported(List.of(), "schema verified; 12 sequences"), at(1_000))
                    .then(new PreflightPassed("schema verified; 12 sequences", at(1_000)));
        }

        @Test
        void a_fresh_lag_report_under_the_threshold_flips_the_dns_to_the_locked_target() {
            Cutover state = given(started(false), preflightPassed())
                    .when(lag(1_024, at(1_900)), at(2_000))
                    .then(new StepStarted(Step.FLIP_DNS, at(2_000)), new FlipDns("db.orders.example.", "127.0.0.2", "127.0.0.3", Duration.ofSeconds(1)));
            assertThat(state).isEqualTo(CutoverDecider.rebuild(historyUntil(Step.FLIP_DNS)));
        }

        @Test
        void a_lag_report_exactly_at_the_maximum_age_still_counts_as_fresh() {
            given(started(false), preflightPassed())
                    .when(lag(1_024, at(2_000).minus(POLICY.maxLagAge())), at(2_000))
                    .then(new StepStarted(Step.FLIP_DNS, at(2_000)), new FlipDns("db.orders.example.", "127.0.0.2", "127.0.0.3", Duration.ofSeconds(1)));
        }

        @Test
        void a_lag_over_the_threshold_once_replication_had_time_to_settle_rejects_the_cutover() {
            long tooMuch = POLICY.maxLagBytes() + 1;
            Instant settled = at(0).plus(POLICY.lagSettle());
            given(started(false), preflightPassed())
                    .when(lag(tooMuch, settled), settled.plusMillis(100))
                    .then(new CutoverRejected(ID, DATABASE, ALICE, "replication lag of " + tooMuch
                            + " bytes is over the threshold of " + POLICY.maxLagBytes() + " bytes",
                            settled.plusMillis(100)));
        }

        @Test
        void replication_that_is_not_streaming_once_it_had_time_to_settle_rejects_the_cutover_naming_its_state() {
            Instant settled = at(0).plus(POLICY.lagSettle());
            var stalled = new LagReported(0, Duration.ofMillis(40), ReplicationState.STALLED, settled);
            given(started(false), preflightPassed()).when(stalled, settled.plusMillis(100))
                    .then(new CutoverRejected(ID, DATABASE, ALICE, "replication is STALLED, not streaming: "
                            + ReplicationState.STALLED.meaning(), settled.plusMillis(100)));
        }

        @Test
        void every_state_lag_monitor_reports_is_named_in_the_refusal_as_it_was_reported() {
            Instant settled = at(0).plus(POLICY.lagSettle());
            for (String name : List.of("DOWN", "CATCHING_UP", "PAUSED_BY_A_NEWER_LAG_MONITOR")) {
                var report = new LagReported(0, Duration.ofMillis(40), new ReplicationState(name), settled);
                given(started(false), preflightPassed()).when(report, settled.plusMillis(100))
                        .then(new CutoverRejected(ID, DATABASE, ALICE, "replication is " + name + ", not streaming: "
                                + new ReplicationState(name).meaning(), settled.plusMillis(100)));
            }
            assertThat(ReplicationState.DOWN.meaning()).contains("slot or subscription");
        }

        @Test
        void replication_not_yet_reported_streaming_right_after_the_start_is_waited_for_not_refused() {
            var down = new LagReported(Long.MAX_VALUE, Duration.ZERO, ReplicationState.DOWN, at(1_900));
            given(started(false), preflightPassed()).when(down, at(2_000)).thenNothing();
            given(started(false), preflightPassed())
                    .when(lag(POLICY.maxLagBytes() + 1, at(1_900)), at(2_000)).thenNothing();
            given(started(false), preflightPassed())
                    .when(lag(1_024, at(2_900)), at(3_000))
                    .then(new StepStarted(Step.FLIP_DNS, at(3_000)),
                            new FlipDns("db.orders.example.", "127.0.0.2", "127.0.0.3", Duration.ofSeconds(1)));
        }

        @Test
        void a_stale_lag_report_is_not_taken_as_the_current_lag() {
            given(started(false), preflightPassed())
                    .when(lag(1_024, at(2_000).minus(POLICY.maxLagAge()).minusMillis(1)), at(2_000))
                    .thenNothing();
        }

        @Test
        void a_lag_report_before_the_checks_passed_is_not_enough_to_stop_traffic() {
            given(historyUntil(Step.PREFLIGHT)).when(lag(1_024, at(500)), at(500)).thenNothing();
        }

        @Test
        void no_report_within_the_preflight_timeout_rejects_the_cutover() {
            given(historyUntil(Step.PREFLIGHT)).when(new Tick(), pastDeadlineOf(Step.PREFLIGHT))
                    .then(new CutoverRejected(ID, DATABASE, ALICE, "preflight did not report within 30s",
                            pastDeadlineOf(Step.PREFLIGHT)));
        }

        @Test
        void no_fresh_lag_report_within_the_preflight_timeout_rejects_the_cutover() {
            given(started(false), preflightPassed()).when(new Tick(), pastDeadlineOf(Step.PREFLIGHT))
                    .then(new CutoverRejected(ID, DATABASE, ALICE,
                            "no lag report at most 10s old arrived within the preflight timeout of 30s: check that"
                                    + " lag-monitor is running and observes " + DATABASE.value() + " (cutover.lag.databases."
                                    + DATABASE.value() + ".engine)",
                            pastDeadlineOf(Step.PREFLIGHT)));
        }

        @Test
        void a_tick_before_the_preflight_deadline_does_nothing() {
            given(historyUntil(Step.PREFLIGHT))
                    .when(new Tick(), startOf(Step.PREFLIGHT).plus(POLICY.timeout(Step.PREFLIGHT)))
                    .thenNothing();
        }

        @Test
        void a_preflight_that_could_not_run_rejects_the_cutover() {
            given(historyUntil(Step.PREFLIGHT))
                    .when(new StepFailed(Step.PREFLIGHT, "target unreachable", true), at(700))
                    .then(new CutoverRejected(ID, DATABASE, ALICE, "preflight could not run: target unreachable",
                            at(700)));
        }

        @Test
        void an_abort_during_preflight_rejects_the_cutover_with_nothing_to_undo() {
            given(started(false), preflightPassed())
                    .when(new AbortCutover(BOB, "the application team asked to wait"), at(1_500))
                    .then(new CutoverRejected(ID, DATABASE, ALICE, ABORT_REASON, at(1_500)));
        }

        @Test
        void a_redelivered_preflight_report_does_nothing() {
            given(started(false), preflightPassed())
                    .when(new PreflightReported(List.of(), "schema verified; 12 sequences"), at(1_200))
                    .thenNothing();
        }

        @Test
        void a_redelivered_preflight_report_after_a_rejection_does_nothing() {
            var blockers = new PreflightReported(List.of("role app missing on target"), "1 blocker");
            given(started(false), new CutoverRejected(ID, DATABASE, ALICE,
                    "preflight found blockers: role app missing on target", at(900)))
                    .when(blockers, at(1_000)).thenNothing();
        }
    }

    @Nested
    class DryRun {

        @Test
        void a_dry_run_plans_every_step_and_predicts_the_downtime_without_touching_anything() {
            // 500 ms of step overhead + 40 ms of heartbeat lag + the 1 s TTL.
            Cutover state = given(started(true), preflightPassed())
                    .when(lag(1_024, at(1_900)), at(2_000))
                    .then(new CutoverPlanned(List.of(Step.values()), Duration.ofMillis(1_540), at(2_000)));
            assertThat(state).isInstanceOf(Planned.class);
            assertThat(state.isActive()).isFalse();
        }

        @Test
        void a_dry_run_runs_the_same_checks_and_is_rejected_like_a_real_one() {
            Instant settled = at(0).plus(POLICY.lagSettle());
            given(started(true), preflightPassed())
                    .when(lag(POLICY.maxLagBytes() + 1, settled), settled.plusMillis(100))
                    .then(new CutoverRejected(ID, DATABASE, ALICE, "replication lag of "
                            + (POLICY.maxLagBytes() + 1) + " bytes is over the threshold of "
                            + POLICY.maxLagBytes() + " bytes", settled.plusMillis(100)));
        }

        @Test
        void a_finished_dry_run_refuses_an_outcome_of_a_step_it_never_ran() {
            given(started(true), preflightPassed(),
                    new CutoverPlanned(List.of(Step.values()), Duration.ofMillis(1_540), at(2_000)))
                    .when(new TrafficStopped(FENCE_LSN, List.of("app"), 8), at(2_100))
                    .thenRefusedWith("Planned", "STOP_TRAFFIC is not awaiting an answer");
        }
    }

    @Nested
    class TheHappyPath {

        @Test
        void the_flipped_dns_stops_traffic_with_the_canary_and_the_sequences_behind_it_and_the_wait_for_the_canary_begun() {
            Instant now = endOf(Step.FLIP_DNS);
            Cutover state = given(historyUntil(Step.FLIP_DNS))
                    .when(new DnsFlipped("127.0.0.2", "127.0.0.3"), now)
                    .then(List.of(new StepFinished(Step.FLIP_DNS, now), new StepStarted(Step.STOP_TRAFFIC, now),
                                    new StepStarted(Step.WRITE_CANARY, now), new StepStarted(Step.SYNC_SEQUENCES, now),
                                    new StepStarted(Step.AWAIT_CATCH_UP, now)),
                            List.of(new StopTraffic(Duration.ofSeconds(5)), new WriteCanary(TOKEN), new SyncSequences(),
                                    new AwaitCatchUp(TOKEN, Optional.empty(), Duration.ofSeconds(5 + 2 + 10))));
            assertThat(state).isEqualTo(CutoverDecider.rebuild(historyUntil(Step.STOP_TRAFFIC)));
        }

        @Test
        void stopped_traffic_is_recorded_while_the_canary_the_sequences_and_the_wait_go_on() {
            Instant now = endOf(Step.STOP_TRAFFIC);
            Cutover state = given(historyUntil(Step.STOP_TRAFFIC))
                    .when(new TrafficStopped(FENCE_LSN, List.of("app", "app_ro"), 8), now)
                    .then(new StepFinished(Step.STOP_TRAFFIC, now));
            assertThat(state).isInstanceOfSatisfying(Running.class, running -> assertThat(running.inFlight())
                    .containsExactly(Step.WRITE_CANARY, Step.SYNC_SEQUENCES, Step.AWAIT_CATCH_UP));
        }

        @Test
        void the_written_canary_is_recorded_while_its_wait_on_the_target_goes_on() {
            Instant now = endOf(Step.WRITE_CANARY);
            Cutover state = given(historyUntil(Step.STOP_TRAFFIC, new StepFinished(Step.STOP_TRAFFIC, endOf(Step.STOP_TRAFFIC))))
                    .when(new CanaryWritten(TOKEN, CANARY_LSN), now)
                    .then(List.of(new StepFinished(Step.WRITE_CANARY, now), new CanaryRecorded(TOKEN, CANARY_LSN)),
                            List.of());
            assertThat(state).isEqualTo(CutoverDecider.rebuild(canaryWritten()));
            assertThat(state).isInstanceOfSatisfying(Running.class, running -> assertThat(running.inFlight())
                    .containsExactly(Step.SYNC_SEQUENCES, Step.AWAIT_CATCH_UP));
        }

        @Test
        void synced_sequences_wait_for_the_canary_before_the_target_opens() {
            Instant now = endOf(Step.SYNC_SEQUENCES);
            Cutover state = given(canaryWritten()).when(new SequencesSynced(12), now)
                    .then(new StepFinished(Step.SYNC_SEQUENCES, now));
            assertThat(state).isInstanceOfSatisfying(Running.class, running -> assertThat(running.inFlight())
                    .containsExactly(Step.AWAIT_CATCH_UP));
        }

        @Test
        void the_canary_seen_on_a_caught_up_target_after_the_sequences_passes_the_point_of_no_return_by_opening_the_target() {
            Instant now = endOf(Step.AWAIT_CATCH_UP);
            Cutover state = given(canaryWritten(new StepFinished(Step.SYNC_SEQUENCES, endOf(Step.SYNC_SEQUENCES))))
                    .when(new CanaryObserved(TOKEN, Duration.ofMillis(47), CANARY_LSN), now)
                    .then(List.of(new StepFinished(Step.AWAIT_CATCH_UP, now), new StepStarted(Step.OPEN_TARGET, now)),
                            List.of(new OpenTarget()));
            assertThat(state).isEqualTo(CutoverDecider.rebuild(historyUntil(Step.OPEN_TARGET)));
            assertThat(state).isInstanceOfSatisfying(Running.class,
                    running -> assertThat(running.step().afterPointOfNoReturn()).isTrue());
        }

        @Test
        void the_sequences_set_last_open_the_target_too() {
            Instant now = at(2_400);
            given(canaryWritten(new StepFinished(Step.AWAIT_CATCH_UP, endOf(Step.AWAIT_CATCH_UP))))
                    .when(new SequencesSynced(12), now)
                    .then(List.of(new StepFinished(Step.SYNC_SEQUENCES, now), new StepStarted(Step.OPEN_TARGET, now)),
                            List.of(new OpenTarget()));
        }

        @Test
        void a_canary_seen_before_its_writer_answered_ends_the_wait_and_the_target_opens_once_the_writer_answers() {
            Cutover observed = given(historyUntil(Step.STOP_TRAFFIC,
                    new StepFinished(Step.STOP_TRAFFIC, endOf(Step.STOP_TRAFFIC)),
                    new StepFinished(Step.SYNC_SEQUENCES, endOf(Step.SYNC_SEQUENCES))))
                    .when(new CanaryObserved(TOKEN, Duration.ofMillis(47), CANARY_LSN), at(2_300))
                    .then(new StepFinished(Step.AWAIT_CATCH_UP, at(2_300)));
            assertThat(observed).isInstanceOfSatisfying(Running.class, running -> assertThat(running.inFlight())
                    .containsExactly(Step.WRITE_CANARY));

            given(historyUntil(Step.STOP_TRAFFIC, new StepFinished(Step.STOP_TRAFFIC, endOf(Step.STOP_TRAFFIC)),
                    new StepFinished(Step.SYNC_SEQUENCES, endOf(Step.SYNC_SEQUENCES)),
                    new StepFinished(Step.AWAIT_CATCH_UP, at(2_300))))
                    .when(new CanaryWritten(TOKEN, CANARY_LSN), at(2_310))
                    .then(List.of(new StepFinished(Step.WRITE_CANARY, at(2_310)), new CanaryRecorded(TOKEN, CANARY_LSN),
                                    new StepStarted(Step.OPEN_TARGET, at(2_310))),
                            List.of(new OpenTarget()));
        }

        @Test
        void a_canary_with_another_token_is_refused() {
            given(canaryWritten())
                    .when(new CanaryObserved("canary-0000", Duration.ofMillis(47), CANARY_LSN), at(2_250))
                    .thenRefusedWith("the awaited canary is " + TOKEN);
        }

        @Test
        void a_canary_with_another_token_is_refused_before_the_canary_is_recorded_too() {
            given(historyUntil(Step.STOP_TRAFFIC))
                    .when(new CanaryObserved("canary-0000", Duration.ofMillis(47), CANARY_LSN), at(2_100))
                    .thenRefusedWith("the awaited canary is " + TOKEN);
        }

        @Test
        void the_opened_target_waits_for_traffic_on_it() {
            Instant now = endOf(Step.OPEN_TARGET);
            given(historyUntil(Step.OPEN_TARGET))
                    .when(new TargetOpened(), now)
                    .then(List.of(new StepFinished(Step.OPEN_TARGET, now), new StepStarted(Step.AWAIT_TRAFFIC, now)),
                            List.of());
        }

        @Test
        void traffic_on_the_target_before_its_opening_is_confirmed_completes_the_cutover() {
            Instant resumed = startOf(Step.OPEN_TARGET).plusMillis(50);
            Instant now = resumed.plusMillis(5);
            var durations = new EnumMap<>(completed().stepDurations());
            durations.remove(Step.AWAIT_TRAFFIC);
            durations.put(Step.OPEN_TARGET, Duration.ofMillis(50));
            Cutover state = given(historyUntil(Step.OPEN_TARGET))
                    .when(new TrafficResumed(resumed), now)
                    .then(new CutoverCompleted(Duration.ofMillis(400), durations, now),
                            new StopReplication(), new RestoreDnsTtl("db.orders.example."));
            assertThat(state).isInstanceOf(TidyingUp.class);
        }

        @Test
        void traffic_on_the_target_while_the_dns_flips_is_refused_because_the_target_is_still_locked() {
            // Only OpenTarget starts the fence's session watcher, so this cannot be an answer to this saga.
            given(historyUntil(Step.FLIP_DNS))
                    .when(new TrafficResumed(startOf(Step.FLIP_DNS).plusMillis(50)), startOf(Step.FLIP_DNS).plusMillis(55))
                    .thenRefusedWith("Running", "AWAIT_TRAFFIC is not awaiting an answer");
        }

        @Test
        void resumed_traffic_completes_the_cutover_with_its_downtime_and_step_durations_and_tidies_up() {
            Instant now = resumedAt().plusMillis(5);
            var expected = completed();
            Cutover state = given(historyUntil(Step.AWAIT_TRAFFIC))
                    .when(new TrafficResumed(resumedAt()), now)
                    .then(new CutoverCompleted(expected.downtime(), expected.stepDurations(), now),
                            new StopReplication(), new RestoreDnsTtl("db.orders.example."));
            assertThat(expected.downtime()).isEqualTo(Duration.ofMillis(600));
            assertThat(state).isInstanceOf(TidyingUp.class);
            assertThat(state.isActive()).isTrue();
        }

        @Test
        void stopped_replication_is_one_tidy_up_task_done() {
            given(historyUntil(Step.TIDY_UP)).when(new ReplicationStopped(), at(3_000))
                    .then(new TidyUpTaskDone(TidyUpTask.STOP_REPLICATION, at(3_000)));
        }

        @Test
        void the_second_tidy_up_task_completes_the_cutover() {
            Cutover state = given(historyUntil(Step.TIDY_UP,
                    new TidyUpTaskDone(TidyUpTask.STOP_REPLICATION, at(3_000))))
                    .when(new DnsTtlChanged(), at(3_100))
                    .then(new TidyUpTaskDone(TidyUpTask.RESTORE_DNS_TTL, at(3_100)));
            assertThat(state).isInstanceOf(Completed.class);
            assertThat(((Completed) state).downtime()).isEqualTo(Duration.ofMillis(600));
            assertThat(state.isActive()).isFalse();
        }

        /** Message i is handled at T0 + i ms: traffic stops at + 2 ms and resumes at + 9 ms. */
        @Test
        void the_whole_cutover_runs_from_start_to_completed() {
            var history = new ArrayList<CutoverEvent>();
            List<CutoverMessage> messages = List.of(
                    start(ALICE, false),
                    new PreflightReported(List.of(), "ok"),
                    lag(0, at(2)),
                    new DnsFlipped("127.0.0.2", "127.0.0.3"),
                    new TrafficStopped(FENCE_LSN, List.of("app"), 8),
                    new CanaryWritten(TOKEN, CANARY_LSN),
                    new SequencesSynced(3),
                    new CanaryObserved(TOKEN, Duration.ofMillis(40), CANARY_LSN),
                    new TargetOpened(),
                    new TrafficResumed(at(9)),
                    new ReplicationStopped(),
                    new DnsTtlChanged());
            var sent = new ArrayList<SagaCommand>();
            for (int i = 0; i < messages.size(); i++) {
                Decision decision = CutoverDecider.decide(CutoverDecider.rebuild(history), messages.get(i), at(i),
                        POLICY);
                history.addAll(decision.events());
                sent.addAll(decision.commands());
            }
            assertThat(CutoverDecider.rebuild(history)).isInstanceOf(Completed.class);
            assertThat(sent).extracting(command -> command.getClass().getSimpleName()).containsExactly(
                    "CheckPreflight", "FlipDns", "StopTraffic", "WriteCanary", "SyncSequences", "AwaitCatchUp",
                    "OpenTarget", "StopReplication", "RestoreDnsTtl");
            assertThat(history).filteredOn(CutoverCompleted.class::isInstance).singleElement()
                    .isEqualTo(new CutoverCompleted(Duration.ofMillis(7), completedDurations(), at(9)));
        }

        /** The flip starts at 2 ms; from 3 traffic stops, the canary is written and awaited, the sequences set. */
        private static Map<Step, Duration> completedDurations() {
            var durations = new EnumMap<Step, Duration>(Step.class);
            durations.put(Step.PREFLIGHT, Duration.ofMillis(2));
            durations.put(Step.FLIP_DNS, Duration.ofMillis(1));
            durations.put(Step.STOP_TRAFFIC, Duration.ofMillis(1));
            durations.put(Step.WRITE_CANARY, Duration.ofMillis(2));
            durations.put(Step.SYNC_SEQUENCES, Duration.ofMillis(3));
            durations.put(Step.AWAIT_CATCH_UP, Duration.ofMillis(4));
            durations.put(Step.OPEN_TARGET, Duration.ofMillis(1));
            durations.put(Step.AWAIT_TRAFFIC, Duration.ofMillis(1));
            return durations;
        }
    }

    /**
     * Each step that touches a server before the target opens, and whether DNS may have moved by then and has to go
     * back: always, as the flip comes first. The target is never opened before the point of no return, so
     * nothing ever has to lock it again.
     */
    static Stream<Arguments> stepsBeforeThePointOfNoReturn() {
        return Stream.of(
                Arguments.of(Step.FLIP_DNS, true),
                Arguments.of(Step.STOP_TRAFFIC, true),
                Arguments.of(Step.WRITE_CANARY, true),
                Arguments.of(Step.SYNC_SEQUENCES, true),
                Arguments.of(Step.AWAIT_CATCH_UP, true));
    }

    private static List<SagaCommand> compensation(boolean revertDns, String reason) {
        var commands = new ArrayList<SagaCommand>();
        if (revertDns) {
            commands.add(new RevertDns("db.orders.example.", "127.0.0.2"));
        }
        commands.add(new RestoreSource(reason));
        return commands;
    }

    @Nested
    class BeforeThePointOfNoReturn {

        @ParameterizedTest(name = "a failure at {0} puts the source back")
        @MethodSource("dev.cutover.cutover.saga.CutoverDeciderUnitTest#stepsBeforeThePointOfNoReturn")
        void a_failure_puts_the_source_back(Step step, boolean revertDns) {
            Instant now = startOf(step).plusMillis(50);
            given(historyUntil(step))
                    .when(new StepFailed(step, "permission denied for role app", true), now)
                    .thenState(state -> assertThat(state).isInstanceOf(Compensating.class),
                            List.of(new CompensationStarted(step, "permission denied for role app", now)),
                            compensation(revertDns, "permission denied for role app"));
        }

        @ParameterizedTest(name = "a timeout at {0} puts the source back")
        @MethodSource("dev.cutover.cutover.saga.CutoverDeciderUnitTest#stepsBeforeThePointOfNoReturn")
        void a_timeout_puts_the_source_back(Step step, boolean revertDns) {
            Instant now = pastDeadlineOf(step);
            String reason = step + " did not finish within " + Text.human(POLICY.timeout(step));
            given(onlyInFlight(step)).when(new Tick(), now)
                    .then(List.of(new CompensationStarted(step, reason, now)),
                            compensation(revertDns, reason));
        }

        @ParameterizedTest(name = "an abort at {0} puts the source back")
        @MethodSource("dev.cutover.cutover.saga.CutoverDeciderUnitTest#stepsBeforeThePointOfNoReturn")
        void an_abort_puts_the_source_back(Step step, boolean revertDns) {
            Instant now = startOf(step).plusMillis(50);
            given(onlyInFlight(step))
                    .when(new AbortCutover(BOB, "the application team asked to wait"), now)
                    .then(List.of(new CompensationStarted(step, ABORT_REASON, now)),
                            compensation(revertDns, ABORT_REASON));
        }

        @ParameterizedTest(name = "the restored source after {0}, the name back, ends in a rollback with the downtime it caused")
        @MethodSource("dev.cutover.cutover.saga.CutoverDeciderUnitTest#stepsBeforeThePointOfNoReturn")
        void the_restored_source_with_the_name_back_ends_in_a_rollback(Step step, boolean revertDns) {
            Instant now = startOf(step).plusMillis(300);
            Duration downtime = Duration.between(startOf(Step.FLIP_DNS), now);
            Cutover state = given(historyUntil(step, compensationStarted(step, "disk full"),
                    new CompensationPartDone(CompensationPart.REVERT_DNS, now.minusMillis(20))))
                    .when(new SourceRestored(), now)
                    .then(new CutoverRolledBack(step, "disk full", downtime, now));
            assertThat(state).isInstanceOfSatisfying(RolledBack.class, rolledBack -> {
                assertThat(rolledBack.failedStep()).isEqualTo(step);
                assertThat(rolledBack.downtime()).isEqualTo(downtime);
            });
            assertThat(state.isActive()).isFalse();
        }

        @ParameterizedTest(name = "a tick before the deadline of {0} does nothing")
        @MethodSource("dev.cutover.cutover.saga.CutoverDeciderUnitTest#stepsBeforeThePointOfNoReturn")
        void a_tick_before_the_deadline_does_nothing(Step step, boolean revertDns) {
            given(onlyInFlight(step)).when(new Tick(), startOf(step).plus(POLICY.timeout(step))).thenNothing();
        }

        @Test
        void a_canary_queued_behind_a_slow_fence_does_not_time_out_while_the_fence_runs() {
            Instant canaryWouldBeLate = startOf(Step.WRITE_CANARY).plus(POLICY.timeout(Step.WRITE_CANARY)).plusMillis(1);
            given(historyUntil(Step.STOP_TRAFFIC)).when(new Tick(), canaryWouldBeLate).thenNothing();
            String reason = "STOP_TRAFFIC did not finish within 5s";
            given(historyUntil(Step.STOP_TRAFFIC)).when(new Tick(), pastDeadlineOf(Step.STOP_TRAFFIC))
                    .then(List.of(new CompensationStarted(Step.STOP_TRAFFIC, reason, pastDeadlineOf(Step.STOP_TRAFFIC))),
                            compensation(true, reason));
        }

        @Test
        void the_wait_for_the_canary_on_the_target_counts_its_deadline_from_the_canary_written() {
            var sequencesSynced = canaryWritten(new StepFinished(Step.SYNC_SEQUENCES, endOf(Step.SYNC_SEQUENCES)));
            Instant catchUpLate = endOf(Step.WRITE_CANARY).plus(POLICY.timeout(Step.AWAIT_CATCH_UP)).plusMillis(1);
            assertThat(CutoverDecider.deadline(CutoverDecider.rebuild(sequencesSynced), POLICY))
                    .contains(endOf(Step.WRITE_CANARY).plus(POLICY.timeout(Step.AWAIT_CATCH_UP)));
            given(sequencesSynced).when(new Tick(), catchUpLate.minusMillis(2)).thenNothing();
            String reason = "AWAIT_CATCH_UP did not finish within 10s";
            given(sequencesSynced).when(new Tick(), catchUpLate)
                    .then(List.of(new CompensationStarted(Step.AWAIT_CATCH_UP, reason, catchUpLate)),
                            compensation(true, reason));
        }

        @Test
        void the_canary_counts_its_deadline_from_the_end_of_the_fence() {
            Instant fenced = endOf(Step.STOP_TRAFFIC);
            assertThat(CutoverDecider.deadline(CutoverDecider.rebuild(historyUntil(Step.STOP_TRAFFIC,
                    new StepFinished(Step.STOP_TRAFFIC, fenced))), POLICY))
                    .contains(fenced.plus(POLICY.timeout(Step.WRITE_CANARY)));
        }

        @Test
        void of_the_steps_running_side_by_side_the_first_to_run_out_of_time_is_the_one_compensated() {
            // The sequences' clock started with the fence's end, the catch-up's with the canary's later, on a longer timeout.
            Instant now = endOf(Step.STOP_TRAFFIC).plus(POLICY.timeout(Step.SYNC_SEQUENCES)).plusMillis(1);
            String reason = "SYNC_SEQUENCES did not finish within 5s";
            given(canaryWritten()).when(new Tick(), now)
                    .then(List.of(new CompensationStarted(Step.SYNC_SEQUENCES, reason, now)), compensation(true, reason));
        }

        @Test
        void a_failure_of_one_step_puts_the_source_back_while_the_others_are_still_in_flight() {
            Instant now = at(2_230);
            String reason = "permission denied for sequence orders_id_seq";
            Cutover state = given(canaryWritten())
                    .when(new StepFailed(Step.SYNC_SEQUENCES, reason, false), now)
                    .then(List.of(new CompensationStarted(Step.SYNC_SEQUENCES, reason, now)), compensation(true, reason));
            // The answers still travelling are late answers now: they change nothing.
            given(canaryWritten(new CompensationStarted(Step.SYNC_SEQUENCES, reason, now)))
                    .when(new CanaryObserved(TOKEN, Duration.ofMillis(47), CANARY_LSN), now.plusMillis(10)).thenNothing();
            assertThat(state).isInstanceOf(Compensating.class);
        }

        @Test
        void a_source_not_restored_in_time_gets_the_compensation_again() {
            Instant compensating = startOf(Step.FLIP_DNS).plusMillis(50);
            Instant now = compensating.plus(POLICY.compensationTimeout()).plusMillis(1);
            given(historyUntil(Step.FLIP_DNS, compensationStarted(Step.FLIP_DNS, "disk full")))
                    .when(new Tick(), now)
                    .then(List.of(new CompensationRetried(
                            Set.of(CompensationPart.REVERT_DNS, CompensationPart.RESTORE_SOURCE), now)),
                            compensation(true, "disk full"));
        }

        @Test
        void a_retried_compensation_counts_its_deadline_from_the_retry() {
            Instant retried = at(20_000);
            given(historyUntil(Step.STOP_TRAFFIC, compensationStarted(Step.STOP_TRAFFIC, "disk full"),
                    new CompensationRetried(Set.of(CompensationPart.RESTORE_SOURCE), retried)))
                    .when(new Tick(), retried.plus(POLICY.compensationTimeout()))
                    .thenNothing();
        }

        @Test
        void a_timeout_at_the_dns_flip_reverts_the_dns_then_restores_the_source_and_never_locks_the_target() {
            // The flip may have landed with its confirmation late: RevertDns is a compare-and-swap that succeeds when
            // the record already points at the source, and the target, still locked, never took a write.
            Instant now = pastDeadlineOf(Step.FLIP_DNS);
            Cutover state = given(onlyInFlight(Step.FLIP_DNS)).when(new Tick(), now)
                    .then(List.of(new CompensationStarted(Step.FLIP_DNS, "FLIP_DNS did not finish within 5s", now)),
                            List.of(new RevertDns("db.orders.example.", "127.0.0.2"),
                                    new RestoreSource("FLIP_DNS did not finish within 5s")));
            assertThat(state).isInstanceOf(Compensating.class);
        }

        @Test
        void a_late_dns_confirmation_after_the_flip_timed_out_changes_nothing_while_the_source_is_put_back() {
            given(historyUntil(Step.FLIP_DNS, compensationStarted(Step.FLIP_DNS, "FLIP_DNS did not finish within 5s")))
                    .when(new DnsFlipped("127.0.0.2", "127.0.0.3"), at(9_000))
                    .thenNothing();
        }

        @Test
        void a_redelivered_failure_changes_nothing_while_the_source_is_put_back() {
            given(historyUntil(Step.WRITE_CANARY, compensationStarted(Step.WRITE_CANARY, "disk full")))
                    .when(new StepFailed(Step.WRITE_CANARY, "disk full", false), at(2_200))
                    .thenNothing();
        }

        @Test
        void an_abort_while_the_source_is_put_back_is_refused_naming_what_the_rollback_waits_for() {
            given(historyUntil(Step.WRITE_CANARY, compensationStarted(Step.WRITE_CANARY, "disk full")))
                    .when(new AbortCutover(BOB, "stop"), at(2_200))
                    .then(new AbortRefused(BOB, "the cutover is already rolling back (disk full); it ends once"
                            + " dns-switcher confirms RevertDns (DnsReverted) and cutover-service's fence confirms"
                            + " RestoreSource (SourceRestored)", at(2_200)));
        }

        @Test
        void an_abort_while_only_the_dns_is_awaited_names_dns_switcher_alone() {
            given(historyUntil(Step.WRITE_CANARY, compensationStarted(Step.WRITE_CANARY, "disk full"),
                    new CompensationPartDone(CompensationPart.RESTORE_SOURCE, at(2_100))))
                    .when(new AbortCutover(BOB, "stop"), at(2_200))
                    .then(new AbortRefused(BOB, "the cutover is already rolling back (disk full); it ends once"
                            + " dns-switcher confirms RevertDns (DnsReverted)", at(2_200)));
        }

        @Test
        void a_redelivered_abort_while_the_rollback_it_began_runs_does_nothing() {
            given(historyUntil(Step.WRITE_CANARY, compensationStarted(Step.WRITE_CANARY, ABORT_REASON)))
                    .when(new AbortCutover(BOB, "the application team asked to wait"), at(2_300))
                    .thenNothing();
        }

        @Test
        void a_restored_source_with_the_name_not_confirmed_back_waits_for_the_dns() {
            // RevertDns may have failed (DNS server unreachable) while the flip had landed: the name would be left on
            // the locked target, so the cutover is not rolled back yet.
            Instant now = startOf(Step.STOP_TRAFFIC).plusMillis(300);
            Cutover state = given(historyUntil(Step.STOP_TRAFFIC, compensationStarted(Step.STOP_TRAFFIC, "disk full")))
                    .when(new SourceRestored(), now)
                    .then(new CompensationPartDone(CompensationPart.RESTORE_SOURCE, now));
            assertThat(state).isInstanceOfSatisfying(Compensating.class, compensating ->
                    assertThat(compensating.pending()).containsExactly(CompensationPart.REVERT_DNS));
        }

        @Test
        void the_name_confirmed_back_after_the_restored_source_ends_in_a_rollback() {
            Instant restored = startOf(Step.STOP_TRAFFIC).plusMillis(300);
            Instant now = restored.plusSeconds(40);
            given(historyUntil(Step.STOP_TRAFFIC, compensationStarted(Step.STOP_TRAFFIC, "disk full"),
                    new CompensationPartDone(CompensationPart.RESTORE_SOURCE, restored)))
                    .when(new DnsReverted(), now)
                    .then(new CutoverRolledBack(Step.STOP_TRAFFIC, "disk full",
                            Duration.between(startOf(Step.FLIP_DNS), now), now));
        }

        @Test
        void a_name_not_confirmed_back_in_time_gets_only_its_revert_again() {
            Instant compensating = startOf(Step.STOP_TRAFFIC).plusMillis(50);
            Instant now = compensating.plus(POLICY.compensationTimeout()).plusMillis(1);
            given(historyUntil(Step.STOP_TRAFFIC, compensationStarted(Step.STOP_TRAFFIC, "disk full"),
                    new CompensationPartDone(CompensationPart.RESTORE_SOURCE, compensating.plusMillis(100))))
                    .when(new Tick(), now)
                    .then(List.of(new CompensationRetried(Set.of(CompensationPart.REVERT_DNS), now)),
                            List.of(new RevertDns("db.orders.example.", "127.0.0.2")));
        }

        @Test
        void a_redelivered_restored_source_while_the_name_is_awaited_changes_nothing() {
            Instant restored = startOf(Step.STOP_TRAFFIC).plusMillis(300);
            given(historyUntil(Step.STOP_TRAFFIC, compensationStarted(Step.STOP_TRAFFIC, "disk full"),
                    new CompensationPartDone(CompensationPart.RESTORE_SOURCE, restored)))
                    .when(new SourceRestored(), restored.plusMillis(5))
                    .thenNothing();
        }

        @Test
        void a_name_back_that_was_never_asked_for_is_refused() {
            given(historyUntil(Step.SYNC_SEQUENCES)).when(new DnsReverted(), at(2_350))
                    .thenRefusedWith("Running", "the name was never asked back to the source");
        }

        @Test
        void a_redelivered_restored_source_after_the_rollback_does_nothing() {
            given(historyUntil(Step.WRITE_CANARY, compensationStarted(Step.WRITE_CANARY, "disk full"),
                    new CutoverRolledBack(Step.WRITE_CANARY, "disk full", Duration.ofMillis(400), at(2_400))))
                    .when(new SourceRestored(), at(2_500))
                    .thenNothing();
        }

        @Test
        void a_redelivered_abort_after_the_rollback_it_caused_does_nothing() {
            given(historyUntil(Step.WRITE_CANARY, compensationStarted(Step.WRITE_CANARY, ABORT_REASON),
                    new CutoverRolledBack(Step.WRITE_CANARY, ABORT_REASON, Duration.ofMillis(400), at(2_400))))
                    .when(new AbortCutover(BOB, "the application team asked to wait"), at(2_500))
                    .thenNothing();
        }

        @Test
        void another_abort_of_a_rolled_back_cutover_is_refused() {
            given(historyUntil(Step.WRITE_CANARY, compensationStarted(Step.WRITE_CANARY, "disk full"),
                    new CutoverRolledBack(Step.WRITE_CANARY, "disk full", Duration.ofMillis(400), at(2_400))))
                    .when(new AbortCutover(ALICE, "stop"), at(2_500))
                    .thenRefusedWith("RolledBack", "the cutover is over");
        }

        @Test
        void an_answer_for_a_step_a_rolled_back_cutover_never_began_is_refused() {
            given(historyUntil(Step.WRITE_CANARY, compensationStarted(Step.WRITE_CANARY, "disk full"),
                    new CutoverRolledBack(Step.WRITE_CANARY, "disk full", Duration.ofMillis(400), at(2_400))))
                    .when(new TargetOpened(), at(2_500))
                    .thenRefusedWith("RolledBack", "OPEN_TARGET is not awaiting an answer");
        }

        @Test
        void a_restored_source_that_was_never_asked_for_is_refused() {
            given(historyUntil(Step.SYNC_SEQUENCES)).when(new SourceRestored(), at(2_350))
                    .thenRefusedWith("Running", "the source was never asked to be restored");
        }
    }

    @Nested
    class AfterThePointOfNoReturn {

        @Test
        void an_abort_while_the_target_opens_is_refused_and_recorded() {
            Instant now = startOf(Step.OPEN_TARGET).plusMillis(20);
            Cutover state = given(historyUntil(Step.OPEN_TARGET)).when(new AbortCutover(BOB, "too slow"), now)
                    .then(new AbortRefused(BOB, PAST_NO_RETURN, now));
            assertThat(state).isEqualTo(CutoverDecider.rebuild(historyUntil(Step.OPEN_TARGET)));
        }

        @Test
        void a_failure_to_open_the_target_is_noted_and_never_compensated() {
            Instant now = startOf(Step.OPEN_TARGET).plusMillis(20);
            given(historyUntil(Step.OPEN_TARGET))
                    .when(new StepFailed(Step.OPEN_TARGET, "could not connect to the target", true), now)
                    .then(new StepFailureNoted(Step.OPEN_TARGET, "could not connect to the target", true, now));
        }

        @Test
        void a_noted_failure_to_open_the_target_that_is_not_retryable_is_retried_at_the_deadline() {
            Instant now = pastDeadlineOf(Step.OPEN_TARGET);
            given(historyUntil(Step.OPEN_TARGET, new StepFailureNoted(Step.OPEN_TARGET,
                    "could not connect to the target", false, startOf(Step.OPEN_TARGET).plusMillis(20))))
                    .when(new Tick(), now)
                    .then(new StepRetried(Step.OPEN_TARGET, "the target was not confirmed open within 2s", now),
                            new OpenTarget());
        }

        @Test
        void a_failure_to_open_the_target_that_is_not_retryable_is_not_retried_before_the_deadline() {
            // Retrying at once could spin as fast as the fence fails; a retryable failure gets one quick retry.
            given(historyUntil(Step.OPEN_TARGET, new StepFailureNoted(Step.OPEN_TARGET,
                    "could not connect to the target", false, startOf(Step.OPEN_TARGET).plusMillis(20))))
                    .when(new Tick(), startOf(Step.OPEN_TARGET).plus(POLICY.timeout(Step.OPEN_TARGET)))
                    .thenNothing();
        }

        @Test
        void an_abort_while_waiting_for_traffic_is_refused_and_recorded() {
            Instant now = startOf(Step.AWAIT_TRAFFIC).plusMillis(20);
            given(historyUntil(Step.AWAIT_TRAFFIC)).when(new AbortCutover(BOB, "too slow"), now)
                    .then(new AbortRefused(BOB, PAST_NO_RETURN, now));
        }

        @Test
        void an_abort_while_tidying_up_is_refused_and_recorded() {
            Cutover state = given(historyUntil(Step.TIDY_UP)).when(new AbortCutover(ALICE, "undo"), at(3_000))
                    .then(new AbortRefused(ALICE, PAST_NO_RETURN, at(3_000)));
            assertThat(state).isEqualTo(CutoverDecider.rebuild(historyUntil(Step.TIDY_UP)));
        }

        @Test
        void an_abort_of_a_completed_cutover_is_refused_and_recorded() {
            given(historyUntil(Step.TIDY_UP, new TidyUpTaskDone(TidyUpTask.STOP_REPLICATION, at(3_000)),
                    new TidyUpTaskDone(TidyUpTask.RESTORE_DNS_TTL, at(3_100))))
                    .when(new AbortCutover(ALICE, "undo"), at(4_000))
                    .then(new AbortRefused(ALICE, PAST_NO_RETURN, at(4_000)));
        }

        @Test
        void a_failure_while_waiting_for_traffic_is_noted_and_never_compensated() {
            Instant now = startOf(Step.AWAIT_TRAFFIC).plusMillis(20);
            given(historyUntil(Step.AWAIT_TRAFFIC))
                    .when(new StepFailed(Step.AWAIT_TRAFFIC, "cannot read pg_stat_activity", true), now)
                    .then(new StepFailureNoted(Step.AWAIT_TRAFFIC, "cannot read pg_stat_activity", true, now));
        }

        @Test
        void a_failure_while_tidying_up_is_noted_and_never_compensated() {
            given(historyUntil(Step.TIDY_UP))
                    .when(new StepFailed(Step.TIDY_UP, "subscription busy", false), at(3_000))
                    .then(new StepFailureNoted(Step.TIDY_UP, "subscription busy", false, at(3_000)));
        }

        @Test
        void a_redelivered_failure_after_the_point_of_no_return_is_noted_once() {
            given(historyUntil(Step.TIDY_UP,
                    new StepFailureNoted(Step.TIDY_UP, "subscription busy", false, at(3_000))))
                    .when(new StepFailed(Step.TIDY_UP, "subscription busy", false), at(3_100))
                    .thenNothing();
        }

        @Test
        void no_traffic_within_the_timeout_rolls_forward_by_opening_the_target_again() {
            Instant now = pastDeadlineOf(Step.AWAIT_TRAFFIC);
            given(historyUntil(Step.AWAIT_TRAFFIC)).when(new Tick(), now)
                    .then(new StepRetried(Step.AWAIT_TRAFFIC,
                            "no application session reached the target within 60s", now), new OpenTarget());
        }

        @Test
        void tidy_up_not_confirmed_in_time_sends_only_what_is_still_pending_again() {
            Instant now = resumedAt().plus(POLICY.timeout(Step.TIDY_UP)).plusMillis(1);
            given(historyUntil(Step.TIDY_UP, new TidyUpTaskDone(TidyUpTask.STOP_REPLICATION, at(3_000))))
                    .when(new Tick(), now)
                    .then(new StepRetried(Step.TIDY_UP, "[RESTORE_DNS_TTL] not confirmed within 60s", now),
                            new RestoreDnsTtl("db.orders.example."));
        }

        @Test
        void a_retryable_failure_after_the_point_of_no_return_is_tried_again_after_a_short_pause() {
            // The target restarted just after opening: clients are back within a second, and so is the saga.
            String reason = "connection refused: the target is restarting";
            var history = historyUntil(Step.AWAIT_TRAFFIC,
                    new StepFailureNoted(Step.AWAIT_TRAFFIC, reason, true, at(2_700)));
            given(history).when(new Tick(), at(2_700).plus(POLICY.retryPause())).thenNothing();
            Instant now = at(2_701).plus(POLICY.retryPause());
            given(history).when(new Tick(), now)
                    .then(new StepRetried(Step.AWAIT_TRAFFIC, "sent again " + Text.human(POLICY.retryPause())
                            + " after a retryable failure: " + reason, now), new OpenTarget());
        }

        @Test
        void a_second_retryable_failure_right_after_the_quick_retry_waits_for_the_deadline() {
            String reason = "connection refused: the target is restarting";
            Instant quickRetry = at(2_701).plus(POLICY.retryPause());
            var history = historyUntil(Step.AWAIT_TRAFFIC,
                    new StepFailureNoted(Step.AWAIT_TRAFFIC, reason, true, at(2_700)),
                    new StepRetried(Step.AWAIT_TRAFFIC, "sent again 1s after a retryable failure: " + reason, quickRetry),
                    new StepFailureNoted(Step.AWAIT_TRAFFIC, reason, true, quickRetry.plusMillis(100)));
            given(history).when(new Tick(), quickRetry.plusMillis(101).plus(POLICY.retryPause())).thenNothing();
            Instant now = quickRetry.plus(POLICY.timeout(Step.AWAIT_TRAFFIC)).plusMillis(1);
            given(history).when(new Tick(), now)
                    .then(new StepRetried(Step.AWAIT_TRAFFIC, "no application session reached the target within 60s",
                            now), new OpenTarget());
        }

        @Test
        void a_failure_that_is_not_retryable_after_the_point_of_no_return_waits_for_the_deadline() {
            given(historyUntil(Step.AWAIT_TRAFFIC,
                    new StepFailureNoted(Step.AWAIT_TRAFFIC, "permission denied for pg_stat_activity", false, at(2_700))))
                    .when(new Tick(), at(2_701).plus(POLICY.retryPause()))
                    .thenNothing();
        }

        @Test
        void a_tidy_up_nobody_answers_names_the_silent_service_once_after_the_last_attempt() {
            // dns-switcher is down: the TTL's restore was sent at completion and twice again, a timeout apart.
            Instant secondRetry = resumedAt().plusSeconds(121);
            Instant now = secondRetry.plus(POLICY.timeout(Step.TIDY_UP)).plusMillis(1);
            String notice = "RESTORE_DNS_TTL (dns-switcher) not confirmed after 3 attempts 60s apart: no answer from"
                    + " dns-switcher. Start dns-switcher (or check that it consumes cutover.commands); the tidy-up"
                    + " resumes on its own once it answers. The cutover is complete and clients use the target; until"
                    + " then the saga sends the tidy-up again every " + Text.human(Duration.ofMinutes(10)) + ".";
            given(historyUntil(Step.TIDY_UP, new TidyUpTaskDone(TidyUpTask.STOP_REPLICATION, at(3_000)),
                    new StepRetried(Step.TIDY_UP, "[RESTORE_DNS_TTL] not confirmed within 60s", resumedAt().plusSeconds(61)),
                    new StepRetried(Step.TIDY_UP, "[RESTORE_DNS_TTL] not confirmed within 60s", secondRetry)))
                    .when(new Tick(), now)
                    .then(List.of(new StepRetried(Step.TIDY_UP, "[RESTORE_DNS_TTL] not confirmed within 60s", now),
                                    new StepFailureNoted(Step.TIDY_UP, notice, true, now)),
                            List.of(new RestoreDnsTtl("db.orders.example.")));
        }

        @Test
        void once_the_operator_was_told_the_tidy_up_is_sent_again_only_at_the_slow_pace() {
            Instant told = resumedAt().plusSeconds(182);
            var history = historyUntil(Step.TIDY_UP, new TidyUpTaskDone(TidyUpTask.RESTORE_DNS_TTL, at(3_000)),
                    new StepRetried(Step.TIDY_UP, "[STOP_REPLICATION] not confirmed within 60s", resumedAt().plusSeconds(61)),
                    new StepRetried(Step.TIDY_UP, "[STOP_REPLICATION] not confirmed within 60s", resumedAt().plusSeconds(121)),
                    new StepRetried(Step.TIDY_UP, "[STOP_REPLICATION] not confirmed within 60s", told),
                    new StepFailureNoted(Step.TIDY_UP, "STOP_REPLICATION (replicator) not confirmed", true, told));
            given(history).when(new Tick(), told.plus(POLICY.timeout(Step.TIDY_UP)).plusMillis(1)).thenNothing();
            Instant now = told.plus(POLICY.tidyUpSlowRetry()).plusMillis(1);
            given(history).when(new Tick(), now)
                    .then(new StepRetried(Step.TIDY_UP, "[STOP_REPLICATION] not confirmed within "
                            + Text.human(POLICY.tidyUpSlowRetry()), now), new StopReplication());
        }

        @Test
        void a_confirmed_task_counts_the_attempts_of_the_rest_again() {
            Instant secondRetry = resumedAt().plusSeconds(121);
            Instant now = secondRetry.plus(POLICY.timeout(Step.TIDY_UP)).plusMillis(1);
            given(historyUntil(Step.TIDY_UP,
                    new StepRetried(Step.TIDY_UP, "[STOP_REPLICATION, RESTORE_DNS_TTL] not confirmed within 60s",
                            resumedAt().plusSeconds(61)),
                    new StepRetried(Step.TIDY_UP, "[STOP_REPLICATION, RESTORE_DNS_TTL] not confirmed within 60s",
                            secondRetry),
                    new TidyUpTaskDone(TidyUpTask.STOP_REPLICATION, secondRetry.plusSeconds(1))))
                    .when(new Tick(), now)
                    .then(new StepRetried(Step.TIDY_UP, "[RESTORE_DNS_TTL] not confirmed within 60s", now),
                            new RestoreDnsTtl("db.orders.example."));
        }

        @Test
        void a_retry_after_a_noted_failure_counts_the_deadline_again_and_notes_the_next_failure() {
            Instant retried = pastDeadlineOf(Step.AWAIT_TRAFFIC);
            var history = historyUntil(Step.AWAIT_TRAFFIC,
                    new StepFailureNoted(Step.AWAIT_TRAFFIC, "cannot read pg_stat_activity", true, at(2_700)),
                    new StepRetried(Step.AWAIT_TRAFFIC, "no application session reached the target within 60s",
                            retried));
            given(history).when(new Tick(), retried.plus(POLICY.timeout(Step.AWAIT_TRAFFIC))).thenNothing();
            given(history).when(new StepFailed(Step.AWAIT_TRAFFIC, "cannot read pg_stat_activity", true),
                            retried.plusMillis(10))
                    .then(new StepFailureNoted(Step.AWAIT_TRAFFIC, "cannot read pg_stat_activity", true,
                            retried.plusMillis(10)));
        }

        @Test
        void a_late_failure_of_the_dns_flip_after_it_was_confirmed_does_nothing() {
            given(historyUntil(Step.AWAIT_TRAFFIC))
                    .when(new StepFailed(Step.FLIP_DNS, "timeout talking to Route53", true), at(2_700))
                    .thenNothing();
        }

        @Test
        void a_redelivered_resumed_traffic_after_completion_does_nothing() {
            given(historyUntil(Step.TIDY_UP)).when(new TrafficResumed(resumedAt()), at(3_000)).thenNothing();
        }

        @Test
        void a_redelivered_tidy_up_confirmation_does_nothing() {
            given(historyUntil(Step.TIDY_UP, new TidyUpTaskDone(TidyUpTask.STOP_REPLICATION, at(3_000))))
                    .when(new ReplicationStopped(), at(3_050)).thenNothing();
        }
    }

    @Nested
    class Authorisation {

        @ParameterizedTest(name = "an abort by someone not allowed is refused and recorded at {0}")
        @EnumSource(value = Step.class,
                names = {"PREFLIGHT", "STOP_TRAFFIC", "FLIP_DNS", "OPEN_TARGET", "AWAIT_TRAFFIC", "TIDY_UP"})
        void an_abort_by_someone_not_allowed_is_refused_and_recorded_and_the_cutover_goes_on(Step step) {
            Instant now = startOf(step).plusMillis(10);
            Cutover state = given(historyUntil(step)).when(new AbortCutover(MALLORY, "just because"), now)
                    .then(new AbortRefused(MALLORY, "operator mallory is not allowed to abort cutovers", now));
            assertThat(state).isEqualTo(CutoverDecider.rebuild(historyUntil(step)));
        }

        @Test
        void an_abort_of_a_cutover_that_was_never_started_is_refused() {
            given().when(new AbortCutover(BOB, "stop"), T0).thenRefusedWith("NotStarted", "no such cutover was started");
        }
    }

    @Nested
    class Redelivery {

        /** Every step's successful answer, to redeliver once the saga has moved on. */
        static Stream<Arguments> answers() {
            return Stream.of(
                    Arguments.of(new PreflightReported(List.of(), "ok"), Step.STOP_TRAFFIC),
                    Arguments.of(new TrafficStopped(FENCE_LSN, List.of("app"), 8), Step.OPEN_TARGET),
                    Arguments.of(new CanaryWritten(TOKEN, CANARY_LSN), Step.OPEN_TARGET),
                    Arguments.of(new CanaryObserved(TOKEN, Duration.ofMillis(47), CANARY_LSN), Step.OPEN_TARGET),
                    Arguments.of(new SequencesSynced(12), Step.OPEN_TARGET),
                    Arguments.of(new DnsFlipped("127.0.0.2", "127.0.0.3"), Step.OPEN_TARGET),
                    Arguments.of(new TargetOpened(), Step.AWAIT_TRAFFIC),
                    Arguments.of(new TrafficResumed(resumedAt()), Step.TIDY_UP));
        }

        @ParameterizedTest(name = "{0} redelivered during {1} does nothing")
        @MethodSource("answers")
        void an_answer_redelivered_after_the_saga_moved_on_does_nothing(StepOutcome answer, Step laterStep) {
            given(historyUntil(laterStep)).when(answer, startOf(laterStep).plusMillis(10)).thenNothing();
        }

        /** Every answer but the preflight's, which is the one a cutover in preflight awaits. */
        static Stream<Arguments> answersAfterPreflight() {
            return answers().skip(1);
        }

        @ParameterizedTest(name = "{0} is refused while its step has not begun")
        @MethodSource("answersAfterPreflight")
        void an_answer_for_a_step_not_yet_begun_is_refused(StepOutcome answer, Step laterStep) {
            given(historyUntil(Step.PREFLIGHT)).when(answer, at(500))
                    .thenRefusedWith("Preflight", answer.step() + " is not awaiting an answer");
        }

        @Test
        void a_redelivered_canary_with_another_token_is_still_refused() {
            given(historyUntil(Step.OPEN_TARGET))
                    .when(new CanaryObserved("canary-0000", Duration.ofMillis(47), CANARY_LSN), at(2_450))
                    .thenRefusedWith("the awaited canary is " + TOKEN);
        }

        @Test
        void a_lag_report_outside_the_preflight_gate_is_an_observation_that_changes_nothing() {
            given(historyUntil(Step.AWAIT_CATCH_UP)).when(lag(99_999_999, at(2_250)), at(2_250)).thenNothing();
        }

        @Test
        void a_tick_for_a_finished_cutover_does_nothing() {
            given(new CutoverRejected(ID, DATABASE, MALLORY, "not allowed", T0)).when(new Tick(), at(99_000))
                    .thenNothing();
        }
    }

    @Nested
    class Recovery {

        @Test
        void a_restarted_saga_rebuilt_from_its_history_compensates_on_the_first_tick_past_the_deadline() {
            List<CutoverEvent> recorded = onlyInFlight(Step.AWAIT_CATCH_UP);
            Cutover rebuilt = CutoverDecider.rebuild(recorded);
            assertThat(rebuilt).isInstanceOf(Running.class);
            assertThat(CutoverDecider.deadline(rebuilt, POLICY))
                    .contains(startOf(Step.AWAIT_CATCH_UP).plus(POLICY.timeout(Step.AWAIT_CATCH_UP)));

            Instant afterRestart = startOf(Step.AWAIT_CATCH_UP).plusSeconds(60);
            Decision decision = CutoverDecider.decide(rebuilt, new Tick(), afterRestart, POLICY);

            String reason = "AWAIT_CATCH_UP did not finish within 10s";
            assertThat(decision).isEqualTo(new Decision(
                    List.of(new CompensationStarted(Step.AWAIT_CATCH_UP, reason, afterRestart)),
                    List.of(new RevertDns("db.orders.example.", "127.0.0.2"), new RestoreSource(reason))));
        }

        @Test
        void a_restarted_saga_still_knows_the_canary_it_awaits() {
            given(canaryWritten())
                    .when(new CanaryObserved("canary-0000", Duration.ofMillis(47), CANARY_LSN), at(2_250))
                    .thenRefusedWith(TOKEN);
        }

        @Test
        void a_finished_cutover_has_no_deadline() {
            var history = historyUntil(Step.WRITE_CANARY, compensationStarted(Step.WRITE_CANARY, "disk full"),
                    new CutoverRolledBack(Step.WRITE_CANARY, "disk full", Duration.ofMillis(400), at(2_400)));
            assertThat(CutoverDecider.deadline(CutoverDecider.rebuild(history), POLICY)).isEmpty();
        }

        @Test
        void a_history_that_starts_a_step_before_the_steps_it_needs_cannot_be_folded() {
            var broken = historyUntil(Step.STOP_TRAFFIC, new StepStarted(Step.OPEN_TARGET, at(2_100)));
            assertThatThrownBy(() -> CutoverDecider.rebuild(broken))
                    .isInstanceOf(InvalidTransition.class)
                    .hasMessageContaining("Running")
                    .hasMessageContaining("OPEN_TARGET starts once, after [FLIP_DNS, STOP_TRAFFIC, WRITE_CANARY,"
                            + " SYNC_SEQUENCES, AWAIT_CATCH_UP] finished");
        }

        @Test
        void a_history_that_ends_a_step_not_in_flight_cannot_be_folded() {
            var broken = historyUntil(Step.FLIP_DNS, new StepFinished(Step.SYNC_SEQUENCES, at(2_100)));
            assertThatThrownBy(() -> CutoverDecider.rebuild(broken))
                    .isInstanceOf(InvalidTransition.class)
                    .hasMessageContaining("step SYNC_SEQUENCES is not in flight");
        }

        @Test
        void an_event_that_does_not_fit_the_state_cannot_be_folded() {
            assertThatThrownBy(() -> CutoverDecider.rebuild(List.of(new CanaryRecorded(TOKEN, CANARY_LSN))))
                    .isInstanceOf(InvalidTransition.class)
                    .hasMessageContaining("NotStarted")
                    .hasMessageContaining("only applies to a cutover in state Running");
        }

        @Test
        void a_start_recorded_twice_cannot_be_folded() {
            assertThatThrownBy(() -> CutoverDecider.rebuild(List.of(started(false), started(false))))
                    .isInstanceOf(InvalidTransition.class)
                    .hasMessageContaining("Preflight");
        }
    }
}
