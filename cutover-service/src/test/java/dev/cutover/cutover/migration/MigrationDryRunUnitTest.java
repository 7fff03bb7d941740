package dev.cutover.cutover.migration;

import static dev.cutover.cutover.migration.MigrationFixtures.ALICE;
import static dev.cutover.cutover.migration.MigrationFixtures.BOB;
import static dev.cutover.cutover.migration.MigrationFixtures.DATABASE;
import static dev.cutover.cutover.migration.MigrationFixtures.DNS;
import static dev.cutover.cutover.migration.MigrationFixtures.ID;
import static dev.cutover.cutover.migration.MigrationFixtures.OTHER_ID;
import static dev.cutover.cutover.migration.MigrationFixtures.PARALLELISM;
import static dev.cutover.cutover.migration.MigrationFixtures.POLICY;
import static dev.cutover.cutover.migration.MigrationFixtures.T0;
import static dev.cutover.cutover.migration.MigrationFixtures.at;
import static dev.cutover.cutover.migration.MigrationFixtures.start;
import static dev.cutover.cutover.migration.MigrationSpec.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cutover.cutover.migration.Migration.Planned;
import dev.cutover.cutover.migration.Migration.Running;
import dev.cutover.cutover.migration.Migration.Stopped;
import dev.cutover.cutover.migration.MigrationCommand.CheckPreflight;
import dev.cutover.cutover.migration.MigrationEvent.MigrationPlanReported;
import dev.cutover.cutover.migration.MigrationEvent.MigrationRejected;
import dev.cutover.cutover.migration.MigrationEvent.MigrationStarted;
import dev.cutover.cutover.migration.MigrationEvent.MigrationStopped;
import dev.cutover.cutover.migration.MigrationMessage.AbortMigration;
import dev.cutover.cutover.migration.MigrationMessage.PreflightReported;
import dev.cutover.cutover.migration.MigrationMessage.StartMigration;
import dev.cutover.cutover.migration.MigrationMessage.Tick;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/** A migration's dry run: preflight only, then what the load would move and how long it would take. */
class MigrationDryRunUnitTest {

    private static final long MIB = 1024 * 1024;
    private static final MigrationPlan DRY_RUN = new MigrationPlan(PARALLELISM, Optional.empty(), true);
    private static final SourceLoad LOAD = new SourceLoad(List.of("public", "sales"), List.of(
            new SourceLoad.Table("public.accounts", 57 * MIB, OptionalLong.of(10_000)),
            new SourceLoad.Table("sales.orders", 114 * MIB, OptionalLong.empty())));
    private static final Finding WAL_LEVEL = new Finding(Finding.Severity.BLOCKER, "wal_level", "server",
            "wal_level is replica, logical replication needs logical", Optional.of("set wal_level = logical and restart"));
    private static final Finding NO_PRIMARY_KEY = new Finding(Finding.Severity.WARNING, "primary_keys", "public.audit",
            "table has no primary key: updates and deletes are not replicated", Optional.empty());

    private static StartMigration dryRun(Optional<MigrationId> active) {
        return new StartMigration(ID, DATABASE, ALICE, PARALLELISM, Optional.of(DNS), active, true);
    }

    private static MigrationStarted started() {
        return new MigrationStarted(ID, DATABASE, ALICE, DRY_RUN, T0);
    }

    @Test
    void a_dry_run_plans_only_the_preflight_lowers_no_ttl_and_never_holds_its_database() {
        Migration state = given().when(dryRun(Optional.empty()), T0).then(started(), new CheckPreflight());

        assertThat(DRY_RUN.steps()).containsExactly(MigrationStep.PREFLIGHT);
        assertThat(state).isInstanceOf(Running.class);
        assertThat(state.isActive()).as("a later real migration of the database must be accepted").isFalse();
    }

    @Test
    void a_dry_run_may_look_at_a_database_another_migration_is_preparing() {
        given().when(dryRun(Optional.of(OTHER_ID)), T0).then(started(), new CheckPreflight());
    }

    @Test
    void a_real_migration_is_accepted_while_a_dry_run_of_its_database_is_under_way() {
        Migration dryRunning = given().when(dryRun(Optional.empty()), T0).then(started(), new CheckPreflight());
        // The runner asks each saga of the database whether it is active; the dry run answers no.
        Optional<MigrationId> active = dryRunning.isActive() ? Optional.of(ID) : Optional.empty();
        var real = new StartMigration(OTHER_ID, DATABASE, ALICE, PARALLELISM, Optional.of(DNS), active);

        given().when(real, at(10)).then(new MigrationStarted(OTHER_ID, DATABASE, ALICE,
                new MigrationPlan(PARALLELISM, Optional.of(DNS)), at(10)), new CheckPreflight());
    }

