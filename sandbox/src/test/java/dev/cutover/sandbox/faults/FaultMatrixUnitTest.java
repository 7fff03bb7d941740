package dev.cutover.sandbox.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

import dev.cutover.cutover.migration.MigrationPolicy;
import dev.cutover.cutover.saga.CutoverPolicy;
import dev.cutover.cutover.saga.Step;
import dev.cutover.lag.silence.SagaSilenceSettings;
import dev.cutover.sandbox.report.CutoverResult;

class FaultMatrixUnitTest {

    @Test
    void theMatrixHoldsAtLeastFortyCasesEachNamedOnce() {
        List<FaultCase> cases = FaultMatrix.cases();

        assertThat(cases).hasSizeGreaterThanOrEqualTo(40);
        assertThat(cases.stream().map(FaultCase::name).distinct()).hasSameSizeAs(cases);
    }

    @Test
    void everyStepOfTheMigrationHasItsParticipantKilledAndEveryMigrationCaseExpectsTheMigrationToComeThrough() {
        List<FaultCase> migration = FaultMatrix.cases().stream().filter(c -> c.moment().duringMigration()).toList();

        assertThat(migration.stream().filter(c -> c.disruption() instanceof Disruption.KillProcess)
                .map(FaultCase::moment).collect(Collectors.toSet()))
                .containsExactlyInAnyOrder(Arrays.stream(Moment.values()).filter(Moment::duringMigration)
                        .toArray(Moment[]::new));
        assertThat(migration).extracting(FaultCase::expected).containsOnly(Outcome.COMPLETES);
        assertThat(FaultMatrix.named(List.of("kill-replicator-restarted-at-full-load",
                "cut-off-source-20s-at-full-load"))).hasSize(2);
    }

    @Test
    void noMigrationStepTimesOutBeforeAParticipantKilledAndStartedAgainGetsItsCommandBack() {
        Duration session = Duration.ofSeconds(45);
        assertThat(MigrationPolicy.defaultTimeouts().values())
                .allSatisfy(timeout -> assertThat(timeout).isGreaterThan(session.plus(FaultMatrix.CUT_OFF)));
    }

    @Test
    void theCiSubsetTakesAtLeastOneCaseOfEveryKindOfFault() {
        Set<String> kinds = FaultMatrix.cases().stream().map(c -> c.disruption().kind()).collect(Collectors.toSet());

        List<FaultCase> subset = FaultMatrix.ciSubset();

        assertThat(subset).hasSizeGreaterThanOrEqualTo(8);
        assertThat(subset.stream().map(c -> c.disruption().kind()).collect(Collectors.toSet())).isEqualTo(kinds);
    }

    @Test
    void pastThePointOfNoReturnNoCaseExpectsARollback() {
        assertThat(FaultMatrix.cases()).filteredOn(c -> c.moment().pastNoReturn())
                .extracting(FaultCase::expected).doesNotContain(Outcome.ROLLS_BACK);
    }

    @Test
    void aCaseCannotExpectAnOutcomeThatOnlyHappens() {
        assertThatThrownBy(() -> new FaultCase("x", new Disruption.RestartPostgres(Disruption.Side.SOURCE, Duration.ofSeconds(15)), Moment.FLIP_DNS,
                Outcome.NO_END, "because")).hasMessageContaining("completes, rolls_back or stops");
    }

    @Test
    void anUnknownCaseNameListsTheCases() {
        assertThatThrownBy(() -> FaultMatrix.named(List.of("kill-everything")))
                .hasMessageContaining("no case 'kill-everything'").hasMessageContaining("restart-source-at-flip-dns");
    }

    @Test
    void theJsonLineNamesEveryFieldOfEveryCase() {
        List<CaseResult> results = List.of(
                new CaseResult("a", Outcome.COMPLETES, Outcome.COMPLETES, 0L, 0L, 1234L, 0, null),
                new CaseResult("b", Outcome.STOPS, Outcome.NO_END, null, null, null, 2, "no end"));

        assertThat(MatrixRun.json(results)).isEqualTo("{\"cases\":["
                + "{\"name\":\"a\",\"expected\":\"completes\",\"actual\":\"completes\",\"lostWrites\":0,\"writesAfterFence\":0,\"convergeMs\":1234,\"deadLetters\":0},"
                + "{\"name\":\"b\",\"expected\":\"stops\",\"actual\":\"no_end\",\"lostWrites\":null,\"writesAfterFence\":null,\"convergeMs\":null,\"deadLetters\":2}]}");
        assertThat(MatrixRun.table(results)).contains("| `b` | stops | no_end **(differs)** | - | - | - | 2 |")
                .contains("1 of 2 cases as expected");
    }

