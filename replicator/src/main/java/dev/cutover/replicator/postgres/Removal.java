package dev.cutover.replicator.postgres;

/**
 * What was found and done with one replication object that was to be removed. An object is looked up before it is
 * dropped, so a report never claims to drop what was not there.
 */
public enum Removal {
    /** It existed and was dropped. */
    DROPPED,
    /** There was nothing of that name to drop. */
    NOT_PRESENT,
    /** It exists and was left alone: asked to, or it is not cutover's to drop. */
    KEPT
}
