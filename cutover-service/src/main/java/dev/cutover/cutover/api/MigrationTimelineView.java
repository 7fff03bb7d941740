package dev.cutover.cutover.api;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import dev.cutover.cutover.migration.Migration;
import dev.cutover.cutover.migration.MigrationProgress;
import dev.cutover.cutover.migration.MigrationStep;

/**
 * What {@code GET /migrations/{id}/timeline} shows: every step the saga began, when it began and how long it took,
 * as offsets from the migration's start. Every message, the participants' included, is {@code cutoverctl timeline}'s.
 *
 * @param status as in {@code GET /migrations/{id}}
 */
record MigrationTimelineView(String migrationId, String database, Instant startedAt, String status,
        List<StepView> steps) {

    /**
     * One step.
     *
     * @param startMs    from the migration's start to the step's
     * @param durationMs how long it took, or has taken so far while {@code inFlight}; null for the step a migration
     *                   stopped at, whose end the saga does not record
     */
    record StepView(String step, long startMs, Long durationMs, boolean inFlight) {
    }

    static MigrationTimelineView of(String migrationId, Migration state, Instant now) {
        MigrationView view = MigrationView.of(migrationId, state);
        Optional<MigrationProgress> progress = switch (state) {
            case Migration.Running s -> Optional.of(s.progress());
            case Migration.AwaitingRetry s -> Optional.of(s.progress());
            case Migration.Ready s -> Optional.of(s.progress());
            case Migration.Planned s -> Optional.of(s.progress());
            case Migration.Stopped s -> Optional.of(s.progress());
            case Migration.NotStarted s -> Optional.empty();
            case Migration.Rejected s -> Optional.empty();
        };
        if (progress.isEmpty()) {
            return new MigrationTimelineView(migrationId, view.database(), null, view.status(), List.of());
        }
        Instant startedAt = progress.get().started().startedAt();
        Instant lastEnd = switch (state) {
            case Migration.Running s -> now;
            case Migration.AwaitingRetry s -> now;
            case Migration.Ready s -> s.readyAt();
            case Migration.Planned s -> s.plannedAt();
            default -> null;
        };
        List<Map.Entry<MigrationStep, Instant>> starts = List.copyOf(progress.get().stepStarts().entrySet());
        List<StepView> steps = new ArrayList<>();
        for (int i = 0; i < starts.size(); i++) {
            Instant start = starts.get(i).getValue();
            boolean last = i == starts.size() - 1;
            Instant end = last ? lastEnd : starts.get(i + 1).getValue();
            steps.add(new StepView(starts.get(i).getKey().name(), millis(startedAt, start),
                    end == null ? null : millis(start, end), last && lastEnd == now));
        }
        return new MigrationTimelineView(migrationId, view.database(), startedAt, view.status(), steps);
    }

    private static long millis(Instant from, Instant to) {
        return Math.max(0, Duration.between(from, to).toMillis());
    }
}
