package dev.cutover.cutover.runner;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

import dev.cutover.cutover.saga.DatabaseName;

class SagaFoldUnitTest {

    static final DatabaseName ORDERS = new DatabaseName("orders");
    static final DatabaseName BILLING = new DatabaseName("billing");

    /** A saga whose state is the list of its events; "done" ends it, "refused" is an event the decider rejects. */
    final SagaFold<String, List<String>, String> fold = new SagaFold<>(List.of(), (state, event) -> {
        if (event.equals("refused")) {
            throw new IllegalStateException("refused does not fit " + state);
        }
        List<String> next = new ArrayList<>(state);
        next.add(event);
        return List.copyOf(next);
    }, state -> !state.contains("done"));

    @Test
    void aSagaIsItsEventsFoldedInLogOrderOnThePartitionOfItsLatestEvent() {
        fold.apply("a", ORDERS, 1, "started");
        fold.apply("a", ORDERS, 1, "stepped");
        fold.apply("a", BILLING, 2, "done");

        assertThat(fold.state("a")).contains(List.of("started", "stepped", "done"));
        assertThat(fold.in(Set.of(2))).containsOnlyKeys("a");
        assertThat(fold.in(Set.of(2)).get("a").database()).isEqualTo(ORDERS);
        assertThat(fold.state("never")).isEmpty();
    }

    @Test
    void onlyTheSagasOnTheAskedPartitionsAreHandedOver() {
        fold.apply("a", ORDERS, 0, "started");
        fold.apply("b", BILLING, 1, "started");
        fold.apply("c", BILLING, 2, "started");

        assertThat(fold.in(Set.of(0, 2))).containsOnlyKeys("a", "c");
        assertThat(fold.in(Set.of())).isEmpty();
    }

    @Test
    void aSagaWhoseHistoryTheDeciderRefusesIsSetAsideAndItsLaterEventsAreIgnored() {
        fold.apply("a", ORDERS, 0, "started");

        assertThat(fold.apply("a", ORDERS, 0, "refused")).hasValueSatisfying(reason -> assertThat(reason)
                .contains("refused does not fit [started]"));
        assertThat(fold.apply("a", ORDERS, 0, "stepped")).isEmpty();
        assertThat(fold.state("a")).isEmpty();
        assertThat(fold.in(Set.of(0))).isEmpty();
    }

    @Test
    void anActiveSagaElsewhereIsOneOfTheDatabaseOnAPartitionNotOwnedOtherThanTheOneAsking() {
        fold.apply("asking", ORDERS, 0, "started");
        fold.apply("owned", ORDERS, 1, "started");
        fold.apply("finished", ORDERS, 2, "done");
        fold.apply("other-database", BILLING, 2, "started");

        assertThat(fold.active(ORDERS, "asking", Set.of(1))).isEmpty();
        assertThat(fold.active(ORDERS, "asking", Set.of())).contains("owned");
        fold.apply("running", ORDERS, 2, "started");
        assertThat(fold.active(ORDERS, "asking", Set.of(1))).contains("running");
    }
}
