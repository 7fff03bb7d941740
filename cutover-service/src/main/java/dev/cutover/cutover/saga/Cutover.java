package dev.cutover.cutover.saga;

import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/** Where one cutover stands, as folded from the events the saga recorded. */
public sealed interface Cutover {

    /** Nothing recorded yet for this cutover id. */
    record NotStarted() implements Cutover {
    }

    /**
     * Checking whether the cutover may go ahead. Nothing has been touched yet.
     *
     * @param checksPassed schema-service found no blocker; what is left is a fresh lag report under the threshold
     */
    record Preflight(Progress progress, boolean checksPassed) implements Cutover {

        public Preflight {
            Objects.requireNonNull(progress, "progress must not be null");
        }
    }

    /**
     * Running the steps from {@link Step#STOP_TRAFFIC} to {@link Step#AWAIT_TRAFFIC}, several at once after the fence.
     *
     * @param attemptStartedAt when a step's command was last sent; after the point of no return, where the one step
     *                         in flight is retried, its deadline counts from here
     * @param failureNoted     after the point of no return, the failure already noted for this attempt
     */
    record Running(Progress progress, Instant attemptStartedAt, Optional<String> failureNoted,
            Optional<Instant> retryableFailureAt, boolean quickRetried) implements Cutover {

        public Running {
            Objects.requireNonNull(progress, "progress must not be null");
            Objects.requireNonNull(attemptStartedAt, "attemptStartedAt must not be null");
            Objects.requireNonNull(failureNoted, "failureNoted must not be null");
            Objects.requireNonNull(retryableFailureAt, "retryableFailureAt must not be null");
        }

        public Running(Progress progress, Instant attemptStartedAt, Optional<String> failureNoted) {
            this(progress, attemptStartedAt, failureNoted, Optional.empty(), false);
        }

        Running withProgress(Progress next) {
            return new Running(next, attemptStartedAt, failureNoted, retryableFailureAt, quickRetried);
        }

        /** The first step in flight, in timeline order: the one a person watching the cutover waits on. */
        public Step step() {
            return inFlight().stream().findFirst().orElse(progress.latest());
        }

        public Set<Step> inFlight() {
            return progress.inFlight();
        }
    }

    /**
     * Putting the source back after {@code failedStep} went wrong; waiting for {@code DnsReverted} (when the flip was
     * sent) and {@code SourceRestored}, of which {@code done} have arrived.
     */
    record Compensating(Progress progress, Step failedStep, String reason, Instant attemptStartedAt,
            Set<CompensationPart> done) implements Cutover {

        public Compensating {
            Objects.requireNonNull(progress, "progress must not be null");
            Objects.requireNonNull(failedStep, "failedStep must not be null");
            Text.notBlank(reason, "reason");
            Objects.requireNonNull(attemptStartedAt, "attemptStartedAt must not be null");
            done = done.isEmpty() ? Set.of() : Collections.unmodifiableSet(EnumSet.copyOf(done));
        }

        /** The parts this compensation needs: the DNS revert only if {@code FlipDns} was ever sent. */
        public Set<CompensationPart> parts() {
            return progress.reached(Step.FLIP_DNS) ? EnumSet.allOf(CompensationPart.class)
                    : EnumSet.of(CompensationPart.RESTORE_SOURCE);
        }

        /** The parts not confirmed yet, in the order their commands are sent. */
        public Set<CompensationPart> pending() {
            var pending = EnumSet.noneOf(CompensationPart.class);
            pending.addAll(parts());
            pending.removeAll(done);
            return pending;
        }
    }

    /**
     * Clients use the target; replication is being stopped and the TTL restored. {@code retries} counts the tidy-up's
     * sends since a task was last confirmed: past the policy's attempts the saga says who does not answer.
     */
    record TidyingUp(
            Progress progress,
            Duration downtime,
            Set<TidyUpTask> done,
            Instant attemptStartedAt,
            Optional<String> failureNoted,
            int retries) implements Cutover {

        public TidyingUp {
            if (retries < 0) {
                throw new IllegalArgumentException("retries must not be negative, was " + retries);
            }
            Objects.requireNonNull(progress, "progress must not be null");
            Objects.requireNonNull(downtime, "downtime must not be null");
            done = done.isEmpty() ? Set.of() : Collections.unmodifiableSet(EnumSet.copyOf(done));
            Objects.requireNonNull(attemptStartedAt, "attemptStartedAt must not be null");
            Objects.requireNonNull(failureNoted, "failureNoted must not be null");
        }
    }

