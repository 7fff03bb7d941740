package dev.cutover.schema.preflight;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import dev.cutover.schema.precreated.Judgement;
import dev.cutover.schema.verify.Difference;

class PreCreatedSchemaUnitTest {

    @Test
    void anEmptyTargetHasNoFinding() {
        assertThat(PreCreatedSchema.findings(Optional.empty(), "shop")).isEmpty();
    }

    @Test
    void aMatchingTargetIsAWarningThatItIsUsedAsItIs() {
        assertThat(PreCreatedSchema.findings(Optional.of(new Judgement(List.of(), 3, List.of())), "shop"))
                .singleElement()
                .satisfies(finding -> {
                    assertThat(finding.severity()).isEqualTo(Severity.WARNING);
                    assertThat(finding.check()).isEqualTo("target_schema");
                    assertThat(finding.message()).contains("created beforehand and matches", "3 index(es)");
                });
    }

    @Test
    void eachDifferenceIsABlockerNamingItsObjectAndRowsAreOneMore() {
        Judgement judgement = new Judgement(List.of(
                new Difference("MISSING_TABLE", "public.lines", "table replica identity d", null),
                new Difference("COLUMN_DIFFERS", "public.orders.total", "position 2 numeric", "position 2 text")), 0,
                List.of("public.orders"));

        assertThat(PreCreatedSchema.findings(Optional.of(judgement), "shop"))
                .extracting(Finding::severity, Finding::check, Finding::object)
                .containsExactly(tuple(Severity.BLOCKER, "target_schema", "public.lines"),
                        tuple(Severity.BLOCKER, "target_schema", "public.orders.total"),
                        tuple(Severity.BLOCKER, "target_rows", "public.orders"));
    }
}
