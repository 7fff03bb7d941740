package dev.cutover.cutover.saga;

import java.time.Duration;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The settings the saga decides with, checked once at start-up so a bad value fails loudly there and not in
 * the middle of a cutover.
 *
 * @param timeouts            how long each step may take; every step must have one
 * @param maxLagBytes         the replication lag above which a cutover is refused: catching up would stretch the downtime
 * @param maxLagAge           how old the lag report may be to count as the current lag
 * @param dnsTtl              the TTL the flipped record gets; clients may keep the old address this long
 * @param stepOverhead        what fencing, the canary, the sequences, opening the target and the DNS change cost together;
 *                            the dry run adds it to its prediction
 * @param compensationTimeout how long to wait for a compensation, or a fallback's rollback, to be confirmed before
 *                            sending its parts not confirmed yet again
 * @param allowedOperators    who may start or abort a cutover
 * @param lagSettle           how long after the start a lag report that is not ready (not streaming, or over the
 *                            threshold) is waited past for a later one instead of refusing the cutover: lag-monitor
 *                            reports once an interval, and right after a migration it may not have seen the streaming
 * @param tidyUpAttempts      how many times a tidy-up is sent, a step timeout apart, before the saga names the service
 *                            that does not answer (once) and goes on sending it only every {@code tidyUpSlowRetry}
 * @param tidyUpSlowRetry     how often a tidy-up that nobody answers is sent again once the operator was told
 * @param retryPause          how soon a step after the point of no return that failed retryably is sent again (once per
 *                            deadline; a second failure waits for the step's deadline)
 */
public record CutoverPolicy(
        Map<Step, Duration> timeouts,
        long maxLagBytes,
        Duration maxLagAge,
        Duration dnsTtl,
        Duration stepOverhead,
        Duration compensationTimeout,
        Set<Operator> allowedOperators,
        Duration lagSettle,
        int tidyUpAttempts,
        Duration tidyUpSlowRetry,
        Duration retryPause) {

    /** Three tidy-up attempts, then one every 10 minutes. */
    public static final int DEFAULT_TIDY_UP_ATTEMPTS = 3;
    public static final Duration DEFAULT_TIDY_UP_SLOW_RETRY = Duration.ofMinutes(10);
    /** A second after a retryable failure past the point of no return. */
    public static final Duration DEFAULT_RETRY_PAUSE = Duration.ofSeconds(1);

    public CutoverPolicy(Map<Step, Duration> timeouts, long maxLagBytes, Duration maxLagAge, Duration dnsTtl,
            Duration stepOverhead, Duration compensationTimeout, Set<Operator> allowedOperators, Duration lagSettle) {
        this(timeouts, maxLagBytes, maxLagAge, dnsTtl, stepOverhead, compensationTimeout, allowedOperators, lagSettle,
                DEFAULT_TIDY_UP_ATTEMPTS, DEFAULT_TIDY_UP_SLOW_RETRY, DEFAULT_RETRY_PAUSE);
    }

    public CutoverPolicy {
        Objects.requireNonNull(timeouts, "timeouts must not be null");
        var checked = new EnumMap<Step, Duration>(Step.class);
        for (Step step : Step.values()) {
            Duration timeout = timeouts.get(step);
            if (timeout == null) {
                throw new IllegalArgumentException("timeout for step " + step + " is missing");
            }
            checked.put(step, Text.positive(timeout, "timeout for step " + step));
        }
        timeouts = Collections.unmodifiableMap(checked);
        if (maxLagBytes < 0) {
            throw new IllegalArgumentException("maxLagBytes must not be negative, was " + maxLagBytes);
        }
        Text.positive(maxLagAge, "maxLagAge");
        Text.notNegative(dnsTtl, "dnsTtl");
        Text.notNegative(stepOverhead, "stepOverhead");
        Text.positive(compensationTimeout, "compensationTimeout");
        Objects.requireNonNull(allowedOperators, "allowedOperators must not be null");
        if (allowedOperators.isEmpty()) {
            // An empty list would refuse every start and every abort, which is never what someone configured on purpose.
            throw new IllegalArgumentException("allowedOperators must name at least one operator");
        }
        allowedOperators = Set.copyOf(allowedOperators);
        Text.notNegative(lagSettle, "lagSettle");
        if (lagSettle.compareTo(timeouts.get(Step.PREFLIGHT)) >= 0) {
            throw new IllegalArgumentException("lagSettle (" + lagSettle + ") must be shorter than the preflight timeout ("
                    + timeouts.get(Step.PREFLIGHT) + "), or a replication that is not ready is never named as the reason");
        }
        if (tidyUpAttempts < 1) {
            throw new IllegalArgumentException("tidyUpAttempts must be at least 1, was " + tidyUpAttempts);
        }
        Text.positive(tidyUpSlowRetry, "tidyUpSlowRetry");
        Text.positive(retryPause, "retryPause");
    }

    /**
     * Each step's default timeout, 16 MiB of lag, a lag report at most 10 s old, a 1 s TTL, 500 ms of step overhead
     * (the steps took about 370 ms in the seed's runs on this kind of machine), 5 s to restore the source, and 5 s
     * (five of lag-monitor's default intervals) for replication to be reported ready.
     */
    public static CutoverPolicy withDefaults(Set<Operator> allowedOperators) {
        var timeouts = new EnumMap<Step, Duration>(Step.class);
        for (Step step : Step.values()) {
            timeouts.put(step, step.defaultTimeout());
        }
        return new CutoverPolicy(timeouts, 16L * 1024 * 1024, Duration.ofSeconds(10), Duration.ofSeconds(1),
                Duration.ofMillis(500), Duration.ofSeconds(5), allowedOperators, Duration.ofSeconds(5));
    }

    public Duration timeout(Step step) {
        return timeouts.get(step);
    }

    public boolean allows(Operator operator) {
        return allowedOperators.contains(operator);
    }
}
