package dev.cutover.sandbox.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

class FaultMatrixUnitTest {

    @Test
    void theMatrixHoldsAtLeastFortyCasesEachNamedOnce() {
        List<FaultCase> cases = FaultMatrix.cases();

        assertThat(cases).hasSizeGreaterThanOrEqualTo(40);
        assertThat(cases.stream().map(FaultCase::name).distinct()).hasSameSizeAs(cases);
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
        assertThatThrownBy(() -> new FaultCase("x", new Disruption.RestartPostgres(Disruption.Side.SOURCE), Moment.FLIP_DNS,
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
}