    @Test
    void aCutoverThatEndsIsJudgedByItsEndEvenAfterANotice() {
        assertThat(new CaseEnding(true, "CutoverCompleted", true, null).outcome(true)).isEqualTo(Outcome.COMPLETES);
        assertThat(new CaseEnding(true, "CutoverRolledBack", false, CaseEnding.SAGA_SILENT).outcome(true))
                .isEqualTo(Outcome.ROLLS_BACK);
        assertThat(new CaseEnding(true, "CutoverRejected", false, null).outcome(true)).isEqualTo(Outcome.REJECTED);
        assertThat(new CaseEnding(true, "CutoverRolledBack", false, CaseEnding.SAGA_SILENT).result())
                .isEqualTo(CutoverResult.ROLLED_BACK);
    }

    @Test
    void aSagaReportedSilentStopsTheCaseAndItsRowsAreCheckedWhereTheyWereLastAcknowledged() {
        CaseEnding silent = new CaseEnding(true, null, false, CaseEnding.SAGA_SILENT);

        assertThat(silent.outcome(true)).isEqualTo(Outcome.STOPS);
        assertThat(silent.result()).isEqualTo(CutoverResult.FAILED);
    }

    @Test
    void aTidyUpNobodyAnswersStopsTheCaseWhileTheTargetMustServe() {
        CaseEnding tidyUp = new CaseEnding(true, null, true, CaseEnding.TIDY_UP_UNANSWERED);

        assertThat(tidyUp.outcome(true)).isEqualTo(Outcome.STOPS);
        assertThat(tidyUp.result()).isEqualTo(CutoverResult.COMPLETED);
    }

    @Test
    void withoutAnEndOrANoticeTheCaseHasNoEndAndWithoutTheFaultNothingWasInjected() {
        assertThat(new CaseEnding(true, null, true, null).outcome(true)).isEqualTo(Outcome.NO_END);
        assertThat(new CaseEnding(false, null, false, null).outcome(false)).isEqualTo(Outcome.NOT_INJECTED);
        assertThat(new CaseEnding(true, null, false, CaseEnding.SAGA_SILENT).outcome(false)).isEqualTo(Outcome.FAILED);
    }

    @Test
    void everyCaseThatExpectsAStopLeftAServiceDeadAndOnlyTidyUpServicesLeaveTheTargetServing() {
        assertThat(FaultMatrix.cases()).filteredOn(c -> c.expected() == Outcome.STOPS).extracting(FaultCase::name)
                .containsExactlyInAnyOrder("kill-cutover-service-left-dead-at-stop-traffic",
                        "kill-dns-switcher-left-dead-at-stop-traffic", "kill-replicator-left-dead-at-stop-traffic");
        assertThat(FaultMatrix.named(List.of("kill-dns-switcher-left-dead-at-stop-traffic")).getFirst().why())
                .contains("the target serves", "StepFailureNoted(TIDY_UP)");
        assertThat(FaultMatrix.named(List.of("kill-cutover-service-left-dead-at-stop-traffic")).getFirst().why())
                .contains("SagaSilent");
    }

    @Test
    void aCaseWaitsLongerForANoticeThanEitherNoticeTakesByDefault() {
        Duration tidyUpNotice = Step.TIDY_UP.defaultTimeout().multipliedBy(CutoverPolicy.DEFAULT_TIDY_UP_ATTEMPTS);
        Duration silentSaga = Duration.ofSeconds(SagaSilenceSettings.DEFAULT_AFTER_SECONDS);

        assertThat(MatrixBench.NOTICE_WAIT).isGreaterThan(tidyUpNotice).isGreaterThan(silentSaga);
    }
}
