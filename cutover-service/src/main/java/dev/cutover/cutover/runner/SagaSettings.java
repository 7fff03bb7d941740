package dev.cutover.cutover.runner;

import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

import dev.cutover.cutover.saga.CutoverPolicy;
import dev.cutover.cutover.saga.DnsPlan;
import dev.cutover.cutover.saga.Operator;
import dev.cutover.cutover.saga.Step;

/**
 * Settings of the cutover saga, under {@code cutover.saga}. The migration saga reads the same operators (one
 * allow-list for both) and the DNS plans, to lower a database's TTL before its cutover.
 *
 * @param operators           who may start or abort a cutover (at least one)
 * @param maxLag              the most replication lag a cutover may start with
 * @param maxLagAge           how old the latest lag report may be when traffic is about to stop
 * @param stepOverhead        what the steps themselves cost, for a dry run's predicted downtime
 * @param compensationTimeout how long to wait for a compensation, or a fallback's rollback, to be confirmed before
 *                            sending its parts not confirmed yet again
 * @param timeouts            per-step timeouts that replace the defaults, by step name (e.g. {@code AWAIT_CATCH_UP: 20s})
 * @param dns                 per database: the DNS name clients use and the two addresses it moves between
 * @param tickInterval        how often deadlines are checked; a timeout fires at most this late
 * @param sequenceMargin      added to every sequence on the target when sequences are synced
 * @param answerHold          how long an answer at the switch that decides nothing urgent may wait for the other
 *                            answers, to be decided with them in one transaction (0: each is decided as it comes)
 * @param lagSettle           how long after a cutover starts a lag report that is not ready (not STREAMING, or over
 *                            max-lag) is waited past for a later one; after it, such a report refuses the cutover
 * @param tidyUpAttempts      how many times a tidy-up task is sent before the saga names the service that does not
 *                            answer it (once)
 * @param tidyUpSlowRetry     how often such a task is sent again after that
 * @param retryPause          how soon a step after the point of no return that failed retryably is sent again
 */
@ConfigurationProperties("cutover.saga")
public record SagaSettings(
        List<String> operators,
        @DefaultValue("16MB") DataSize maxLag,
        @DefaultValue("10s") Duration maxLagAge,
        @DefaultValue("500ms") Duration stepOverhead,
        @DefaultValue("5s") Duration compensationTimeout,
        Map<String, Duration> timeouts,
        Map<String, Dns> dns,
        @DefaultValue("20ms") Duration tickInterval,
        @DefaultValue("0") long sequenceMargin,
        @DefaultValue("1s") Duration answerHold,
        @DefaultValue("5s") Duration lagSettle,
        @DefaultValue("3") int tidyUpAttempts,
        @DefaultValue("10m") Duration tidyUpSlowRetry,
        @DefaultValue("1s") Duration retryPause) {

    /**
     * @param record        the name clients resolve, e.g. {@code db.example.com}
     * @param sourceAddress what it points at today
     * @param targetAddress what it will point at
     * @param ttl           the TTL during the cutover (lowered before it)
     * @param restoreTtl    the TTL put back once the cutover is complete
     */
    public record Dns(String record, String sourceAddress, String targetAddress, @DefaultValue("1s") Duration ttl,
            @DefaultValue("300s") Duration restoreTtl) {

        DnsPlan plan() {
            return new DnsPlan(record, sourceAddress, targetAddress);
        }
    }

    public SagaSettings {
        if (operators == null || operators.isEmpty()) {
            throw new IllegalArgumentException("cutover.saga.operators must name at least one person allowed to start"
                    + " or abort a cutover, e.g. cutover.saga.operators=alice,bob");
        }
        timeouts = timeouts == null ? Map.of() : Map.copyOf(timeouts);
        dns = dns == null ? Map.of() : Map.copyOf(dns);
        for (String step : timeouts.keySet()) {
            try {
                Step.valueOf(step.toUpperCase().replace('-', '_'));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("cutover.saga.timeouts." + step + " names no step; steps are "
                        + List.of(Step.values()), e);
            }
        }
        dns.forEach((database, settings) -> {
            try {
                settings.plan();
            } catch (RuntimeException e) {
                throw new IllegalArgumentException("cutover.saga.dns." + database + " is incomplete or wrong: "
                        + e.getMessage(), e);
            }
        });
        if (!tickInterval.isPositive()) {
            throw new IllegalArgumentException("cutover.saga.tick-interval must be positive, was " + tickInterval);
        }
        if (answerHold.isNegative()) {
            throw new IllegalArgumentException("cutover.saga.answer-hold must not be negative, was " + answerHold);
        }
        if (sequenceMargin < 0) {
            throw new IllegalArgumentException("cutover.saga.sequence-margin must not be negative, was " + sequenceMargin);
        }
        // Fail at start-up, not at the first cutover, if the decider would refuse these settings.
        policy(operators, maxLag, maxLagAge, stepOverhead, compensationTimeout, timeouts, lagSettle, tidyUpAttempts,
                tidyUpSlowRetry, retryPause, Duration.ofSeconds(1));
    }

    /** The decider's policy for one cutover; the DNS TTL differs per database. */
    CutoverPolicy policy(Duration dnsTtl) {
        return policy(operators, maxLag, maxLagAge, stepOverhead, compensationTimeout, timeouts, lagSettle,
                tidyUpAttempts, tidyUpSlowRetry, retryPause, dnsTtl);
    }

    private static CutoverPolicy policy(List<String> operators, DataSize maxLag, Duration maxLagAge,
            Duration stepOverhead, Duration compensationTimeout, Map<String, Duration> timeouts, Duration lagSettle,
            int tidyUpAttempts, Duration tidyUpSlowRetry, Duration retryPause, Duration dnsTtl) {
        Map<Step, Duration> stepTimeouts = new EnumMap<>(Step.class);
        for (Step step : Step.values()) {
            stepTimeouts.put(step, step.defaultTimeout());
        }
        timeouts.forEach((step, timeout) -> stepTimeouts.put(Step.valueOf(step.toUpperCase().replace('-', '_')), timeout));
        Set<Operator> allowed = operators.stream().map(Operator::new).collect(Collectors.toSet());
        return new CutoverPolicy(stepTimeouts, maxLag.toBytes(), maxLagAge, dnsTtl, stepOverhead, compensationTimeout,
                allowed, lagSettle, tidyUpAttempts, tidyUpSlowRetry, retryPause);
    }
}