    @Test
    void a_preflight_without_blockers_ends_the_dry_run_with_the_load_and_its_time_at_the_configured_rate() {
        Migration state = given(started()).when(new PreflightReported(List.of(NO_PRIMARY_KEY), LOAD), at(800))
                .then(new MigrationPlanReported(1, 0, LOAD, FullLoadRate.MEASURED, Duration.ofSeconds(3), at(800)));

        assertThat(state).isInstanceOf(Planned.class);
        assertThat(state.isActive()).isFalse();
        assertThat(MigrationDecider.deadline(state, POLICY)).isEmpty();
        assertThat(((Planned) state).progress().planReport()).map(report -> report.load().totalBytes())
                .contains(171 * MIB);
    }

    @Test
    void a_preflight_with_blockers_reports_the_plan_and_stops_the_dry_run_as_it_would_a_migration() {
        Migration state = given(started()).when(new PreflightReported(List.of(WAL_LEVEL, NO_PRIMARY_KEY), LOAD),
                at(800)).then(List.of(
                        new MigrationPlanReported(2, 1, LOAD, FullLoadRate.MEASURED, Duration.ofSeconds(3), at(800)),
                        new MigrationStopped(MigrationStep.PREFLIGHT, "preflight found 1 blocker(s): wal_level on server:"
                                + " wal_level is replica, logical replication needs logical (set wal_level = logical and"
                                + " restart)", List.of(WAL_LEVEL, NO_PRIMARY_KEY),
                                "Nothing was changed on the source or the target. Fix what the findings and the reason"
                                        + " name, then send StartMigration with a new migration id.", at(800))),
                List.of());

        assertThat(state).isInstanceOf(Stopped.class);
        assertThat(((Stopped) state).progress().planReport()).isPresent();
    }

    @Test
    void the_prediction_uses_the_policys_rate() {
        var slow = new MigrationPolicy(MigrationPolicy.defaultTimeouts(), 3, Duration.ofSeconds(30),
                java.util.Set.of(ALICE), new FullLoadRate(MIB));
        Migration state = MigrationDecider.rebuild(List.of(started()));

        MigrationDecision decision = MigrationDecider.decide(state, new PreflightReported(List.of(), LOAD), at(800), slow);

        assertThat(decision.events()).singleElement().isEqualTo(new MigrationPlanReported(0, 0, LOAD,
                new FullLoadRate(MIB), Duration.ofSeconds(171), at(800)));
        assertThat(new FullLoadRate(MIB).describe()).isEqualTo("1.0 MiB/s");
        assertThatThrownBy(() -> new FullLoadRate(0)).hasMessageContaining("must be positive");
    }

    @Test
    void a_dry_run_whose_preflight_does_not_answer_in_time_stops_having_changed_nothing() {
        Instant late = T0.plus(POLICY.timeout(MigrationStep.PREFLIGHT)).plusMillis(1);

        Migration state = given(started()).when(new Tick(), late).then(new MigrationStopped(MigrationStep.PREFLIGHT,
                "PREFLIGHT did not finish within 120s", List.of(), "Nothing was changed on the source or the target."
                        + " Fix what the findings and the reason name, then send StartMigration with a new migration"
                        + " id.", late));

        assertThat(state.isActive()).isFalse();
    }

    @Test
    void aborting_a_running_dry_run_stops_it_without_cleaning_up_what_a_real_migration_of_the_database_uses() {
        given(started()).when(new AbortMigration(BOB, Optional.of("wrong database"), true), at(300))
                .then(new MigrationStopped(MigrationStep.PREFLIGHT, "aborted by bob: wrong database", List.of(),
                        "Nothing was changed on the source or the target: this was a dry run.", at(300)));
    }

    @Test
    void aborting_a_dry_run_that_has_answered_is_refused_and_sends_nothing() {
        var planned = new MigrationPlanReported(0, 0, LOAD, FullLoadRate.MEASURED, Duration.ofSeconds(3), at(800));

        given(started(), planned).when(new AbortMigration(BOB, Optional.empty(), false), at(900))
                .then(new MigrationRejected(ID, DATABASE, BOB, "abort refused: it is a dry run, which changed nothing:"
                        + " there is nothing to clean up", at(900)));
    }

    @Test
    void a_repeated_dry_run_does_nothing_and_a_real_start_under_its_id_is_refused() {
        var planned = new MigrationPlanReported(0, 0, LOAD, FullLoadRate.MEASURED, Duration.ofSeconds(3), at(800));

        given(started(), planned).when(dryRun(Optional.empty()), at(900)).thenNothing();
        given(started(), planned).when(start(ALICE), at(900)).then(new MigrationRejected(ID, DATABASE, ALICE,
                "migration id migration-orders-1 is already used by a dry run; send StartMigration with a new"
                        + " migration id", at(900)));
    }

    @Test
    void a_plan_report_outside_a_dry_runs_preflight_is_an_invalid_transition() {
        var planned = new MigrationPlanReported(0, 0, LOAD, FullLoadRate.MEASURED, Duration.ofSeconds(3), at(800));
        var real = new MigrationStarted(ID, DATABASE, ALICE, new MigrationPlan(PARALLELISM, Optional.empty()), T0);

        assertThatThrownBy(() -> MigrationDecider.rebuild(List.of(real, planned)))
                .isInstanceOf(InvalidMigrationTransition.class)
                .hasMessageContaining("only a dry run's preflight reports a plan");
    }
}
