package dev.cutover.cutover.api;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import dev.cutover.cutover.saga.Cutover;
import dev.cutover.cutover.saga.Progress;

/**
 * What {@code GET /cutovers/{id}/timeline} shows: every step the saga began, when it began and ended as offsets from
 * the operator's start, and the downtime, as folded from the saga's events. Every message of the cutover, the
 * participants' answers included, is {@code cutoverctl timeline}'s job; this is the saga's own account, for dashboards.
 *
 * @param status     as in {@code GET /cutovers/{id}}
 * @param downtimeMs the downtime in the end, or so far while the switch runs; null before the switch began
 */
record CutoverTimelineView(String cutoverId, String database, Instant startedAt, String status, List<StepView> steps,
        Long downtimeMs) {

    /**
     * One step.
     *
     * @param startMs    from the cutover's start to the step's
     * @param durationMs how long it took, or has taken so far while {@code inFlight}
     */
    record StepView(String step, long startMs, long durationMs, boolean inFlight) {
    }

    static CutoverTimelineView of(String cutoverId, Cutover state, Instant now) {
        CutoverView view = CutoverView.of(cutoverId, state);
        Progress progress = state.progressSoFar().orElse(null);
        if (progress == null) {
            return new CutoverTimelineView(cutoverId, view.database(), view.startedAt(), view.status(), List.of(),
                    null);
        }
        Instant startedAt = progress.started().startedAt();
        boolean running = state instanceof Cutover.Running;
        var durations = progress.durations(now);
        List<StepView> steps = progress.stepStarts().entrySet().stream()
                .map(start -> new StepView(start.getKey().name(), millis(startedAt, start.getValue()),
                        durations.get(start.getKey()).toMillis(),
                        running && progress.inFlight().contains(start.getKey())))
                .toList();
        Long downtime = view.downtimeMs() != null || !running ? view.downtimeMs()
                : progress.switchStartedAt().map(from -> millis(from, now)).orElse(null);
        return new CutoverTimelineView(cutoverId, view.database(), startedAt, view.status(), steps, downtime);
    }

    private static long millis(Instant from, Instant to) {
        return Math.max(0, Duration.between(from, to).toMillis());
    }
}
