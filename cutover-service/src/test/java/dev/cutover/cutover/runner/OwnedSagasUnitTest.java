package dev.cutover.cutover.runner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.junit.jupiter.api.Test;

import dev.cutover.cutover.saga.DatabaseName;

class OwnedSagasUnitTest {

    static final DatabaseName ORDERS = new DatabaseName("orders");
    static final Instant NOW = Instant.parse("2026-11-25T10:00:00Z");

    /** A saga's state here is its deadline, or null when it has none (it ended). */
    final OwnedSagas<String, Instant> sagas = new OwnedSagas<>();

    @Test
    void adoptedPartitionsBringTheirSagasAndReleasedOnesTakeThemAway() {
        sagas.adopt(Set.of(0, 1), Map.of("a", saga(NOW, 0), "b", saga(NOW, 1)));

        sagas.release(Set.of(1));

        assertThat(sagas.partitions()).containsExactly(0);
        assertThat(sagas.get("a")).isPresent();
        assertThat(sagas.get("b")).isEmpty();
        assertThat(sagas.owns(1)).isFalse();
    }

    @Test
    void aSagaOnAPartitionNotOwnedIsNeitherAdoptedNorRecorded() {
        sagas.adopt(Set.of(0), Map.of());

        assertThatThrownBy(() -> sagas.adopt(Set.of(1), Map.of("a", saga(NOW, 2))))
                .hasMessageContaining("saga a is on partition 2, not on one of [1]");
        assertThatThrownBy(() -> sagas.put("b", saga(NOW, 2)))
                .hasMessageContaining("partition 2, which this instance does not own");
        assertThatThrownBy(() -> sagas.requireOwned(2, "StartCutover 42"))
                .hasMessageContaining("StartCutover 42 came from partition 2")
                .hasMessageContaining("not read back");
        sagas.requireOwned(0, "StartCutover 43");
    }

    @Test
    void onlySagasWhoseDeadlineHasPassedAreDue() {
        sagas.adopt(Set.of(0), Map.of("late", saga(NOW.minusMillis(1), 0), "now", saga(NOW, 0),
                "early", saga(NOW.plusMillis(1), 0), "ended", saga(null, 0)));

        assertThat(sagas.due(NOW, (deadline, database) -> Optional.ofNullable(deadline)))
                .extracting(Map.Entry::getKey).containsExactlyInAnyOrder("late", "now");
    }

    @Test
    void theActiveSagasOfADatabaseLeaveOutEndedOnesAndTheOneAsking() {
        sagas.adopt(Set.of(0), Map.of("running", saga(NOW, 0), "ended", saga(null, 0),
                "elsewhere", new SagaEntry<>(NOW, new DatabaseName("billing"), 0)));

        assertThat(sagas.active(ORDERS, "other", deadline -> deadline != null)).contains("running");
        assertThat(sagas.active(ORDERS, "running", deadline -> deadline != null)).isEmpty();
        assertThat(sagas.activeOf(ORDERS, deadline -> deadline != null)).extracting(Map.Entry::getKey)
                .containsExactly("running");
    }

    private static SagaEntry<Instant> saga(Instant deadline, int partition) {
        return new SagaEntry<>(deadline, ORDERS, partition);
    }
}
