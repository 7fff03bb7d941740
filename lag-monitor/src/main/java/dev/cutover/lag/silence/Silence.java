package dev.cutover.lag.silence;

import java.time.Duration;
import java.util.Optional;

import dev.cutover.lag.silence.SagaNews.Word;

/**
 * A cutover under way whose saga has said nothing for longer than the bound.
 *
 * @param lastWord  the saga's last event before the silence
 * @param lastStep  the step the saga started last, if it started any
 * @param silentFor how long it has been silent
 * @param bound     how long it may be silent
 */
public record Silence(String cutoverId, String database, Word lastWord, Optional<String> lastStep, Duration silentFor,
        Duration bound) {

    /** What the operator must do, for a person to read. */
    public String action(String sagaService) {
        return sagaService + " has written nothing about cutover " + cutoverId + " for " + silentFor.toSeconds()
                + " s (the bound is " + bound.toSeconds() + " s, above every step's timeout); its last event was "
                + lastWord.type() + lastStep.map(step -> " (step " + step + ")").orElse("") + " at " + lastWord.at()
                + ": no instance of " + sagaService + " is acting on the cutover, and where it stopped the application"
                + " may be locked out of both servers. Start " + sagaService + " (or check that it runs and reaches"
                + " Kafka): it recovers the saga from cutover.events and carries on, forward or back, on its own.";
    }
}
