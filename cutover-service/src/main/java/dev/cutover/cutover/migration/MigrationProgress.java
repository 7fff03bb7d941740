package dev.cutover.cutover.migration;

import dev.cutover.cutover.migration.MigrationEvent.MigrationStarted;
import java.time.Instant;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;

/**
 * What a started migration has done so far: what was asked and when each step first began. Steps only run forward,
 * so a step in {@code stepStarts} other than the current one has finished.
 */
public record MigrationProgress(MigrationStarted started, Map<MigrationStep, Instant> stepStarts) {

    public MigrationProgress {
        Objects.requireNonNull(started, "started must not be null");
        stepStarts = Collections.unmodifiableMap(new EnumMap<>(stepStarts));
        if (stepStarts.isEmpty()) {
            throw new IllegalArgumentException("a started migration has begun at least its preflight");
        }
    }

    static MigrationProgress of(MigrationStarted started) {
        return new MigrationProgress(started, Map.of(MigrationStep.PREFLIGHT, started.startedAt()));
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
        return new MigrationProgress(started, starts);
    }
}
