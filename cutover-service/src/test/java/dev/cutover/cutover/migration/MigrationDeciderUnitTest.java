package dev.cutover.cutover.migration;

import static dev.cutover.cutover.migration.MigrationFixtures.ALICE;
import static dev.cutover.cutover.migration.MigrationFixtures.BOB;
import static dev.cutover.cutover.migration.MigrationFixtures.DATABASE;
import static dev.cutover.cutover.migration.MigrationFixtures.DNS;
import static dev.cutover.cutover.migration.MigrationFixtures.ID;
import static dev.cutover.cutover.migration.MigrationFixtures.MALLORY;
import static dev.cutover.cutover.migration.MigrationFixtures.OTHER_ID;
import static dev.cutover.cutover.migration.MigrationFixtures.PARALLELISM;
import static dev.cutover.cutover.migration.MigrationFixtures.PLAN;
import static dev.cutover.cutover.migration.MigrationFixtures.PLAN_WITHOUT_DNS;
import static dev.cutover.cutover.migration.MigrationFixtures.POLICY;
import static dev.cutover.cutover.migration.MigrationFixtures.T0;
import static dev.cutover.cutover.migration.MigrationFixtures.at;
import static dev.cutover.cutover.migration.MigrationFixtures.historyUntil;
import static dev.cutover.cutover.migration.MigrationFixtures.mismatch;
import static dev.cutover.cutover.migration.MigrationFixtures.pastDeadlineOf;
import static dev.cutover.cutover.migration.MigrationFixtures.progressAt;
import static dev.cutover.cutover.migration.MigrationFixtures.start;
import static dev.cutover.cutover.migration.MigrationFixtures.startOf;
import static dev.cutover.cutover.migration.MigrationFixtures.started;
import static dev.cutover.cutover.migration.MigrationSpec.given;
import static dev.cutover.cutover.saga.Text.human;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cutover.cutover.migration.Migration.AwaitingRetry;
import dev.cutover.cutover.migration.Migration.Ready;
import dev.cutover.cutover.migration.Migration.Rejected;
import dev.cutover.cutover.migration.Migration.Running;
import dev.cutover.cutover.migration.Migration.Stopped;
import dev.cutover.cutover.migration.MigrationCommand.ApplySchema;
import dev.cutover.cutover.migration.MigrationCommand.CheckPreflight;
import dev.cutover.cutover.migration.MigrationCommand.CleanUp;
import dev.cutover.cutover.migration.MigrationCommand.CopyData;
import dev.cutover.cutover.migration.MigrationCommand.LowerDnsTtl;
import dev.cutover.cutover.migration.MigrationCommand.StartStreaming;
import dev.cutover.cutover.migration.MigrationCommand.VerifyData;
import dev.cutover.cutover.migration.MigrationCommand.VerifySchema;
import dev.cutover.cutover.migration.MigrationEvent.MigrationDataMismatched;
import dev.cutover.cutover.migration.MigrationEvent.MigrationReady;
import dev.cutover.cutover.migration.MigrationEvent.MigrationRejected;
import dev.cutover.cutover.migration.MigrationEvent.MigrationStarted;
import dev.cutover.cutover.migration.MigrationEvent.MigrationStepRetrying;
import dev.cutover.cutover.migration.MigrationEvent.MigrationStepStarted;
import dev.cutover.cutover.migration.MigrationEvent.MigrationStopped;
import dev.cutover.cutover.migration.MigrationMessage.AbortMigration;
import dev.cutover.cutover.migration.MigrationMessage.DataVerified;
import dev.cutover.cutover.migration.MigrationMessage.DnsTtlChanged;
import dev.cutover.cutover.migration.MigrationMessage.FullLoadCompleted;
import dev.cutover.cutover.migration.MigrationMessage.FullLoadResumed;
import dev.cutover.cutover.migration.MigrationMessage.PostDataOfTablesApplied;
import dev.cutover.cutover.migration.MigrationMessage.PreflightReported;
import dev.cutover.cutover.migration.MigrationMessage.ReplicationStreaming;
import dev.cutover.cutover.migration.MigrationMessage.SchemaApplied;
import dev.cutover.cutover.migration.MigrationMessage.SchemaVerified;
import dev.cutover.cutover.migration.MigrationMessage.StartMigration;
import dev.cutover.cutover.migration.MigrationMessage.StepFailed;
import dev.cutover.cutover.migration.MigrationMessage.TableCopied;
import dev.cutover.cutover.migration.MigrationMessage.Tick;
import dev.cutover.cutover.saga.DatabaseName;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class MigrationDeciderUnitTest {

    private static final Finding WAL_LEVEL = new Finding(Finding.Severity.BLOCKER, "wal_level", "server",
            "wal_level is replica, logical replication needs logical", Optional.of("set wal_level = logical and restart"));
    private static final Finding NO_PRIMARY_KEY = new Finding(Finding.Severity.WARNING, "primary_keys", "public.audit",
            "table has no primary key: updates and deletes are not replicated", Optional.empty());

    /** The answer that finishes each step in the standard plan. */
    private static MigrationMessage success(MigrationStep step) {
        return switch (step) {
            case PREFLIGHT -> new PreflightReported(List.of());
            case PRE_DATA -> new SchemaApplied(SchemaSection.PRE_DATA);
            case FULL_LOAD -> new FullLoadCompleted("cutover_orders", 14, 1_000_000);
            case POST_DATA -> new SchemaApplied(SchemaSection.POST_DATA);
            case STREAMING -> new ReplicationStreaming("cutover_orders", "cutover_orders");
            case VERIFY_SCHEMA -> new SchemaVerified(List.of());
            case VERIFY_DATA -> new DataVerified(14, 1_000_000, List.of());
            case LOWER_DNS_TTL -> new DnsTtlChanged(DNS.recordName(), DNS.ttl());
        };
    }

    private static Instant during(MigrationStep step) {
        return startOf(step).plusMillis(500);
    }

    @Nested
    class Starting {

        @Test
        void an_allowed_operator_starts_a_migration_with_its_plan_and_the_saga_asks_for_the_migration_preflight() {
            Migration state = given().when(start(ALICE), T0)
                    .then(new MigrationStarted(ID, DATABASE, ALICE, PLAN, T0), new CheckPreflight());
            assertThat(state).isEqualTo(new Running(MigrationProgress.of(started(PLAN)), MigrationStep.PREFLIGHT, 1, T0));
            assertThat(state.isActive()).isTrue();
        }

        @Test
        void a_database_without_a_dns_plan_gets_a_plan_without_the_ttl_step() {
            var start = new StartMigration(ID, DATABASE, ALICE, 0, Optional.empty(), Optional.empty());
            given().when(start, T0).then(new MigrationStarted(ID, DATABASE, ALICE,
                    new MigrationPlan(0, Optional.empty()), T0), new CheckPreflight());
            assertThat(PLAN_WITHOUT_DNS.steps()).doesNotContain(MigrationStep.LOWER_DNS_TTL);
            assertThat(PLAN.steps()).containsExactly(MigrationStep.values());
        }

        @Test
        void an_operator_not_on_the_allow_list_is_rejected_and_nothing_is_sent() {
            Migration state = given().when(start(MALLORY), T0).then(new MigrationRejected(ID, DATABASE, MALLORY,
                    "operator mallory is not allowed to start migrations", T0));
            assertThat(state).isInstanceOf(Rejected.class);
            assertThat(state.isActive()).isFalse();
        }

        @Test
        void a_migration_or_dry_run_of_a_database_whose_replication_is_adopted_is_rejected_with_the_way_to_its_cutover() {
            for (boolean dryRun : List.of(false, true)) {
                var start = new StartMigration(ID, DATABASE, ALICE, PARALLELISM, Optional.of(DNS), Optional.empty(),
                        dryRun, Optional.empty(), Optional.of("subscription billing_sub, publication billing_pub"));
                Migration state = given().when(start, T0).then(new MigrationRejected(ID, DATABASE, ALICE,
                        "the replication of orders is adopted (subscription billing_sub, publication billing_pub): it"
                                + " fills the target already, and a migration would load it again over the rows it"
                                + " holds. Nothing was changed. Start the cutover (cutoverctl start --database orders):"
                                + " its preflight proves that replication; migrations are for databases whose"
                                + " replication cutover creates", T0));
                assertThat(state).isInstanceOf(Rejected.class);
            }
        }

        @Test
        void a_second_migration_of_a_database_with_an_active_migration_is_rejected() {
            var second = new StartMigration(ID, DATABASE, ALICE, PARALLELISM, Optional.of(DNS), Optional.of(OTHER_ID));
            given().when(second, T0).then(new MigrationRejected(ID, DATABASE, ALICE,
                    "migration migration-orders-0 is already active for database orders: wait for its MigrationReady"
                            + " or MigrationStopped before starting another", T0));
        }

        @Test
        void a_sampled_verification_asked_at_the_start_is_part_of_the_plan() {
            StartMigration sampled = new StartMigration(ID, DATABASE, ALICE, PARALLELISM, Optional.of(DNS),
                    Optional.empty(), false, Optional.of(DataVerification.SAMPLED));

            given().when(sampled, T0).then(new MigrationStarted(ID, DATABASE, ALICE,
                    new MigrationPlan(PARALLELISM, Optional.of(DNS), false, Optional.of(DataVerification.SAMPLED)), T0),
                    new CheckPreflight());
        }

        @Test
        void a_repeated_start_of_a_running_migration_does_nothing() {
            given(historyUntil(MigrationStep.FULL_LOAD)).when(start(ALICE), during(MigrationStep.FULL_LOAD))
                    .thenNothing();
        }

        @Test
        void a_repeated_start_of_a_migration_waiting_to_verify_again_does_nothing() {
            given(historyUntil(MigrationStep.VERIFY_DATA, new MigrationDataMismatched(1, List.of(mismatch()),
                    at(40_000), at(10_000)))).when(start(ALICE), at(20_000)).thenNothing();
        }

        @Test
        void a_repeated_start_of_a_ready_migration_does_nothing() {
            given(historyUntil(MigrationStep.LOWER_DNS_TTL, new MigrationReady(at(9_000))))
                    .when(start(ALICE), at(10_000)).thenNothing();
        }

        @Test
        void a_repeated_start_that_was_refused_does_nothing() {
            given(new MigrationRejected(ID, DATABASE, MALLORY, "operator mallory is not allowed to start migrations", T0))
                    .when(start(MALLORY), at(10)).thenNothing();
        }

        @Test
        void another_operator_starting_a_refused_migration_id_is_told_to_use_a_new_id() {
            given(new MigrationRejected(ID, DATABASE, MALLORY, "operator mallory is not allowed to start migrations", T0))
                    .when(start(BOB), at(10)).then(new MigrationRejected(ID, DATABASE, BOB, "migration id "
                            + "migration-orders-1 was already refused; send StartMigration with a new migration id",
                            at(10)));
        }

        @Test
        void another_operator_starting_a_running_migration_id_is_rejected_and_the_migration_goes_on() {
            Migration before = MigrationDecider.rebuild(historyUntil(MigrationStep.POST_DATA));
            Migration after = given(historyUntil(MigrationStep.POST_DATA)).when(start(BOB), during(MigrationStep.POST_DATA))
                    .then(new MigrationRejected(ID, DATABASE, BOB, "migration id migration-orders-1 is already used by"
                            + " alice's migration of orders; send StartMigration with a new migration id",
                            during(MigrationStep.POST_DATA)));
            assertThat(after).isEqualTo(before);
        }

        @Test
        void starting_a_stopped_migration_again_is_rejected_because_a_stopped_attempt_is_not_resumed() {
            String action = MigrationDecider.operatorAction(progressAt(MigrationStep.FULL_LOAD), MigrationStep.FULL_LOAD);
            var history = historyUntil(MigrationStep.FULL_LOAD, new MigrationStopped(MigrationStep.FULL_LOAD,
                    "FULL_LOAD failed: disk full", List.of(), action, at(3_000)));
            Migration after = given(history).when(start(ALICE), at(5_000))
                    .then(new MigrationRejected(ID, DATABASE, ALICE, "migration migration-orders-1 stopped at FULL_LOAD"
                            + " and is not resumed: " + action, at(5_000)));
            assertThat(after).isInstanceOf(Stopped.class);
        }

        @Test
        void a_start_under_the_id_of_another_databases_migration_is_refused() {
            var other = new StartMigration(ID, new DatabaseName("billing"), ALICE, 0, Optional.empty(), Optional.empty());
            given(historyUntil(MigrationStep.PRE_DATA)).when(other, at(2_000))
                    .thenRefusedWith("is about database orders");
        }
    }

    @Nested
    class Preflight {

        @Test
        void a_report_without_blockers_applies_the_pre_data_section() {
            given(historyUntil(MigrationStep.PREFLIGHT)).when(new PreflightReported(List.of(NO_PRIMARY_KEY)), at(900))
                    .then(new MigrationStepStarted(MigrationStep.PRE_DATA, 1, at(900)),
                            new ApplySchema(SchemaSection.PRE_DATA, PARALLELISM));
        }

        @Test
        void a_report_with_blockers_stops_the_migration_with_every_finding_and_says_nothing_was_touched() {
            Migration state = given(historyUntil(MigrationStep.PREFLIGHT))
                    .when(new PreflightReported(List.of(WAL_LEVEL, NO_PRIMARY_KEY)), at(900))
                    .then(new MigrationStopped(MigrationStep.PREFLIGHT, "preflight found 1 blocker(s): wal_level on"
                            + " server: wal_level is replica, logical replication needs logical (set wal_level ="
                            + " logical and restart)", List.of(WAL_LEVEL, NO_PRIMARY_KEY),
                            MigrationDecider.operatorAction(progressAt(MigrationStep.PREFLIGHT), MigrationStep.PREFLIGHT),
                            at(900)));
            assertThat(state).isInstanceOfSatisfying(Stopped.class, stopped -> {
                assertThat(stopped.operatorAction()).startsWith("Nothing was changed on the source or the target");
                assertThat(stopped.isActive()).isFalse();
            });
        }
    }

    @Nested
    class Steps {

        @Test
        void pre_data_applied_starts_the_full_load_with_the_requested_parallelism() {
            given(historyUntil(MigrationStep.PRE_DATA)).when(success(MigrationStep.PRE_DATA), at(1_500))
                    .then(new MigrationStepStarted(MigrationStep.FULL_LOAD, 1, at(1_500)), new CopyData(PARALLELISM));
        }

        @Test
        void each_table_copied_during_the_full_load_gets_its_own_post_data_at_once() {
            Migration state = given(historyUntil(MigrationStep.FULL_LOAD))
                    .when(new TableCopied("public.orders"), during(MigrationStep.FULL_LOAD))
                    .then(List.of(), List.of(new ApplySchema(SchemaSection.POST_DATA, PARALLELISM,
                            List.of("public.orders"))));
            assertThat(state).isEqualTo(MigrationDecider.rebuild(historyUntil(MigrationStep.FULL_LOAD)));
        }

        @Test
        void an_interrupted_load_taken_up_by_the_replicator_ends_the_full_load_and_post_data_follows_knowing_the_tables_still_empty() {
            Migration state = given(historyUntil(MigrationStep.FULL_LOAD))
                    .when(new FullLoadResumed("cutover_orders", List.of("public.orders"), List.of("public.events")),
                            during(MigrationStep.FULL_LOAD))
                    .then(new MigrationStepStarted(MigrationStep.POST_DATA, 1, during(MigrationStep.FULL_LOAD),
                                    List.of("public.events")),
                            new ApplySchema(SchemaSection.POST_DATA, PARALLELISM, List.of(), List.of("public.events")));
            assertThat(state).isInstanceOfSatisfying(Running.class, running -> {
                assertThat(running.step()).isEqualTo(MigrationStep.POST_DATA);
                assertThat(running.progress().reached(MigrationStep.FULL_LOAD)).isTrue();
                assertThat(running.progress().tablesToSync()).containsExactly("public.events");
            });
        }

        @Test
        void streaming_after_a_resumed_load_has_the_copys_time_for_the_tables_table_synchronisation_copies() {
            Instant streaming = startOf(MigrationStep.STREAMING);
            Duration copyAndStreaming = POLICY.timeout(MigrationStep.STREAMING)
                    .plus(POLICY.timeout(MigrationStep.FULL_LOAD));
            List<MigrationEvent> history = resumedUntilStreaming(List.of("public.events"));
            assertThat(MigrationDecider.deadline(MigrationDecider.rebuild(history), POLICY))
                    .contains(streaming.plus(copyAndStreaming));
            given(history).when(new Tick(), streaming.plus(POLICY.timeout(MigrationStep.STREAMING)).plusMillis(1))
                    .thenNothing();
            given(history).when(new Tick(), streaming.plus(copyAndStreaming).plusMillis(1))
                    .then(new MigrationStopped(MigrationStep.STREAMING, "STREAMING did not finish within "
                            + human(copyAndStreaming), List.of(), MigrationDecider.operatorAction(
                                    progressAt(MigrationStep.STREAMING), MigrationStep.STREAMING),
                            streaming.plus(copyAndStreaming).plusMillis(1)));
        }

        @Test
        void the_schema_check_after_a_resumed_load_finishes_the_foreign_keys_to_the_tables_table_synchronisation_copied() {
            given(resumedUntilStreaming(List.of("public.events")))
                    .when(success(MigrationStep.STREAMING), during(MigrationStep.STREAMING))
                    .then(new MigrationStepStarted(MigrationStep.VERIFY_SCHEMA, 1, during(MigrationStep.STREAMING)),
                            new VerifySchema(List.of("public.events")));
        }

        @Test
        void streaming_after_a_resumed_load_that_kept_every_table_has_only_its_own_time() {
            assertThat(MigrationDecider.deadline(MigrationDecider.rebuild(resumedUntilStreaming(List.of())), POLICY))
                    .contains(startOf(MigrationStep.STREAMING).plus(POLICY.timeout(MigrationStep.STREAMING)));
        }

        /** A history whose load was taken up and left {@code tablesToSync} unfinished, until streaming began. */
        private static List<MigrationEvent> resumedUntilStreaming(List<String> tablesToSync) {
            var history = new ArrayList<>(historyUntil(MigrationStep.FULL_LOAD));
            history.add(new MigrationStepStarted(MigrationStep.POST_DATA, 1, startOf(MigrationStep.POST_DATA),
                    tablesToSync));
            history.add(new MigrationStepStarted(MigrationStep.STREAMING, 1, startOf(MigrationStep.STREAMING)));
            return history;
        }

        @Test
        void a_resumed_load_reported_again_once_the_load_is_over_does_nothing() {
            given(historyUntil(MigrationStep.POST_DATA))
                    .when(new FullLoadResumed("cutover_orders", List.of("public.orders"), List.of()),
                            during(MigrationStep.POST_DATA))
                    .thenNothing();
        }

        @Test
        void a_tables_post_data_built_is_progress_the_saga_does_not_wait_for_during_the_load() {
            given(historyUntil(MigrationStep.FULL_LOAD))
                    .when(new PostDataOfTablesApplied(List.of("public.orders")), during(MigrationStep.FULL_LOAD))
                    .thenNothing();
        }

        @Test
        void a_tables_post_data_built_after_the_load_does_not_end_the_post_data_step() {
            Migration state = given(historyUntil(MigrationStep.POST_DATA))
                    .when(new PostDataOfTablesApplied(List.of("public.events")), during(MigrationStep.POST_DATA))
                    .then(List.of(), List.of());
            assertThat(state).isInstanceOfSatisfying(Running.class,
                    running -> assertThat(running.step()).isEqualTo(MigrationStep.POST_DATA));
        }

        @Test
        void a_table_copied_reported_again_once_the_load_is_over_does_nothing() {
            given(historyUntil(MigrationStep.POST_DATA))
                    .when(new TableCopied("public.orders"), during(MigrationStep.POST_DATA)).thenNothing();
        }

        @Test
        void a_table_copied_before_any_load_began_is_refused() {
            given(historyUntil(MigrationStep.PRE_DATA)).when(new TableCopied("public.orders"), at(1_500))
                    .thenRefusedWith("no full load has begun");
        }

        @Test
        void a_copied_tables_post_data_that_fails_stops_the_migration_during_the_load() {
            given(historyUntil(MigrationStep.FULL_LOAD))
                    .when(new StepFailed(ApplySchema.class, "could not create unique index \"orders_pkey\"", false),
                            during(MigrationStep.FULL_LOAD))
                    .then(new MigrationStopped(MigrationStep.FULL_LOAD, "FULL_LOAD failed: post-data of a copied table"
                            + " failed: could not create unique index \"orders_pkey\"", List.of(),
                            MigrationDecider.operatorAction(progressAt(MigrationStep.FULL_LOAD), MigrationStep.FULL_LOAD),
                            during(MigrationStep.FULL_LOAD)));
        }

        @Test
        void post_data_of_one_table_is_never_asked_for_the_pre_data_section() {
            assertThatThrownBy(() -> new ApplySchema(SchemaSection.PRE_DATA, 0, List.of("public.orders")))
                    .hasMessageContaining("only post-data is applied table by table");
        }

        @Test
        void the_full_load_completed_applies_the_whole_post_data_section_for_what_is_left() {
            given(historyUntil(MigrationStep.FULL_LOAD)).when(success(MigrationStep.FULL_LOAD), at(2_500))
                    .then(new MigrationStepStarted(MigrationStep.POST_DATA, 1, at(2_500)),
                            new ApplySchema(SchemaSection.POST_DATA, PARALLELISM, List.of()));
        }

        @Test
        void post_data_applied_starts_streaming() {
            given(historyUntil(MigrationStep.POST_DATA)).when(success(MigrationStep.POST_DATA), at(3_500))
                    .then(new MigrationStepStarted(MigrationStep.STREAMING, 1, at(3_500)), new StartStreaming());
        }

        @Test
        void streaming_is_told_of_a_planned_sampled_verification_so_that_changed_rows_are_recorded_from_its_start() {
            MigrationPlan sampled = new MigrationPlan(PARALLELISM, Optional.of(DNS), false,
                    Optional.of(DataVerification.SAMPLED));

            given(historyUntil(sampled, MigrationStep.POST_DATA)).when(success(MigrationStep.POST_DATA), at(3_500))
                    .then(new MigrationStepStarted(MigrationStep.STREAMING, 1, at(3_500)),
                            new StartStreaming(Optional.of(DataVerification.SAMPLED)));
        }

        @Test
        void streaming_starts_the_schema_verification() {
            given(historyUntil(MigrationStep.STREAMING)).when(success(MigrationStep.STREAMING), at(4_500))
                    .then(new MigrationStepStarted(MigrationStep.VERIFY_SCHEMA, 1, at(4_500)), new VerifySchema());
        }

        @Test
        void a_matching_schema_starts_the_data_verification_only_now_that_changes_stream() {
            given(historyUntil(MigrationStep.VERIFY_SCHEMA)).when(success(MigrationStep.VERIFY_SCHEMA), at(5_500))
                    .then(new MigrationStepStarted(MigrationStep.VERIFY_DATA, 1, at(5_500)), new VerifyData());
        }

        @Test
        void the_data_verification_is_asked_as_the_plan_says() {
            MigrationPlan sampled = new MigrationPlan(PARALLELISM, Optional.of(DNS), false,
                    Optional.of(DataVerification.SAMPLED));

            given(historyUntil(sampled, MigrationStep.VERIFY_SCHEMA)).when(success(MigrationStep.VERIFY_SCHEMA), at(5_500))
                    .then(new MigrationStepStarted(MigrationStep.VERIFY_DATA, 1, at(5_500)),
                            new VerifyData(Optional.of(DataVerification.SAMPLED)));
        }

        @Test
        void matching_data_lowers_the_dns_ttl_to_the_cutovers_ttl() {
            given(historyUntil(MigrationStep.VERIFY_DATA)).when(success(MigrationStep.VERIFY_DATA), at(6_500))
                    .then(new MigrationStepStarted(MigrationStep.LOWER_DNS_TTL, 1, at(6_500)),
                            new LowerDnsTtl(DNS.recordName(), DNS.ttl()));
        }

        @Test
        void without_a_dns_plan_matching_data_makes_the_migration_ready() {
            Migration state = given(historyUntil(PLAN_WITHOUT_DNS, MigrationStep.VERIFY_DATA))
                    .when(success(MigrationStep.VERIFY_DATA), at(6_500))
                    .then(new MigrationReady(at(6_500)));
            assertThat(state).isInstanceOf(Ready.class);
        }

        @Test
        void the_ttl_lowered_makes_the_migration_ready_and_lets_go_of_the_database() {
            Migration state = given(historyUntil(MigrationStep.LOWER_DNS_TTL))
                    .when(success(MigrationStep.LOWER_DNS_TTL), at(7_500))
                    .then(new MigrationReady(at(7_500)));
            assertThat(state).isEqualTo(new Ready(progressAt(MigrationStep.LOWER_DNS_TTL), at(7_500)));
            assertThat(state.isActive()).isFalse();
            assertThat(MigrationDecider.deadline(state, POLICY)).isEmpty();
        }

        @Test
        void a_whole_migration_folds_back_to_the_state_it_was_decided_in() {
            var history = new ArrayList<MigrationEvent>();
            Migration state = MigrationDecider.rebuild(history);
            List<MigrationMessage> inputs = new ArrayList<>(List.of(start(ALICE)));
            for (MigrationStep step : MigrationStep.values()) {
                if (step == MigrationStep.FULL_LOAD) {
                    inputs.addAll(List.of(new TableCopied("public.orders"), new TableCopied("public.events"),
                            new PostDataOfTablesApplied(List.of("public.orders"))));
                }
                inputs.add(success(step));
                if (step == MigrationStep.FULL_LOAD) {
                    inputs.add(new PostDataOfTablesApplied(List.of("public.events")));
                }
            }
            Instant now = T0;
            for (MigrationMessage input : inputs) {
                MigrationDecision decision = MigrationDecider.decide(state, input, now, POLICY);
                for (MigrationEvent event : decision.events()) {
                    state = MigrationDecider.evolve(state, event);
                    history.add(event);
                }
                now = now.plusSeconds(1);
            }
            assertThat(state).isInstanceOf(Ready.class);
            assertThat(MigrationDecider.rebuild(history)).isEqualTo(state);
            assertThat(((Ready) state).progress().stepStarts()).containsOnlyKeys(MigrationStep.values());
        }
    }

    @Nested
    class LoadRetries {

        private static final String RESTARTING = "copying public.orders on postgres@source/orders failed: the server"
                + " could not be reached or is restarting; check that it is up and reachable, then retry";
        private final Instant failedAt = during(MigrationStep.FULL_LOAD);
        private final Instant retryAt = failedAt.plus(POLICY.loadRetry().delay());
        private final MigrationStepRetrying firstRetry =
                new MigrationStepRetrying(MigrationStep.FULL_LOAD, 1, RESTARTING, retryAt, failedAt);

        @Test
        void a_full_load_that_failed_retryably_with_attempts_left_is_tried_again_after_the_delay() {
            Migration state = given(historyUntil(MigrationStep.FULL_LOAD))
                    .when(new StepFailed(CopyData.class, RESTARTING, true), failedAt)
                    .then(firstRetry);
            assertThat(state).isInstanceOf(AwaitingRetry.class);
            assertThat(state.isActive()).isTrue();
            assertThat(MigrationDecider.deadline(state, POLICY)).contains(retryAt);
            given(historyUntil(MigrationStep.FULL_LOAD, firstRetry)).when(new Tick(), retryAt.minusMillis(1))
                    .thenNothing();
        }

        @Test
        void once_the_retry_is_due_the_load_is_sent_again_as_a_second_attempt_that_takes_up_what_was_copied() {
            Migration state = given(historyUntil(MigrationStep.FULL_LOAD, firstRetry))
                    .when(new Tick(), retryAt)
                    .then(new MigrationStepStarted(MigrationStep.FULL_LOAD, 2, retryAt), new CopyData(PARALLELISM));
            assertThat(state).isInstanceOfSatisfying(Running.class, running -> {
                assertThat(running.attempt()).isEqualTo(2);
                assertThat(running.progress().stepStarts()).containsEntry(MigrationStep.FULL_LOAD,
                        startOf(MigrationStep.FULL_LOAD));
            });
        }

        @Test
        void the_last_attempt_failing_retryably_stops_the_migration_and_says_which_attempt() {
            Instant last = retryAt.plusSeconds(5);
            List<MigrationEvent> history = historyUntil(MigrationStep.FULL_LOAD, firstRetry,
                    new MigrationStepStarted(MigrationStep.FULL_LOAD, 2, retryAt),
                    new MigrationStepRetrying(MigrationStep.FULL_LOAD, 2, RESTARTING, last, retryAt.plusSeconds(1)),
                    new MigrationStepStarted(MigrationStep.FULL_LOAD, 3, last));
            given(history).when(new StepFailed(CopyData.class, RESTARTING, true), last.plusSeconds(1))
                    .then(new MigrationStopped(MigrationStep.FULL_LOAD, "FULL_LOAD failed at attempt 3: " + RESTARTING
                            + " (the participant says trying again may work)", List.of(),
                            MigrationDecider.operatorAction(progressAt(MigrationStep.FULL_LOAD),
                                    MigrationStep.FULL_LOAD), last.plusSeconds(1)));
        }

        @Test
        void another_steps_retryable_failure_still_stops_the_migration() {
            given(historyUntil(MigrationStep.STREAMING))
                    .when(new StepFailed(MigrationStep.STREAMING.command(), RESTARTING, true),
                            during(MigrationStep.STREAMING))
                    .then(new MigrationStopped(MigrationStep.STREAMING, "STREAMING failed: " + RESTARTING
                            + " (the participant says trying again may work)", List.of(),
                            MigrationDecider.operatorAction(progressAt(MigrationStep.STREAMING),
                                    MigrationStep.STREAMING), during(MigrationStep.STREAMING)));
        }

        @Test
        void a_policy_of_one_attempt_stops_at_the_first_failure() {
            var once = new MigrationPolicy(MigrationPolicy.defaultTimeouts(), 3, Duration.ofSeconds(30), Set.of(ALICE),
                    FullLoadRate.MEASURED, new MigrationPolicy.LoadRetry(1, Duration.ofSeconds(30)));
            MigrationDecision decision = MigrationDecider.decide(MigrationDecider.rebuild(
                    historyUntil(MigrationStep.FULL_LOAD)), new StepFailed(CopyData.class, RESTARTING, true), failedAt,
                    once);
            assertThat(decision.events()).singleElement().isInstanceOf(MigrationStopped.class);
        }

        @Test
        void while_waiting_the_failed_attempts_late_reports_do_nothing() {
            given(historyUntil(MigrationStep.FULL_LOAD, firstRetry))
                    .when(new StepFailed(CopyData.class, RESTARTING, true), failedAt.plusSeconds(1)).thenNothing();
            given(historyUntil(MigrationStep.FULL_LOAD, firstRetry))
                    .when(new TableCopied("public.orders"), failedAt.plusSeconds(1)).thenNothing();
        }

        @Test
        void an_abort_while_waiting_stops_the_migration_and_cleans_up() {
            MigrationDecision decision = MigrationDecider.decide(MigrationDecider.rebuild(
                    historyUntil(MigrationStep.FULL_LOAD, firstRetry)), new AbortMigration(ALICE,
                    Optional.of("CHG-1"), true), failedAt.plusSeconds(1), POLICY);
            assertThat(decision.events()).singleElement().isInstanceOfSatisfying(MigrationStopped.class,
                    stopped -> assertThat(stopped.failedStep()).isEqualTo(MigrationStep.FULL_LOAD));
            assertThat(decision.commands()).containsExactly(new CleanUp(true));
        }
    }

    @Nested
    class Verification {

        private final MigrationDataMismatched firstMismatch =
                new MigrationDataMismatched(1, List.of(mismatch()), at(6_500).plusSeconds(30), at(6_500));

        @Test
        void schema_differences_stop_the_migration_and_name_each_difference() {
            given(historyUntil(MigrationStep.VERIFY_SCHEMA))
                    .when(new SchemaVerified(List.of("MISSING_INDEX public.orders_created_idx")), at(5_500))
                    .then(new MigrationStopped(MigrationStep.VERIFY_SCHEMA, "the target's schema differs from the"
                            + " source's in 1 place(s): MISSING_INDEX public.orders_created_idx", List.of(),
                            MigrationDecider.operatorAction(progressAt(MigrationStep.VERIFY_SCHEMA),
                                    MigrationStep.VERIFY_SCHEMA), at(5_500)));
        }

        @Test
        void a_data_mismatch_with_attempts_left_waits_for_replication_to_catch_up() {
            Migration state = given(historyUntil(MigrationStep.VERIFY_DATA))
                    .when(new DataVerified(14, 1_000, List.of(mismatch())), at(6_500))
                    .then(firstMismatch);
            assertThat(state).isInstanceOf(AwaitingRetry.class);
            assertThat(state.isActive()).isTrue();
            assertThat(MigrationDecider.deadline(state, POLICY)).contains(at(6_500).plusSeconds(30));
        }

        @Test
        void before_the_retry_is_due_time_passing_does_nothing() {
            given(historyUntil(MigrationStep.VERIFY_DATA, firstMismatch)).when(new Tick(), at(36_499)).thenNothing();
        }

        @Test
        void once_the_retry_is_due_the_data_is_verified_again_as_a_second_attempt() {
            Migration state = given(historyUntil(MigrationStep.VERIFY_DATA, firstMismatch))
                    .when(new Tick(), at(36_500))
                    .then(new MigrationStepStarted(MigrationStep.VERIFY_DATA, 2, at(36_500)), new VerifyData());
            assertThat(state).isInstanceOfSatisfying(Running.class, running -> {
                assertThat(running.attempt()).isEqualTo(2);
                // The step's duration covers every attempt, so its first start is kept.
                assertThat(running.progress().stepStarts()).containsEntry(MigrationStep.VERIFY_DATA,
                        startOf(MigrationStep.VERIFY_DATA));
                assertThat(MigrationDecider.deadline(running, POLICY))
                        .contains(at(36_500).plus(POLICY.timeout(MigrationStep.VERIFY_DATA)));
            });
        }

        @Test
        void a_repeated_answer_to_the_verification_that_mismatched_does_nothing() {
            given(historyUntil(MigrationStep.VERIFY_DATA, firstMismatch))
                    .when(new DataVerified(14, 1_000, List.of(mismatch())), at(7_000)).thenNothing();
        }

        @Test
        void a_failure_report_for_the_verification_that_already_answered_does_nothing() {
            given(historyUntil(MigrationStep.VERIFY_DATA, firstMismatch))
                    .when(new StepFailed(VerifyData.class, "connection reset", true), at(7_000)).thenNothing();
        }

        @Test
        void matching_data_on_a_later_attempt_goes_on_to_the_ttl() {
            given(historyUntil(MigrationStep.VERIFY_DATA, firstMismatch,
                    new MigrationStepStarted(MigrationStep.VERIFY_DATA, 2, at(36_500))))
                    .when(success(MigrationStep.VERIFY_DATA), at(40_000))
                    .then(new MigrationStepStarted(MigrationStep.LOWER_DNS_TTL, 1, at(40_000)),
                            new LowerDnsTtl(DNS.recordName(), DNS.ttl()));
        }

        @Test
        void data_that_still_differs_on_the_last_attempt_stops_the_migration() {
            var history = historyUntil(MigrationStep.VERIFY_DATA, firstMismatch,
                    new MigrationStepStarted(MigrationStep.VERIFY_DATA, 2, at(36_500)),
                    new MigrationDataMismatched(2, List.of(mismatch()), at(70_000), at(40_000)),
                    new MigrationStepStarted(MigrationStep.VERIFY_DATA, 3, at(70_000)));
            given(history).when(new DataVerified(14, 1_000, List.of(mismatch())), at(75_000))
                    .then(new MigrationStopped(MigrationStep.VERIFY_DATA, "1 table(s) differ: public.orders"
                            + " [1000,2000): 1000 rows on the source, 998 on the target (2 rows missing), still after 3"
                            + " verification(s) 30s apart", List.of(),
                            MigrationDecider.operatorAction(progressAt(MigrationStep.VERIFY_DATA),
                                    MigrationStep.VERIFY_DATA), at(75_000)));
        }

        @Test
        void a_policy_of_one_attempt_stops_at_the_first_mismatch() {
            var strict = new MigrationPolicy(MigrationPolicy.defaultTimeouts(), 1, Duration.ZERO, Set.of(ALICE));
            Migration state = MigrationDecider.rebuild(historyUntil(MigrationStep.VERIFY_DATA));
            MigrationDecision decision = MigrationDecider.decide(state,
                    new DataVerified(14, 1_000, List.of(mismatch())), at(6_500), strict);
            assertThat(decision.events()).singleElement().isInstanceOf(MigrationStopped.class);
        }

        @Test
        void a_retry_out_of_turn_is_refused_when_folding() {
            var history = historyUntil(MigrationStep.VERIFY_DATA, firstMismatch,
                    new MigrationStepStarted(MigrationStep.VERIFY_DATA, 3, at(36_500)));
            assertThatThrownBy(() -> MigrationDecider.rebuild(history))
                    .isInstanceOf(InvalidMigrationTransition.class)
                    .hasMessageContaining("the next attempt is 2 of VERIFY_DATA");
        }
    }

    @Nested
    class FailuresAndTimeouts {

        @ParameterizedTest
        @EnumSource(MigrationStep.class)
        void a_participant_failing_a_step_stops_the_migration_there_with_its_reason_and_the_clean_up(MigrationStep step) {
            Migration state = given(historyUntil(step))
                    .when(new StepFailed(step.command(), "could not connect to the target", false), during(step))
                    .then(new MigrationStopped(step, step + " failed: could not connect to the target", List.of(),
                            MigrationDecider.operatorAction(progressAt(step), step), during(step)));
            assertThat(state.isActive()).isFalse();
            assertThat(MigrationDecider.deadline(state, POLICY)).isEmpty();
        }

        @ParameterizedTest
        @EnumSource(MigrationStep.class)
        void a_step_that_does_not_finish_in_time_stops_the_migration(MigrationStep step) {
            given(historyUntil(step)).when(new Tick(), pastDeadlineOf(step))
                    .then(new MigrationStopped(step, step + " did not finish within "
                            + human(POLICY.timeout(step)), List.of(),
                            MigrationDecider.operatorAction(progressAt(step), step), pastDeadlineOf(step)));
        }

        @ParameterizedTest
        @EnumSource(MigrationStep.class)
        void before_a_steps_deadline_time_passing_does_nothing(MigrationStep step) {
            given(historyUntil(step)).when(new Tick(), startOf(step).plus(POLICY.timeout(step)).minusMillis(1))
                    .thenNothing();
        }

        @Test
        void the_default_timeouts_are_the_ones_agreed_for_each_step() {
            assertThat(POLICY.timeouts()).isEqualTo(Map.of(
                    MigrationStep.PREFLIGHT, Duration.ofMinutes(2),
                    MigrationStep.PRE_DATA, Duration.ofMinutes(5),
                    MigrationStep.FULL_LOAD, Duration.ofHours(24),
                    MigrationStep.POST_DATA, Duration.ofHours(12),
                    MigrationStep.STREAMING, Duration.ofMinutes(5),
                    MigrationStep.VERIFY_SCHEMA, Duration.ofMinutes(10),
                    MigrationStep.VERIFY_DATA, Duration.ofHours(2),
                    MigrationStep.LOWER_DNS_TTL, Duration.ofMinutes(2)));
        }

        @Test
        void a_retryable_failure_says_so_in_the_reason() {
            given(historyUntil(MigrationStep.POST_DATA))
                    .when(new StepFailed(ApplySchema.class, "the target closed the connection", true), at(3_500))
                    .then(new MigrationStopped(MigrationStep.POST_DATA, "POST_DATA failed: the target closed the"
                            + " connection (the participant says trying again may work)", List.of(),
                            MigrationDecider.operatorAction(progressAt(MigrationStep.POST_DATA), MigrationStep.POST_DATA),
                            at(3_500)));
        }

        @Test
        void the_clean_up_named_grows_with_how_far_the_migration_got() {
            assertThat(MigrationDecider.operatorAction(progressAt(MigrationStep.PRE_DATA), MigrationStep.PRE_DATA))
                    .contains("a failed pre-data left the target as it was", "create-missing-roles",
                            "Drop database orders on the target")
                    .doesNotContain("replication slot", "holds part of the schema")
                    .endsWith("send StartMigration with a new migration id.");
            assertThat(MigrationDecider.operatorAction(progressAt(MigrationStep.FULL_LOAD), MigrationStep.FULL_LOAD))
                    .contains("cutoverctl migrate abort --migration ", " --drop-target-tables",
                            "the replication slot", "the publication and the target's tables")
                    .doesNotContain("Drop database");
            assertThat(MigrationDecider.operatorAction(progressAt(MigrationStep.LOWER_DNS_TTL),
                    MigrationStep.LOWER_DNS_TTL))
                    .contains("Lower the TTL of db.orders.example. to 1s by hand").doesNotContain("Drop database");
        }

        @Test
        void a_late_answer_for_a_finished_step_does_nothing() {
            given(historyUntil(MigrationStep.FULL_LOAD)).when(success(MigrationStep.PRE_DATA), at(2_500)).thenNothing();
        }

        @Test
        void a_late_failure_of_a_finished_step_does_nothing() {
            given(historyUntil(MigrationStep.POST_DATA))
                    .when(new StepFailed(CopyData.class, "worker 3 lost its connection", true), at(3_500)).thenNothing();
        }

        @Test
        void a_late_answer_after_the_migration_stopped_does_nothing() {
            var history = historyUntil(MigrationStep.FULL_LOAD, new MigrationStopped(MigrationStep.FULL_LOAD,
                    "FULL_LOAD did not finish within 86400s", List.of(), "drop it", pastDeadlineOf(MigrationStep.FULL_LOAD)));
            given(history).when(success(MigrationStep.FULL_LOAD), pastDeadlineOf(MigrationStep.FULL_LOAD).plusSeconds(1))
                    .thenNothing();
        }

        @Test
        void an_answer_for_a_step_not_begun_is_refused_with_the_state_named() {
            given(historyUntil(MigrationStep.PRE_DATA)).when(success(MigrationStep.FULL_LOAD), at(1_500))
                    .thenRefusedWith("no step [FULL_LOAD] is awaiting an answer");
        }

        @Test
        void an_answer_about_a_migration_never_started_is_refused() {
            given().when(success(MigrationStep.PREFLIGHT), T0).thenRefusedWith("is awaiting an answer");
        }

        @Test
        void a_history_that_skips_a_step_is_refused_when_folding() {
            var history = List.<MigrationEvent>of(started(PLAN),
                    new MigrationStepStarted(MigrationStep.FULL_LOAD, 1, at(1_000)));
            assertThatThrownBy(() -> MigrationDecider.rebuild(history))
                    .isInstanceOf(InvalidMigrationTransition.class)
                    .hasMessageContaining("the step after PREFLIGHT is PRE_DATA");
        }

        @Test
        void a_history_that_lowers_the_ttl_without_a_dns_plan_is_refused_when_folding() {
            var history = new ArrayList<>(historyUntil(PLAN_WITHOUT_DNS, MigrationStep.VERIFY_DATA));
            history.add(new MigrationStepStarted(MigrationStep.LOWER_DNS_TTL, 1, at(7_000)));
            assertThatThrownBy(() -> MigrationDecider.rebuild(history))
                    .isInstanceOf(InvalidMigrationTransition.class)
                    .hasMessageContaining("the step after VERIFY_DATA is none");
        }
    }

    @Nested
    class Values {

        @Test
        void a_policy_without_operators_is_refused() {
            assertThatThrownBy(() -> MigrationPolicy.withDefaults(Set.of()))
                    .hasMessageContaining("allowedOperators must name at least one operator");
        }

        @Test
        void a_policy_missing_a_steps_timeout_is_refused() {
            var timeouts = MigrationPolicy.defaultTimeouts();
            timeouts.remove(MigrationStep.VERIFY_DATA);
            assertThatThrownBy(() -> new MigrationPolicy(timeouts, 3, Duration.ofSeconds(30), Set.of(ALICE)))
                    .hasMessageContaining("timeout for migration step VERIFY_DATA is missing");
        }

        @Test
        void a_policy_without_any_data_verification_is_refused() {
            assertThatThrownBy(() -> new MigrationPolicy(MigrationPolicy.defaultTimeouts(), 0, Duration.ofSeconds(30),
                    Set.of(ALICE))).hasMessageContaining("dataVerifyAttempts must be at least 1");
        }

        @Test
        void a_migration_id_with_spaces_is_refused() {
            assertThatThrownBy(() -> new MigrationId("orders 1")).hasMessageContaining("must not contain whitespace");
        }
    }
}
