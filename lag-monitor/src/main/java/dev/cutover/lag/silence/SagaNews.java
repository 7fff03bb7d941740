package dev.cutover.lag.silence;

import java.time.Instant;
import java.util.Optional;

/** What one message on {@code cutover.events} tells the watchdog about a cutover's saga; mapped from Avro at the edge. */
public sealed interface SagaNews {

    String cutoverId();

    /**
     * One event the saga wrote.
     *
     * @param type      the event's type, e.g. {@code StepStarted}
     * @param messageId its id: a silence after it is one episode
     * @param at        when the saga wrote it
     * @param step      the step it started, for a {@code StepStarted}
     */
    record Word(String type, String messageId, Instant at, Optional<String> step) {
    }

    /** The saga's {@code CutoverStarted}: from here on the cutover is watched. */
    record Started(String cutoverId, String database, Word word) implements SagaNews {
    }

    /** Any other event the saga wrote about the cutover. */
    record Spoke(String cutoverId, Word word) implements SagaNews {
    }

    /** {@code CutoverCompleted}, {@code CutoverRolledBack}, {@code CutoverRejected} or {@code CutoverPlanned}. */
    record Ended(String cutoverId) implements SagaNews {
    }

    /** A {@code SagaSilent} already in the log (this watchdog's or another instance's), for the episode after that word. */
    record Reported(String cutoverId, String lastEventId) implements SagaNews {
    }
}
