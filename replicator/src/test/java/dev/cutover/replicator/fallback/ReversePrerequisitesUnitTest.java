package dev.cutover.replicator.fallback;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ReversePrerequisitesUnitTest {

    @Test
    void aSeventeenTargetPublishesToAnElevenSource() {
        assertThat(new ReversePrerequisites(110022, 170011, "logical", false, 3, 2).problems()).isEmpty();
    }

    @Test
    void aTenSourceCannotFollowItsTargetAndTheMessageSaysHowToCutOverWithoutAFallback() {
        assertThat(new ReversePrerequisites(100023, 170011, "logical", false, 3, 2).problems()).singleElement()
                .asString().contains("PostgreSQL 10", "fallback.prepare off");
    }

    @Test
    void aTargetThatCannotPublishOrHasNoRoomIsToldWhatToRaise() {
        assertThat(new ReversePrerequisites(110022, 170011, "replica", false, 0, 0).problems())
                .hasSize(3)
                .anySatisfy(problem -> assertThat(problem).contains("wal_level = logical"))
                .anySatisfy(problem -> assertThat(problem).contains("max_replication_slots"))
                .anySatisfy(problem -> assertThat(problem).contains("max_wal_senders"));
    }

    @Test
    void aSlotAnEarlierPreflightMadeNeedsNoFreeOne() {
        assertThat(new ReversePrerequisites(110022, 170011, "logical", true, 0, 1).problems()).isEmpty();
    }
}
