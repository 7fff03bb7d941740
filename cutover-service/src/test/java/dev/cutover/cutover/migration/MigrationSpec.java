package dev.cutover.cutover.migration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** given(recorded events).when(message, at).then(events, commands): the migration decider tested without a broker. */
final class MigrationSpec {

    private final List<MigrationEvent> history;
    private final MigrationPolicy policy;

    private MigrationSpec(List<MigrationEvent> history, MigrationPolicy policy) {
        this.history = history;
        this.policy = policy;
    }

    static MigrationSpec given(MigrationEvent... history) {
        return new MigrationSpec(List.of(history), MigrationFixtures.POLICY);
    }

    static MigrationSpec given(List<MigrationEvent> history) {
        return new MigrationSpec(List.copyOf(history), MigrationFixtures.POLICY);
    }

    When when(MigrationMessage message, Instant now) {
        return new When(message, now);
    }

    final class When {

        private final MigrationMessage message;
        private final Instant now;

        private When(MigrationMessage message, Instant now) {
            this.message = message;
            this.now = now;
        }

        /** Also folds what was decided, so every decision is one the state can record; returns the state after it. */
        Migration then(List<MigrationEvent> events, List<MigrationCommand> commands) {
            MigrationDecision decision = MigrationDecider.decide(MigrationDecider.rebuild(history), message, now, policy);
            assertThat(decision.events()).as("recorded events").containsExactlyElementsOf(events);
            assertThat(decision.commands()).as("sent commands").containsExactlyElementsOf(commands);
            var all = new ArrayList<>(history);
            all.addAll(decision.events());
            return MigrationDecider.rebuild(all);
        }

        Migration then(MigrationEvent event, MigrationCommand... commands) {
            return then(List.of(event), List.of(commands));
        }

        void thenNothing() {
            then(List.of(), List.of());
        }

        void thenRefusedWith(String... fragments) {
            Migration state = MigrationDecider.rebuild(history);
            assertThatThrownBy(() -> MigrationDecider.decide(state, message, now, policy))
                    .isInstanceOf(InvalidMigrationTransition.class)
                    .hasMessageContaining(state.toString())
                    .hasMessageContainingAll(fragments);
        }
    }
}
