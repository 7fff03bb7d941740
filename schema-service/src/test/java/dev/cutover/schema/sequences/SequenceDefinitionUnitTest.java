package dev.cutover.schema.sequences;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class SequenceDefinitionUnitTest {

    private final SequenceDefinition ascending = new SequenceDefinition("public.a", 5, 1, 1_000);
    private final SequenceDefinition descending = new SequenceDefinition("public.d", -1, -100, 100);

    @Test
    void withoutMarginTheTargetGetsExactlyTheSourcesPosition() {
        SequenceState source = new SequenceState("public.a", 42, false);

        assertThat(ascending.onTarget(source, 0)).isEqualTo(source);
    }

    @Test
    void aMarginMovesAnAscendingSequenceUp() {
        assertThat(ascending.onTarget(new SequenceState("public.a", 42, true), 100))
                .isEqualTo(new SequenceState("public.a", 142, true));
    }

    @Test
    void aMarginMovesADescendingSequenceDown() {
        assertThat(descending.onTarget(new SequenceState("public.d", 10, true), 30))
                .isEqualTo(new SequenceState("public.d", -20, true));
    }

    @Test
    void aMarginNeverPushesASequencePastItsBounds() {
        assertThat(ascending.onTarget(new SequenceState("public.a", 990, true), 100).lastValue()).isEqualTo(1_000);
        assertThat(descending.onTarget(new SequenceState("public.d", -90, true), 100).lastValue()).isEqualTo(-100);
        SequenceDefinition huge = new SequenceDefinition("public.h", 1, 1, Long.MAX_VALUE);
        assertThat(huge.onTarget(new SequenceState("public.h", Long.MAX_VALUE - 1, true), Long.MAX_VALUE).lastValue())
                .isEqualTo(Long.MAX_VALUE);
    }

    @Test
    void aSequenceThatCannotMoveIsRefused() {
        assertThatThrownBy(() -> new SequenceDefinition("public.z", 0, 1, 10)).hasMessageContaining("increment");
    }
}