    /** The database lives on the target and nothing is left to do. */
    record Completed(Progress progress, Duration downtime) implements Cutover {

        public Completed {
            Objects.requireNonNull(progress, "progress must not be null");
            Objects.requireNonNull(downtime, "downtime must not be null");
        }
    }

    /** The source serves again after {@code failedStep} went wrong. */
    record RolledBack(Progress progress, Step failedStep, String reason, Duration downtime) implements Cutover {

        public RolledBack {
            Objects.requireNonNull(progress, "progress must not be null");
            Objects.requireNonNull(failedStep, "failedStep must not be null");
            Text.notBlank(reason, "reason");
            Objects.requireNonNull(downtime, "downtime must not be null");
        }
    }

    /**
     * A completed cutover asked to fall back: its own progress and downtime as they were when it completed, and the
     * fallback's. A fallback that rolled back or was refused leaves the cutover here, with the target serving; another
     * fallback may then be asked for.
     */
    record FallingBack(Progress progress, Duration downtime, Fallback fallback) implements Cutover {

        public FallingBack {
            Objects.requireNonNull(progress, "progress must not be null");
            Objects.requireNonNull(downtime, "downtime must not be null");
            Objects.requireNonNull(fallback, "fallback must not be null");
        }
    }

    /** A dry run finished: it checked everything, changed nothing and predicted the downtime. */
    record Planned(Progress progress, Duration predictedDowntime) implements Cutover {

        public Planned {
            Objects.requireNonNull(progress, "progress must not be null");
            Objects.requireNonNull(predictedDowntime, "predictedDowntime must not be null");
        }
    }

    /**
     * The cutover ended before touching anything.
     *
     * @param progress empty when the start itself was refused
     */
    record Rejected(CutoverId cutoverId, DatabaseName database, Operator operator, String reason,
                    Optional<Progress> progress) implements Cutover {

        public Rejected {
            Objects.requireNonNull(cutoverId, "cutoverId must not be null");
            Objects.requireNonNull(database, "database must not be null");
            Objects.requireNonNull(operator, "operator must not be null");
            Text.notBlank(reason, "reason");
            Objects.requireNonNull(progress, "progress must not be null");
        }
    }

    /** Where the cutover has got to, from its start; empty before it started or when the start itself was refused. */
    default Optional<Progress> progressSoFar() {
        return switch (this) {
            case NotStarted notStarted -> Optional.empty();
            case Preflight preflight -> Optional.of(preflight.progress());
            case Running running -> Optional.of(running.progress());
            case Compensating compensating -> Optional.of(compensating.progress());
            case TidyingUp tidyingUp -> Optional.of(tidyingUp.progress());
            case Completed completed -> Optional.of(completed.progress());
            case FallingBack fallingBack -> Optional.of(fallingBack.progress());
            case RolledBack rolledBack -> Optional.of(rolledBack.progress());
            case Planned planned -> Optional.of(planned.progress());
            case Rejected rejected -> rejected.progress();
        };
    }

    /**
     * Whether this cutover still holds its database: the listener's registry refuses a second cutover of the same
     * database while one is active. Tidying up counts, because replication from the source is still running; so does a
     * fallback under way.
     */
    default boolean isActive() {
        return switch (this) {
            case Preflight p -> true;
            case Running r -> true;
            case Compensating c -> true;
            case TidyingUp t -> true;
            case NotStarted n -> false;
            case Completed c -> false;
            case FallingBack f -> f.fallback().isActive();
            case RolledBack r -> false;
            case Planned p -> false;
            case Rejected r -> false;
        };
    }
}
