package dev.cutover.cutover.migration;

import dev.cutover.cutover.migration.MigrationEvent.MigrationPlanReported;
import dev.cutover.cutover.migration.MigrationEvent.MigrationStarted;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What a started migration has done so far: what was asked and when each step first began. Steps only run forward,
 * so a step in {@code stepStarts} other than the current one has finished.
 *
 * @param planReport   a dry run's answer, once reported
 * @param tablesToSync the tables a resumed load left to the subscription's table synchronisation, which streaming
 *                     copies; empty for a load that copied everything
 */
public record MigrationProgress(MigrationStarted started, Map<MigrationStep, Instant> stepStarts,
                                Optional<MigrationPlanReported> planReport, List<String> tablesToSync) {

    public MigrationProgress {
        Objects.requireNonNull(started, "started must not be null");
        stepStarts = Collections.unmodifiableMap(new EnumMap<>(stepStarts));
        if (stepStarts.isEmpty()) {
            throw new IllegalArgumentException("a started migration has begun at least its preflight");
        }
        Objects.requireNonNull(planReport, "planReport must not be null");
        tablesToSync = List.copyOf(tablesToSync);
    }

    public MigrationProgress(MigrationStarted started, Map<MigrationStep, Instant> stepStarts) {
        this(started, stepStarts, Optional.empty(), List.of());
    }

    static MigrationProgress of(MigrationStarted started) {
        return new MigrationProgress(started, Map.of(MigrationStep.PREFLIGHT, started.startedAt()));
    }

    MigrationProgress withPlanReport(MigrationPlanReported report) {
        return new MigrationProgress(started, stepStarts, Optional.of(report), tablesToSync);
    }

    public MigrationPlan plan() {
        return started.plan();
    }

    public boolean reached(MigrationStep step) {
        return stepStarts.containsKey(step);
    }

    /** A retried step keeps its first start: the step's duration covers every attempt. */
    MigrationProgress withStep(MigrationStep step, Instant startedAt, List<String> stepTablesToSync) {
        var starts = new EnumMap<>(stepStarts);
        starts.putIfAbsent(step, startedAt);
        return new MigrationProgress(started, starts, planReport,
                stepTablesToSync.isEmpty() ? tablesToSync : stepTablesToSync);
    }

    /**
     * How long {@code step} may take. Streaming that copies a resumed load's unfinished tables by table
     * synchronisation is a copy as much as a subscription: it gets the full load's time on top of its own.
     */
    public Duration timeout(MigrationStep step, MigrationPolicy policy) {
        Duration own = policy.timeout(step);
        return step == MigrationStep.STREAMING && !tablesToSync.isEmpty()
                ? own.plus(policy.timeout(MigrationStep.FULL_LOAD)) : own;
    }
}
