package dev.cutover.cutover.migration;

/**
 * A message or event that does not fit the migration's state. Nothing is silently ignored: the listener sends the
 * message to the dead-letter topic, and this text, which names the state, is what the person on call reads.
 */
public final class InvalidMigrationTransition extends IllegalStateException {

    private static final long serialVersionUID = 1L;

    InvalidMigrationTransition(Migration state, Object input, String why) {
        super("cannot apply " + input + " to migration in state " + state + ": " + why);
    }
}
