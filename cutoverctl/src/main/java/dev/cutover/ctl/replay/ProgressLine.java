package dev.cutover.ctl.replay;

import java.time.Duration;
import java.time.Instant;

import dev.cutover.events.AbortCutover;
import dev.cutover.events.AbortMigration;
import dev.cutover.events.StartCutover;
import dev.cutover.events.StartMigration;

/**
 * One line of {@code watch}: the time since the cutover or migration began, the type and what it says, e.g.
 * {@code +0.146s  TrafficStopped      fence LSN 0/1A2B3C8, 8 sessions ended}.
 */
public final class ProgressLine {

    private ProgressLine() {
    }

    /**
     * Events show progress; of the commands only the operator's own are worth a line, the saga's commands to
     * participants would double every step.
     */
    public static boolean shows(LoggedRecord record) {
        return switch (record) {
            case Undecodable undecodable -> true;
            case Decoded decoded -> decoded.isEvent()
                    || decoded.message() instanceof StartCutover
                    || decoded.message() instanceof AbortCutover
                    || decoded.message() instanceof StartMigration
                    || decoded.message() instanceof AbortMigration;
        };
    }

    public static String format(Instant start, LoggedRecord record) {
        return switch (record) {
            case Undecodable undecodable -> "          " + undecodable.describe();
            case Decoded decoded -> format(Duration.between(start, decoded.occurredAt()), decoded.type(),
                    Summaries.of(decoded.message()));
        };
    }

    public static String format(Duration sinceStart, String type, String summary) {
        return String.format("%-9s %-20s %s", Times.offset(sinceStart), type, summary).stripTrailing();
    }
}
