package dev.cutover.cutover.migration;

import dev.cutover.cutover.saga.Operator;
import dev.cutover.cutover.saga.Text;
import java.time.Duration;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The settings the migration saga decides with, checked once at start-up so a bad value fails loudly there and not in
 * the middle of a migration.
 *
 * @param timeouts             how long each step may take; every step must have one
 * @param dataVerifyAttempts   how many times data is verified before differences stop the migration: right after
 *                             streaming starts, replication may still be applying what changed during the copy
 * @param dataVerifyRetryDelay how long to give replication between two verifications
 * @param allowedOperators     who may start a migration
 * @param fullLoadRate         the pace a dry run predicts the full load's time with
 * @param loadRetry            how often, and how far apart, a full load that failed retryably is tried again
 */
public record MigrationPolicy(
        Map<MigrationStep, Duration> timeouts,
        int dataVerifyAttempts,
        Duration dataVerifyRetryDelay,
        Set<Operator> allowedOperators,
        FullLoadRate fullLoadRate,
        LoadRetry loadRetry) {

    /**
     * @param attempts how many attempts a full load gets in all when each failure may pass if tried again; 1 never
     *                 tries again
     * @param delay    how long a server that went away gets to come back before the next attempt
     */
    public record LoadRetry(int attempts, Duration delay) {

        /** Three attempts 30 s apart: a server's restart or failover fits in the minute between the first and last. */
        public static final LoadRetry DEFAULT = new LoadRetry(3, Duration.ofSeconds(30));

        public LoadRetry {
            if (attempts < 1) {
                throw new IllegalArgumentException("the full load's attempts must be at least 1, was " + attempts);
            }
            Text.notNegative(delay, "the delay between full-load attempts");
        }
    }

    public MigrationPolicy {
        Objects.requireNonNull(timeouts, "timeouts must not be null");
        var checked = new EnumMap<MigrationStep, Duration>(MigrationStep.class);
        for (MigrationStep step : MigrationStep.values()) {
            Duration timeout = timeouts.get(step);
            if (timeout == null) {
                throw new IllegalArgumentException("timeout for migration step " + step + " is missing");
            }
            checked.put(step, Text.positive(timeout, "timeout for migration step " + step));
        }
        timeouts = Collections.unmodifiableMap(checked);
        if (dataVerifyAttempts < 1) {
            throw new IllegalArgumentException("dataVerifyAttempts must be at least 1, was " + dataVerifyAttempts);
        }
        Text.notNegative(dataVerifyRetryDelay, "dataVerifyRetryDelay");
        Objects.requireNonNull(allowedOperators, "allowedOperators must not be null");
        if (allowedOperators.isEmpty()) {
            // An empty list would refuse every start, which is never what someone configured on purpose.
            throw new IllegalArgumentException("allowedOperators must name at least one operator");
        }
        allowedOperators = Set.copyOf(allowedOperators);
        Objects.requireNonNull(fullLoadRate, "fullLoadRate must not be null");
        Objects.requireNonNull(loadRetry, "loadRetry must not be null");
    }

    public MigrationPolicy(Map<MigrationStep, Duration> timeouts, int dataVerifyAttempts, Duration dataVerifyRetryDelay,
            Set<Operator> allowedOperators, FullLoadRate fullLoadRate) {
        this(timeouts, dataVerifyAttempts, dataVerifyRetryDelay, allowedOperators, fullLoadRate, LoadRetry.DEFAULT);
    }

    /** With the full-load rate measured in the benchmarks. */
    public MigrationPolicy(Map<MigrationStep, Duration> timeouts, int dataVerifyAttempts, Duration dataVerifyRetryDelay,
            Set<Operator> allowedOperators) {
        this(timeouts, dataVerifyAttempts, dataVerifyRetryDelay, allowedOperators, FullLoadRate.MEASURED);
    }

    /** Each step's default timeout, and data verified up to 3 times, 30 s apart. */
    public static MigrationPolicy withDefaults(Set<Operator> allowedOperators) {
        return new MigrationPolicy(defaultTimeouts(), 3, Duration.ofSeconds(30), allowedOperators);
    }

    public static Map<MigrationStep, Duration> defaultTimeouts() {
        var timeouts = new EnumMap<MigrationStep, Duration>(MigrationStep.class);
        for (MigrationStep step : MigrationStep.values()) {
            timeouts.put(step, step.defaultTimeout());
        }
        return timeouts;
    }

    public Duration timeout(MigrationStep step) {
        return timeouts.get(step);
    }

    public boolean allows(Operator operator) {
        return allowedOperators.contains(operator);
    }
}
