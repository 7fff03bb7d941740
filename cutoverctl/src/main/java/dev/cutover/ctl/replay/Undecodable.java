package dev.cutover.ctl.replay;

/**
 * A record whose value is no cutover message this version knows (an unknown fingerprint, garbage): it is shown,
 * never dropped in silence and never fatal, because the audit trail must stay readable around it.
 */
public record Undecodable(Position position, String key, String problem) implements LoggedRecord {

    /** The line shown in place of the message. */
    public String describe() {
        return "undecodable record at " + position + (key == null ? "" : " key " + key) + ": " + problem;
    }
}
