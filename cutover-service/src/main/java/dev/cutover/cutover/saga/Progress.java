package dev.cutover.cutover.saga;

import dev.cutover.cutover.saga.CutoverEvent.CutoverStarted;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What a started cutover has done so far: what was asked, when each step began and the canary being awaited.
 * Steps only ever run forward, so the latest step begun is the current one ({@code stepStarts} iterates in step order).
 */
public record Progress(CutoverStarted started, Map<Step, Instant> stepStarts, Optional<Canary> canary) {

    /** The canary row written on the source; catch-up is proven when the target shows it. */
    public record Canary(String token, Lsn lsn) {

        public Canary {
            Text.notBlank(token, "canary token");
            Objects.requireNonNull(lsn, "lsn must not be null");
        }
    }

    public Progress {
        Objects.requireNonNull(started, "started must not be null");
        stepStarts = Collections.unmodifiableMap(new EnumMap<>(stepStarts));
        if (stepStarts.isEmpty()) {
            throw new IllegalArgumentException("a started cutover has begun at least its preflight");
        }
        Objects.requireNonNull(canary, "canary must not be null");
    }

    static Progress of(CutoverStarted started) {
        return new Progress(started, Map.of(Step.PREFLIGHT, started.startedAt()), Optional.empty());
    }

    public Step current() {
        Step current = null;
        for (Step step : stepStarts.keySet()) {
            current = step;
        }
        return current;
    }

    public boolean reached(Step step) {
        return stepStarts.containsKey(step);
    }

    /** When the saga began fencing the source: from then on application sessions may fail, so downtime counts from here. */
    public Optional<Instant> fenceStartedAt() {
        return Optional.ofNullable(stepStarts.get(Step.STOP_TRAFFIC));
    }

    /** Each step from its start to the next one's, the last one ending at {@code end}. */
    public Map<Step, Duration> durations(Instant end) {
        var durations = new EnumMap<Step, Duration>(Step.class);
        Step previous = null;
        for (var entry : stepStarts.entrySet()) {
            if (previous != null) {
                durations.put(previous, between(stepStarts.get(previous), entry.getValue()));
            }
            previous = entry.getKey();
        }
        durations.put(previous, between(stepStarts.get(previous), end));
        return durations;
    }

    Progress withStep(Step step, Instant startedAt) {
        var starts = new EnumMap<>(stepStarts);
        starts.put(step, startedAt);
        return new Progress(started, starts, canary);
    }

    Progress withCanary(Canary canary) {
        return new Progress(started, stepStarts, Optional.of(canary));
    }

    /** Clocks of different hosts can disagree by a little; a negative duration would only confuse whoever reads it. */
    static Duration between(Instant from, Instant to) {
        Duration duration = Duration.between(from, to);
        return duration.isNegative() ? Duration.ZERO : duration;
    }
}
