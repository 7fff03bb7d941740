package dev.cutover.console.board;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import dev.cutover.ctl.replay.Timeline;
import dev.cutover.events.MigrationDataMismatched;
import dev.cutover.events.MigrationStepRetrying;
import dev.cutover.events.MigrationPlanReported;
import dev.cutover.events.MigrationPlanned;
import dev.cutover.events.MigrationReady;
import dev.cutover.events.MigrationStepStarted;
import dev.cutover.events.MigrationStopped;
import dev.cutover.events.StepFailed;
import dev.cutover.events.StepFinished;
import dev.cutover.events.StepStarted;

/**
 * One step of a cutover or a migration as a bar on the time axis: a cutover's from its {@code StepStarted} to its
 * {@code StepFinished}, or to a participant's {@code StepFailed} for it; a migration's from the saga's
 * {@code MigrationStepStarted} to the next step's, or to the migration's end. Offsets count from the first message.
 *
 * @param endOffsetMs null while the step runs
 */
public record StepBar(String step, long startOffsetMs, Long endOffsetMs, State state) {

    public enum State { RUNNING, DONE, FAILED }

    /**
     * The bars of a timeline in the order the steps started. The saga names a step {@code STOP_TRAFFIC}, a
     * participant's {@code StepFailed} names it {@code StopTraffic}: both are matched by their letters.
     */
    public static List<StepBar> of(Timeline timeline) {
        var bars = new ArrayList<StepBar>();
        for (var entry : timeline.entries()) {
            long at = entry.offset().toMillis();
            switch (entry.record().message()) {
                case StepStarted started when open(bars, started.getStep()) < 0 ->
                        bars.add(new StepBar(started.getStep(), at, null, State.RUNNING));
                case StepFinished finished -> close(bars, finished.getStep(), at, State.DONE);
                case StepFailed failed -> close(bars, failed.getStep(), at, State.FAILED);
                default -> {
                }
            }
        }
        return List.copyOf(bars);
    }

    /**
     * The bars of a migration's timeline. Its steps run one after the other and the saga says only when each begins,
     * so a step ends where the next begins: done, or failed where the migration stopped in it, a data verification
     * found differences or a full load failed to be tried again (the next attempt is a bar of its own). The preflight begins with {@code MigrationPlanned}.
     */
    public static List<StepBar> ofMigration(Timeline timeline) {
        var bars = new ArrayList<StepBar>();
        for (var entry : timeline.entries()) {
            long at = entry.offset().toMillis();
            switch (entry.record().message()) {
                case MigrationPlanned planned -> begin(bars, "PREFLIGHT", at);
                case MigrationStepStarted started -> begin(bars, started.getAttempt() > 1
                        ? started.getStep() + " (attempt " + started.getAttempt() + ")" : started.getStep(), at);
                case MigrationDataMismatched mismatched -> closeRunning(bars, at, State.FAILED);
                case MigrationStepRetrying retrying -> closeRunning(bars, at, State.FAILED);
                case MigrationStopped stopped -> closeRunning(bars, at, State.FAILED);
                case MigrationReady ready -> closeRunning(bars, at, State.DONE);
                case MigrationPlanReported reported when reported.getBlockers() == 0 ->
                        closeRunning(bars, at, State.DONE);
                default -> {
                }
            }
        }
        return List.copyOf(bars);
    }

    /** A step begun again under the same name (a redelivered start) is the bar already running. */
    private static void begin(List<StepBar> bars, String step, long at) {
        if (!bars.isEmpty() && bars.getLast().state() == State.RUNNING && bars.getLast().step().equals(step)) {
            return;
        }
        closeRunning(bars, at, State.DONE);
        bars.add(new StepBar(step, at, null, State.RUNNING));
    }

    private static void closeRunning(List<StepBar> bars, long at, State state) {
        if (!bars.isEmpty() && bars.getLast().state() == State.RUNNING) {
            var bar = bars.getLast();
            bars.set(bars.size() - 1, new StepBar(bar.step(), bar.startOffsetMs(), at, state));
        }
    }

    private static void close(List<StepBar> bars, String step, long at, State state) {
        int index = open(bars, step);
        if (index >= 0) {
            var bar = bars.get(index);
            bars.set(index, new StepBar(bar.step(), bar.startOffsetMs(), at, state));
        }
    }

    private static int open(List<StepBar> bars, String step) {
        var letters = letters(step);
        for (int i = bars.size() - 1; i >= 0; i--) {
            if (bars.get(i).state() == State.RUNNING && letters(bars.get(i).step()).equals(letters)) {
                return i;
            }
        }
        return -1;
    }

    private static String letters(String step) {
        return step.replaceAll("[^A-Za-z0-9]", "").toLowerCase(Locale.ROOT);
    }
}
