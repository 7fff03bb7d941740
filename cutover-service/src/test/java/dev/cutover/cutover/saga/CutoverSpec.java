package dev.cutover.cutover.saga;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/** given(recorded events).when(message, at).then(events, commands): the decider tested without a broker. */
final class CutoverSpec {

    private final List<CutoverEvent> history;
    private final CutoverPolicy policy;

    private CutoverSpec(List<CutoverEvent> history, CutoverPolicy policy) {
        this.history = history;
        this.policy = policy;
    }

    static CutoverSpec given(CutoverEvent... history) {
        return new CutoverSpec(List.of(history), Fixtures.POLICY);
    }

    static CutoverSpec given(List<CutoverEvent> history) {
        return new CutoverSpec(List.copyOf(history), Fixtures.POLICY);
    }

    CutoverSpec with(CutoverPolicy policy) {
        return new CutoverSpec(history, policy);
    }

    When when(CutoverMessage message, Instant now) {
        return new When(message, now);
    }

    final class When {

        private final CutoverMessage message;
        private final Instant now;

        private When(CutoverMessage message, Instant now) {
            this.message = message;
            this.now = now;
        }

        /** Also folds what was decided, so every decision is one the state can record. */
        Cutover then(List<CutoverEvent> events, List<SagaCommand> commands) {
            Decision decision = CutoverDecider.decide(CutoverDecider.rebuild(history), message, now, policy);
            assertThat(decision.events()).as("recorded events").containsExactlyElementsOf(events);
            assertThat(decision.commands()).as("sent commands").containsExactlyElementsOf(commands);
            var all = new ArrayList<>(history);
            all.addAll(decision.events());
            return CutoverDecider.rebuild(all);
        }

        Cutover then(CutoverEvent event, SagaCommand... commands) {
            return then(List.of(event), List.of(commands));
        }

        void thenNothing() {
            then(List.of(), List.of());
        }

        void thenState(Consumer<Cutover> check, List<CutoverEvent> events, List<SagaCommand> commands) {
            check.accept(then(events, commands));
        }

        void thenRefusedWith(String... fragments) {
            Cutover state = CutoverDecider.rebuild(history);
            assertThatThrownBy(() -> CutoverDecider.decide(state, message, now, policy))
                    .isInstanceOf(InvalidTransition.class)
                    .hasMessageContaining(state.toString())
                    .hasMessageContainingAll(fragments);
        }
    }
}
