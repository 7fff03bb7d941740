package dev.cutover.platform;

import java.time.Duration;
import java.time.Instant;

import org.apache.avro.specific.SpecificRecord;

import dev.cutover.events.Metadata;

/**
 * How old a switch command may be when a participant takes it. A command older than that has been overtaken: the saga
 * gave it up at its step's deadline and went on (rolled back, or sent it again), and carried out now, by a participant
 * that was down or paused when it was sent, it would undo that. Commands on the way back are never checked: they only
 * ever make fewer clients able to write in two places.
 *
 * @param after   the age past which a command is refused (its settings record checks it is positive)
 * @param setting the setting that says so, named in the refusal
 */
public record Overtaken(Duration after, String setting) {

    /**
     * Refuses {@code command} if it is older than {@link #after} at {@code now}.
     *
     * @param leftAlone what was not changed, for the refusal ("nothing was changed", "the name was left alone")
     * @param hint      what to look at if this participant was down or paused
     * @throws StepFailure, not retryable, naming the command, its age and the setting
     */
    public void refuseIfOlder(SpecificRecord command, Instant now, String leftAlone, String hint) {
        Metadata metadata = MessagePublisher.metadataOf(command);
        Duration age = Duration.between(metadata.getOccurredAt(), now);
        if (age.compareTo(after) > 0) {
            throw new StepFailure(command.getSchema().getName() + " of " + metadata.getCutoverId() + " was issued "
                    + age.toSeconds() + " s ago (at " + metadata.getOccurredAt() + " by " + metadata.getProducer()
                    + ", now " + now + " here), more than " + setting + " (" + after.toSeconds() + " s): the saga has"
                    + " given it up and gone on, so it is not carried out and " + leftAlone + "; " + hint + ", or the"
                    + " two hosts' clocks differ", false);
        }
    }
}
