package dev.cutover.ctl;

import java.util.List;

/** One sub-command of {@code cutoverctl}. */
interface Command {

    String name();

    /** One line for the tool's overview. */
    String summary();

    /** The lines of {@code --help} between the synopsis and the options: what it does, what it exits with. */
    List<String> description();

    List<Option> options();

    /** Runs with arguments already checked against {@link #options()}; returns the exit code. */
    int run(Arguments arguments, Session session);
}
