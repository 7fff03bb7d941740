package dev.cutover.cutover.migration.runner;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

import dev.cutover.cutover.migration.FullLoadRate;
import dev.cutover.cutover.migration.MigrationPolicy;
import dev.cutover.cutover.migration.MigrationStep;
import dev.cutover.cutover.saga.Operator;

/**
 * Settings of the migration saga, under {@code cutover.migration}. Who may start a migration is
 * {@code cutover.saga.operators}, the same list as for cutovers, and the TTL to lower comes from
 * {@code cutover.saga.dns.<database>}.
 *
 * @param timeouts             per-step timeouts that replace the defaults, by step name (e.g. {@code FULL_LOAD: 48h})
 * @param dataVerifyAttempts   how many times data is verified before differences stop the migration
 * @param dataVerifyRetryDelay how long replication gets to catch up between two verifications
 * @param loadAttempts         how many attempts a full load gets when each failure may pass if tried again (a server
 *                             restarting); a later attempt takes up the tables the earlier ones finished
 * @param loadRetryDelay       how long a server that went away gets between two full-load attempts
 * @param tickInterval         how often deadlines are checked; a timeout fires at most this late
 * @param fullLoadRate         table data (as {@code pg_table_size} counts it) a full load copies per second, indexes
 *                             included, for a dry run's predicted load time; the default, 57 MiB/s, is the replicator's
 *                             measured rate (docs/benchmarks.md): set what a rehearsal on your servers measured
 */
@ConfigurationProperties("cutover.migration")
record MigrationSettings(
        Map<String, Duration> timeouts,
        @DefaultValue("3") int dataVerifyAttempts,
        @DefaultValue("30s") Duration dataVerifyRetryDelay,
        @DefaultValue("3") int loadAttempts,
        @DefaultValue("30s") Duration loadRetryDelay,
        @DefaultValue("1s") Duration tickInterval,
        @DefaultValue("57MB") DataSize fullLoadRate) {

    MigrationSettings {
        timeouts = timeouts == null ? Map.of() : Map.copyOf(timeouts);
        for (String step : timeouts.keySet()) {
            stepNamed(step);
        }
        if (!tickInterval.isPositive()) {
            throw new IllegalArgumentException("cutover.migration.tick-interval must be positive, was " + tickInterval);
        }
        if (fullLoadRate.toBytes() <= 0) {
            throw new IllegalArgumentException("cutover.migration.full-load-rate must be positive (bytes a full load"
                    + " copies per second, e.g. 57MB), was " + fullLoadRate);
        }
    }

    /** The decider's policy; it checks the values, so a bad setting stops the service at start-up. */
    MigrationPolicy policy(List<String> operators) {
        Map<MigrationStep, Duration> stepTimeouts = MigrationPolicy.defaultTimeouts();
        timeouts.forEach((step, timeout) -> stepTimeouts.put(stepNamed(step), timeout));
        Set<Operator> allowed = operators.stream().map(Operator::new).collect(Collectors.toSet());
        try {
            return new MigrationPolicy(stepTimeouts, dataVerifyAttempts, dataVerifyRetryDelay, allowed,
                    new FullLoadRate(fullLoadRate.toBytes()),
                    new MigrationPolicy.LoadRetry(loadAttempts, loadRetryDelay));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("cutover.migration settings are wrong: " + e.getMessage(), e);
        }
    }

    private static MigrationStep stepNamed(String name) {
        try {
            return MigrationStep.valueOf(name.toUpperCase().replace('-', '_'));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("cutover.migration.timeouts." + name + " names no migration step; steps are "
                    + List.of(MigrationStep.values()), e);
        }
    }
}
