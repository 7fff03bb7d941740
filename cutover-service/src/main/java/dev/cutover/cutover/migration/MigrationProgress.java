package dev.cutover.cutover.migration;

import dev.cutover.cutover.migration.MigrationEvent.MigrationPlanReported;
import dev.cutover.cutover.migration.MigrationEvent.MigrationStarted;
import java.time.Instant;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What a started migration has done so far: what was asked and when each step first began. Steps only run forward,
 * so a step in {@code stepStarts} other than the current one has finished.
 *
 * @param planReport a dry run's answer, once reported
 */
public record MigrationProgress(MigrationStarted started, Map<MigrationStep, Instant> stepStarts,
                                Optional<MigrationPlanReported> planReport) {

    public MigrationProgress {
        Objects.requireNonNull(started, "started must not be null");
        stepStarts = Collections.unmodifiableMap(new EnumMap<>(stepStarts));
        if (stepStarts.isEmpty()) {
            throw new IllegalArgumentException("a started migration has begun at least its preflight");
        }
        Objects.requireNonNull(planReport, "planReport must not be null");
    }

    public MigrationProgress(MigrationStarted started, Map<MigrationStep, Instant> stepStarts) {
        this(started, stepStarts, Optional.empty());
    }

    static MigrationProgress of(MigrationStarted started) {
        return new MigrationProgress(started, Map.of(MigrationStep.PREFLIGHT, started.startedAt()));
    }

    MigrationProgress withPlanReport(MigrationPlanReported report) {
        return new MigrationProgress(started, stepStarts, Optional.of(report));
    }

    public MigrationPlan plan() {
        return started.plan();
    }

    public boolean reached(MigrationStep step) {
        return stepStarts.containsKey(step);
    }

    /** A retried step keeps its first start: the step's duration covers every attempt. */
    MigrationProgress withStep(MigrationStep step, Instant startedAt) {
        var starts = new EnumMap<>(stepStarts);
        starts.putIfAbsent(step, startedAt);
        return new MigrationProgress(started, starts, planReport);
    }
}
