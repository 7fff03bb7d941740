package dev.cutover.cutover.saga;

import dev.cutover.cutover.saga.CutoverEvent.FallbackStarted;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/** What a fallback has done so far: who asked for it, and when each of its steps (last) began and ended. */
public record FallbackProgress(FallbackStarted started, Map<FallbackStep, Instant> stepStarts,
        Map<FallbackStep, Instant> stepEnds) {

    public FallbackProgress {
        Objects.requireNonNull(started, "started must not be null");
        stepStarts = stepStarts.isEmpty() ? Map.of() : Collections.unmodifiableMap(new EnumMap<>(stepStarts));
        stepEnds = stepEnds.isEmpty() ? Map.of() : Collections.unmodifiableMap(new EnumMap<>(stepEnds));
    }

    static FallbackProgress of(FallbackStarted started) {
        return new FallbackProgress(started, Map.of(), Map.of());
    }

    /** Steps begun whose answer has not arrived, in timeline order. */
    public Set<FallbackStep> inFlight() {
        var inFlight = EnumSet.noneOf(FallbackStep.class);
        stepStarts.keySet().stream().filter(step -> !stepEnds.containsKey(step)).forEach(inFlight::add);
        return inFlight;
    }

    public boolean reached(FallbackStep step) {
        return stepStarts.containsKey(step);
    }

    public boolean finished(FallbackStep step) {
        return stepEnds.containsKey(step);
    }

    /** From the DNS flip on, a new application session may fail: the fallback's downtime counts from there. */
    public Optional<Instant> switchStartedAt() {
        return Optional.ofNullable(stepStarts.get(FallbackStep.FLIP_DNS));
    }

    /** From the switch's start to {@code end}; zero when the switch never began. */
    public Duration downtimeUntil(Instant end) {
        return switchStartedAt().map(start -> Progress.between(start, end)).orElse(Duration.ZERO);
    }

    /** A step (re)started: a step begun again after the point of no return is a retry, timed from then. */
    FallbackProgress withStart(FallbackStep step, Instant at) {
        var starts = new EnumMap<FallbackStep, Instant>(FallbackStep.class);
        starts.putAll(stepStarts);
        starts.put(step, at);
        return new FallbackProgress(started, starts, stepEnds);
    }

    FallbackProgress withEnd(FallbackStep step, Instant at) {
        var ends = new EnumMap<FallbackStep, Instant>(FallbackStep.class);
        ends.putAll(stepEnds);
        ends.put(step, at);
        return new FallbackProgress(started, stepStarts, ends);
    }
}
