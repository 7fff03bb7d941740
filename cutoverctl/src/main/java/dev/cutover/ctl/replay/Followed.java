package dev.cutover.ctl.replay;

import java.time.Instant;
import java.util.List;

/**
 * What {@code watch} folds as records arrive, for a cutover or a migration alike: whether it has ended, how, and
 * what to print for each record and at the end.
 */
public interface Followed<S extends Followed<S>> {

    /** {@code cutover} or {@code migration}, as the tool's output names it. */
    String noun();

    String id();

    /** The command that shows it once, to check an id with, e.g. {@code cutoverctl status --cutover ID}. */
    String statusCommand();

    S with(LoggedRecord record);

    Outcome outcome();

    boolean found();

    /** The last line of {@code watch}: how it ended, after how long, and why when it failed. */
    String ending(Instant now);

    /** What {@code watch} prints once it has ended, before its last line: a migration's dry run prints its plan. */
    default List<String> report() {
        return List.of();
    }

    /** The line {@code watch} prints for a record it shows, timed from {@code start}. */
    default String line(Instant start, LoggedRecord record) {
        return ProgressLine.format(start, record);
    }
}
