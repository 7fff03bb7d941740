package dev.cutover.console.board;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import dev.cutover.ctl.replay.Timeline;
import dev.cutover.events.StepFailed;
import dev.cutover.events.StepFinished;
import dev.cutover.events.StepStarted;

/**
 * One step of a cutover as a bar on the time axis: from its {@code StepStarted} to its {@code StepFinished}, or to a
 * participant's {@code StepFailed} for it. Offsets count from the cutover's first message.
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
