package dev.cutover.cutover.runner;

import java.util.List;

import org.apache.avro.specific.SpecificRecord;

/**
 * Participants that live in this process beside the saga (the fence), handed the commands of a committed decision at
 * once, besides reading them from Kafka: at the switch every application write waits while a command travels from
 * the saga's commit to its participant's consumer, and this one does not have to travel (decision 63). The commands
 * are in the log before they are handed over, so the audit trail and a restart see the same thing; the participant
 * still reads them from Kafka, which stays the way every command reaches it when this way does not.
 */
public interface LocalParticipants {

    /** Nobody in this process. */
    LocalParticipants NONE = new LocalParticipants() {

        @Override
        public void sending(SpecificRecord command) {
        }

        @Override
        public void committed(List<Committed> commands) {
        }

        @Override
        public void aborted(List<SpecificRecord> commands) {
        }
    };

    /**
     * A command is being written in the open transaction: a participant that may take it early says so now, before
     * the commit makes it visible to its consumer, which must then wait for the outcome rather than run it beside.
     */
    void sending(SpecificRecord command);

    /**
     * Called on the saga's loop right after a transaction committed; must return at once and never throw.
     *
     * @param commands what the transaction wrote to {@code cutover.commands}, in order
     */
    void committed(List<Committed> commands);

    /** The transaction that was writing these commands did not commit: nothing is to be taken early. */
    void aborted(List<SpecificRecord> commands);

    /** A command in the log, with the partition of {@code cutover.commands} it was written to. */
    record Committed(SpecificRecord command, int partition) {
    }
}
