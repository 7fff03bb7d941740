package dev.cutover.cutover.saga;

import dev.cutover.cutover.saga.CutoverEvent.CutoverStarted;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * What a started cutover has done so far: what was asked, when each step began and ended, and the canary being
 * awaited. A step is in flight from its start until its end is recorded.
 */
public record Progress(CutoverStarted started, Map<Step, Instant> stepStarts, Map<Step, Instant> stepEnds,
        Optional<Canary> canary, Optional<Lsn> fallbackPoint) {

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
        stepEnds = stepEnds.isEmpty() ? Map.of() : Collections.unmodifiableMap(new EnumMap<>(stepEnds));
        if (!stepStarts.keySet().containsAll(stepEnds.keySet())) {
            throw new IllegalArgumentException("steps " + stepEnds.keySet() + " cannot end before they start: "
                    + stepStarts.keySet() + " started");
        }
        Objects.requireNonNull(canary, "canary must not be null");
        Objects.requireNonNull(fallbackPoint, "fallbackPoint must not be null");
    }

    public Progress(CutoverStarted started, Map<Step, Instant> stepStarts, Map<Step, Instant> stepEnds,
            Optional<Canary> canary) {
        this(started, stepStarts, stepEnds, canary, Optional.empty());
    }

    /**
     * The token this cutover's canary carries: chosen by the saga, so that the command awaiting the canary can go out
     * beside the one writing it. One per cutover: the canary is written once, a failure compensates.
     */
    public String canaryToken() {
        return started.cutoverId().value() + "-canary";
    }

    static Progress of(CutoverStarted started) {
        return new Progress(started, Map.of(Step.PREFLIGHT, started.startedAt()), Map.of(), Optional.empty());
    }

    /** The latest step begun. */
    public Step latest() {
        Step latest = null;
        for (Step step : stepStarts.keySet()) {
            latest = step;
        }
        return latest;
    }

    /** Steps begun whose answer has not arrived, in timeline order. */
    public Set<Step> inFlight() {
        var inFlight = EnumSet.noneOf(Step.class);
        stepStarts.keySet().stream().filter(step -> step != Step.PREFLIGHT && !stepEnds.containsKey(step))
                .forEach(inFlight::add);
        return inFlight;
    }

    public boolean reached(Step step) {
        return stepStarts.containsKey(step);
    }

    public boolean finished(Step step) {
        return stepEnds.containsKey(step);
    }

    /**
     * When the saga began the switch (the DNS flip, then the fence): from then on a new application session may
     * fail, so downtime counts from here.
     */
    public Optional<Instant> switchStartedAt() {
        return stepStarts.entrySet().stream().filter(start -> start.getKey() != Step.PREFLIGHT)
                .map(Map.Entry::getValue).min(Instant::compareTo);
    }

    /** Each step from its start to its end; preflight ends where the switch begins, a step in flight at {@code end}. */
    public Map<Step, Duration> durations(Instant end) {
        var durations = new EnumMap<Step, Duration>(Step.class);
        stepStarts.forEach((step, startedAt) -> {
            Instant ended = step == Step.PREFLIGHT ? switchStartedAt().orElse(end) : stepEnds.getOrDefault(step, end);
            durations.put(step, between(startedAt, ended));
        });
        return durations;
    }

    Progress withStep(Step step, Instant startedAt) {
        var starts = new EnumMap<>(stepStarts);
        starts.put(step, startedAt);
        return new Progress(started, starts, stepEnds, canary, fallbackPoint);
    }

    Progress withEnd(Step step, Instant endedAt) {
        var ends = new EnumMap<Step, Instant>(Step.class);
        ends.putAll(stepEnds);
        ends.put(step, endedAt);
        return new Progress(started, stepStarts, ends, canary, fallbackPoint);
    }

    Progress withCanary(Canary canary) {
        return new Progress(started, stepStarts, stepEnds, Optional.of(canary), fallbackPoint);
    }

    Progress withFallbackPoint(Lsn lsn) {
        return new Progress(started, stepStarts, stepEnds, canary, Optional.of(lsn));
    }

    /** The tidy-up jobs this cutover has: preparing the fallback only when its preflight prepared one. */
    public Set<TidyUpTask> tidyUpTasks() {
        var tasks = EnumSet.allOf(TidyUpTask.class);
        if (!started.prepareFallback()) {
            tasks.remove(TidyUpTask.PREPARE_FALLBACK);
        }
        return tasks;
    }

    /** Clocks of different hosts can disagree by a little; a negative duration would only confuse whoever reads it. */
    static Duration between(Instant from, Instant to) {
        Duration duration = Duration.between(from, to);
        return duration.isNegative() ? Duration.ZERO : duration;
    }
}
