package dev.cutover.cutover.saga;

/**
 * A message or event that does not fit the cutover's state. Nothing is silently ignored: the listener sends the
 * message to the dead-letter topic, and this text, which names the state, is what the person on call reads.
 */
public final class InvalidTransition extends IllegalStateException {

    private static final long serialVersionUID = 1L;

    InvalidTransition(Cutover state, Object input, String why) {
        super("cannot apply " + input + " to cutover in state " + state + ": " + why);
    }
}
