package dev.cutover.cutover.migration;

import dev.cutover.cutover.saga.DatabaseName;
import dev.cutover.cutover.saga.Operator;
import dev.cutover.cutover.saga.Text;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/** Where one migration stands, as folded from the events the saga recorded. */
public sealed interface Migration {

    /** Nothing recorded yet for this migration id. */
    record NotStarted() implements Migration {
    }

    /**
     * Running attempt {@code attempt} of {@code step}, whose command was sent at {@code attemptStartedAt}; the
     * step's deadline counts from there.
     */
    record Running(MigrationProgress progress, MigrationStep step, int attempt, Instant attemptStartedAt)
            implements Migration {

        public Running {
            Objects.requireNonNull(progress, "progress must not be null");
            Objects.requireNonNull(step, "step must not be null");
            Objects.requireNonNull(attemptStartedAt, "attemptStartedAt must not be null");
        }
    }

    /**
     * Attempt {@code attempt} of {@code step} did not succeed and may if tried again: data verification found
     * differences ({@code mismatches}), or the full load failed retryably (no mismatches). The next attempt starts at
     * {@code retryAt}.
     */
    record AwaitingRetry(MigrationProgress progress, MigrationStep step, int attempt, List<DataMismatch> mismatches,
                         Instant retryAt) implements Migration {

        public AwaitingRetry {
            Objects.requireNonNull(progress, "progress must not be null");
            Objects.requireNonNull(step, "step must not be null");
            mismatches = List.copyOf(mismatches);
            Objects.requireNonNull(retryAt, "retryAt must not be null");
        }
    }

    /** The target is verified and streaming; the migration is over and a cutover may start. */
    record Ready(MigrationProgress progress, Instant readyAt) implements Migration {

        public Ready {
            Objects.requireNonNull(progress, "progress must not be null");
            Objects.requireNonNull(readyAt, "readyAt must not be null");
        }
    }

    /** A dry run found no blocker and reported what a migration would move ({@code progress.planReport()}). */
    record Planned(MigrationProgress progress, Instant plannedAt) implements Migration {

        public Planned {
            Objects.requireNonNull(progress, "progress must not be null");
            if (progress.planReport().isEmpty()) {
                throw new IllegalArgumentException("a planned migration has its plan report");
            }
            Objects.requireNonNull(plannedAt, "plannedAt must not be null");
        }
    }

    /**
     * The migration ended at {@code failedStep}; {@code operatorAction} says what to clean up and how to start again.
     * {@code wasReady}: it was stopped after {@code MigrationReady}, so its target may serve the application.
     */
    record Stopped(MigrationProgress progress, MigrationStep failedStep, String reason, List<Finding> findings,
                   String operatorAction, boolean wasReady) implements Migration {

        public Stopped {
            Objects.requireNonNull(progress, "progress must not be null");
            Objects.requireNonNull(failedStep, "failedStep must not be null");
            Text.notBlank(reason, "reason");
            findings = List.copyOf(findings);
            Text.notBlank(operatorAction, "operatorAction");
        }
    }

    /** The start itself was refused; nothing was touched. */
    record Rejected(MigrationId migrationId, DatabaseName database, Operator operator, String reason)
            implements Migration {

        public Rejected {
            Objects.requireNonNull(migrationId, "migrationId must not be null");
            Objects.requireNonNull(database, "database must not be null");
            Objects.requireNonNull(operator, "operator must not be null");
            Text.notBlank(reason, "reason");
        }
    }

    /**
     * Whether this migration still holds its database: the runner's registry refuses a second migration of the same
     * database while one is active. A ready migration has let go: whether the target may be filled again is for a
     * new migration's preflight to judge. A dry run never holds it: it changes nothing.
     */
    default boolean isActive() {
        return switch (this) {
            case Running r -> !r.progress().plan().dryRun();
            case AwaitingRetry a -> true;
            case NotStarted n -> false;
            case Ready r -> false;
            case Planned p -> false;
            case Stopped s -> false;
            case Rejected r -> false;
        };
    }
}
