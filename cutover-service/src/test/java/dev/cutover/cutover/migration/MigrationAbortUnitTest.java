package dev.cutover.cutover.migration;

import static dev.cutover.cutover.migration.MigrationFixtures.ALICE;
import static dev.cutover.cutover.migration.MigrationFixtures.BOB;
import static dev.cutover.cutover.migration.MigrationFixtures.DATABASE;
import static dev.cutover.cutover.migration.MigrationFixtures.ID;
import static dev.cutover.cutover.migration.MigrationFixtures.MALLORY;
import static dev.cutover.cutover.migration.MigrationFixtures.at;
import static dev.cutover.cutover.migration.MigrationFixtures.historyUntil;
import static dev.cutover.cutover.migration.MigrationSpec.given;
import static org.assertj.core.api.Assertions.assertThat;

import dev.cutover.cutover.migration.Migration.Ready;
import dev.cutover.cutover.migration.Migration.Running;
import dev.cutover.cutover.migration.Migration.Stopped;
import dev.cutover.cutover.migration.MigrationCommand.CleanUp;
import dev.cutover.cutover.migration.MigrationEvent.MigrationReady;
import dev.cutover.cutover.migration.MigrationEvent.MigrationRejected;
import dev.cutover.cutover.migration.MigrationEvent.MigrationStopped;
import dev.cutover.cutover.migration.MigrationMessage.AbortMigration;
import dev.cutover.cutover.saga.Operator;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class MigrationAbortUnitTest {

    private static AbortMigration abort(Operator operator, boolean dropTargetTables) {
        return new AbortMigration(operator, Optional.of("CHG-1"), dropTargetTables);
    }

    @Test
    void aRunningMigrationAbortedStopsAtItsStepAndHasTheReplicatorCleanUp() {
        var history = historyUntil(MigrationStep.FULL_LOAD);

        var decision = MigrationDecider.decide(MigrationDecider.rebuild(history), abort(BOB, true), at(9_000),
                MigrationFixtures.POLICY);

        assertThat(decision.commands()).containsExactly(new CleanUp(true));
        assertThat(decision.events()).singleElement().isInstanceOfSatisfying(MigrationStopped.class, stopped -> {
            assertThat(stopped.failedStep()).isEqualTo(MigrationStep.FULL_LOAD);
            assertThat(stopped.reason()).isEqualTo("aborted by bob: CHG-1");
            assertThat(stopped.operatorAction()).contains("replication slot", "drops the target's tables");
        });
        var all = new ArrayList<MigrationEvent>(history);
        all.addAll(decision.events());
        assertThat(MigrationDecider.rebuild(all)).isInstanceOf(Stopped.class);
    }

    @Test
    void aStoppedMigrationIsCleanedUpAgainOnEveryAbortWithoutAnotherStop() {
        var stopped = historyUntil(MigrationStep.STREAMING, new MigrationStopped(MigrationStep.STREAMING,
                "STREAMING did not finish within 5 min", List.of(), "clean up", at(9_000)));

        given(stopped).when(abort(ALICE, false), at(10_000)).then(List.of(), List.of(new CleanUp(false)));
        given(stopped).when(abort(ALICE, true), at(11_000)).then(List.of(), List.of(new CleanUp(true)));
    }

    @Test
    void aReadyMigrationLosesItsReplicationButNeverItsTargetTables() {
        var ready = historyUntil(MigrationStep.LOWER_DNS_TTL, new MigrationReady(at(9_000)));

        given(ready).when(abort(ALICE, true), at(10_000)).then(new MigrationRejected(ID, DATABASE, ALICE,
                "abort refused: migration is ready, so its target may already serve the application after a cutover:"
                        + " its tables are not dropped; abort without dropTargetTables to remove only the"
                        + " replication, and drop the tables by hand", at(10_000)));
        assertThat(MigrationDecider.rebuild(ready)).isInstanceOf(Ready.class);

        var decision = MigrationDecider.decide(MigrationDecider.rebuild(ready), abort(ALICE, false), at(10_000),
                MigrationFixtures.POLICY);
        assertThat(decision.commands()).containsExactly(new CleanUp(false));
        assertThat(decision.events()).singleElement().isInstanceOfSatisfying(MigrationStopped.class,
                stopped -> assertThat(stopped.operatorAction()).contains("tables are kept")
                        .contains("may serve the application").doesNotContain("abort again with dropTargetTables"));
    }

    @Test
    void aMigrationAbortedOnceReadyNeverHasItsTargetTablesDroppedByALaterAbort() {
        var abortedWhenReady = historyUntil(MigrationStep.LOWER_DNS_TTL, new MigrationReady(at(9_000)),
                new MigrationStopped(MigrationStep.LOWER_DNS_TTL, "aborted by alice: CHG-1", List.of(), "clean up",
                        at(10_000)));
        assertThat(MigrationDecider.rebuild(abortedWhenReady)).isInstanceOfSatisfying(Stopped.class,
                stopped -> assertThat(stopped.wasReady()).isTrue());

        given(abortedWhenReady).when(abort(ALICE, true), at(11_000)).then(new MigrationRejected(ID, DATABASE, ALICE,
                "abort refused: migration was ready before it was stopped, so its target may already serve the"
                        + " application after a cutover: its tables are not dropped; drop them by hand if nothing uses"
                        + " them", at(11_000)));
        given(abortedWhenReady).when(abort(ALICE, false), at(12_000)).then(List.of(), List.of(new CleanUp(false)));
    }

    @Test
    void anOperatorNotAllowedIsRefusedAndTheMigrationGoesOn() {
        var history = historyUntil(MigrationStep.FULL_LOAD);

        Migration after = given(history).when(abort(MALLORY, false), at(9_000)).then(new MigrationRejected(ID, DATABASE,
                MALLORY, "abort refused: operator mallory is not allowed to abort migrations", at(9_000)));

        assertThat(after).isInstanceOfSatisfying(Running.class,
                running -> assertThat(running.step()).isEqualTo(MigrationStep.FULL_LOAD));
    }

    @Test
    void anAbortOfAMigrationThatNeverStartedIsAMistakeUpstream() {
        given(List.of()).when(abort(ALICE, false), at(0)).thenRefusedWith("no migration of that id");
    }
}
