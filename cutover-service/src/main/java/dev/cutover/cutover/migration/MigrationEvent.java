package dev.cutover.cutover.migration;

import dev.cutover.cutover.saga.DatabaseName;
import dev.cutover.cutover.saga.Operator;
import dev.cutover.cutover.saga.Text;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * The facts the migration saga records about itself. Its state is the fold of these, so each carries the time it
 * happened: deadlines are derived from those times and the policy, never from a clock read at rebuild.
 */
public sealed interface MigrationEvent {

    /** A migration began with this plan; its preflight started at {@code startedAt}. */
    record MigrationStarted(MigrationId migrationId, DatabaseName database, Operator operator, MigrationPlan plan,
                            Instant startedAt) implements MigrationEvent {

        public MigrationStarted {
            Objects.requireNonNull(migrationId, "migrationId must not be null");
            Objects.requireNonNull(database, "database must not be null");
            Objects.requireNonNull(operator, "operator must not be null");
            Objects.requireNonNull(plan, "plan must not be null");
            Objects.requireNonNull(startedAt, "startedAt must not be null");
        }
    }

    /**
     * A start was refused and nothing was touched. For a migration id never started it ends that id; for one already
     * in use it is kept only for the audit trail and the migration goes on as it was.
     */
    record MigrationRejected(MigrationId migrationId, DatabaseName database, Operator operator, String reason,
                             Instant rejectedAt) implements MigrationEvent {

        public MigrationRejected {
            Objects.requireNonNull(migrationId, "migrationId must not be null");
            Objects.requireNonNull(database, "database must not be null");
            Objects.requireNonNull(operator, "operator must not be null");
            Text.notBlank(reason, "reason");
            Objects.requireNonNull(rejectedAt, "rejectedAt must not be null");
        }
    }

    /**
     * The saga began {@code step} (its attempt {@code attempt}, from 1) and sent its command; the step before it
     * succeeded.
     *
     * @param tablesToSync on the step begun after a resumed load: the tables it left unfinished ({@code schema.table}),
     *                     which the subscription's table synchronisation copies once streaming starts, so streaming
     *                     lasts as long as a copy; empty otherwise
     */
    record MigrationStepStarted(MigrationStep step, int attempt, Instant startedAt, List<String> tablesToSync)
            implements MigrationEvent {

        public MigrationStepStarted {
            Objects.requireNonNull(step, "step must not be null");
            if (attempt < 1) {
                throw new IllegalArgumentException("attempt counts from 1, was " + attempt);
            }
            Objects.requireNonNull(startedAt, "startedAt must not be null");
            tablesToSync = List.copyOf(tablesToSync);
        }

        public MigrationStepStarted(MigrationStep step, int attempt, Instant startedAt) {
            this(step, attempt, startedAt, List.of());
        }
    }

    /**
     * Data verification found differences while attempts were left: replication may still have been catching up, so
     * the saga verifies again at {@code retryAt}. The time is recorded, not derived, so a restart keeps it.
     */
    record MigrationDataMismatched(int attempt, List<DataMismatch> mismatches, Instant retryAt, Instant notedAt)
            implements MigrationEvent {

        public MigrationDataMismatched {
            if (attempt < 1) {
                throw new IllegalArgumentException("attempt counts from 1, was " + attempt);
            }
            mismatches = List.copyOf(mismatches);
            Objects.requireNonNull(retryAt, "retryAt must not be null");
            Objects.requireNonNull(notedAt, "notedAt must not be null");
        }
    }

    /**
     * Attempt {@code attempt} of {@code step} failed in a way its participant says may pass if tried again (a server
     * restarting or out of reach for a moment) and attempts were left: the saga sends the step's command again at
     * {@code retryAt}. Only the full load is tried again this way; it then takes up the tables it finished.
     */
    record MigrationStepRetrying(MigrationStep step, int attempt, String reason, Instant retryAt, Instant notedAt)
            implements MigrationEvent {

        public MigrationStepRetrying {
            Objects.requireNonNull(step, "step must not be null");
            if (attempt < 1) {
                throw new IllegalArgumentException("attempt counts from 1, was " + attempt);
            }
            Text.notBlank(reason, "reason");
            Objects.requireNonNull(retryAt, "retryAt must not be null");
            Objects.requireNonNull(notedAt, "notedAt must not be null");
        }
    }

    /**
     * The migration ended at {@code failedStep} without a ready target.
     *
     * @param findings       every preflight finding when preflight stopped it, otherwise empty
     * @param operatorAction what to clean up and how to start again
     */
    record MigrationStopped(MigrationStep failedStep, String reason, List<Finding> findings, String operatorAction,
                            Instant stoppedAt) implements MigrationEvent {

        public MigrationStopped {
            Objects.requireNonNull(failedStep, "failedStep must not be null");
            Text.notBlank(reason, "reason");
            findings = List.copyOf(findings);
            Text.notBlank(operatorAction, "operatorAction");
            Objects.requireNonNull(stoppedAt, "stoppedAt must not be null");
        }
    }

    /**
     * A dry run's answer: what a migration would move and how long its full load would take. Without blockers it
     * ends the dry run; with blockers a {@link MigrationStopped} follows, as for a real migration.
     *
     * @param findings          how many findings the preflight reported, blockers included
     * @param rate              the pace the prediction assumed
     * @param predictedFullLoad the load's bytes at that pace
     */
    record MigrationPlanReported(int findings, int blockers, SourceLoad load, FullLoadRate rate,
                                 Duration predictedFullLoad, Instant reportedAt) implements MigrationEvent {

        public MigrationPlanReported {
            if (findings < 0 || blockers < 0 || blockers > findings) {
                throw new IllegalArgumentException("blockers are some of the findings, got " + blockers + " of "
                        + findings);
            }
            Objects.requireNonNull(load, "load must not be null");
            Objects.requireNonNull(rate, "rate must not be null");
            Text.notNegative(predictedFullLoad, "predictedFullLoad");
            Objects.requireNonNull(reportedAt, "reportedAt must not be null");
        }
    }

    /** The target has its schema and all data, is streaming and verified: a cutover may start. */
    record MigrationReady(Instant readyAt) implements MigrationEvent {

        public MigrationReady {
            Objects.requireNonNull(readyAt, "readyAt must not be null");
        }
    }
}
