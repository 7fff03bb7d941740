package dev.cutover.ctl.replay;

/** One record read from a cutover topic: a message the tool could decode, or one it could not. */
public sealed interface LoggedRecord permits Decoded, Undecodable {

    Position position();

    /** The record key as text; null for a record without one. */
    String key();
}
