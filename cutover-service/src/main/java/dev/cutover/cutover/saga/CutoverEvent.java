package dev.cutover.cutover.saga;

import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The facts the saga records about itself. Folding them rebuilds the saga after a restart, so each carries the
 * time it happened: deadlines are derived from those times and the policy, never from a clock read at rebuild.
 */
public sealed interface CutoverEvent {

    /** A cutover began; its preflight started at {@code startedAt}. */
    record CutoverStarted(
            CutoverId cutoverId,
            DatabaseName database,
            Operator operator,
            boolean dryRun,
            String reason,
            DnsPlan dns,
            Instant startedAt,
            boolean prepareFallback) implements CutoverEvent {

        /** A cutover that prepares no reverse replication. */
        public CutoverStarted(CutoverId cutoverId, DatabaseName database, Operator operator, boolean dryRun,
                String reason, DnsPlan dns, Instant startedAt) {
            this(cutoverId, database, operator, dryRun, reason, dns, startedAt, false);
        }

        public CutoverStarted {
            Objects.requireNonNull(cutoverId, "cutoverId must not be null");
            Objects.requireNonNull(database, "database must not be null");
            Objects.requireNonNull(operator, "operator must not be null");
            Text.notBlank(reason, "reason");
            Objects.requireNonNull(dns, "dns must not be null");
            Objects.requireNonNull(startedAt, "startedAt must not be null");
        }
    }

    /** The cutover ended before it touched anything: refused at the start, or stopped during preflight. */
    record CutoverRejected(CutoverId cutoverId, DatabaseName database, Operator operator, String reason, Instant rejectedAt)
            implements CutoverEvent {

        public CutoverRejected {
            Objects.requireNonNull(cutoverId, "cutoverId must not be null");
            Objects.requireNonNull(database, "database must not be null");
            Objects.requireNonNull(operator, "operator must not be null");
            Text.notBlank(reason, "reason");
            Objects.requireNonNull(rejectedAt, "rejectedAt must not be null");
        }
    }

    /** Schema-service found no blocker; a fresh, small enough lag report is still needed before traffic stops. */
    record PreflightPassed(String findings, Instant passedAt) implements CutoverEvent {

        public PreflightPassed {
            Objects.requireNonNull(findings, "findings must not be null");
            Objects.requireNonNull(passedAt, "passedAt must not be null");
        }
    }

    /** A dry run ended: the steps a real run would take and the downtime it would likely cause. */
    record CutoverPlanned(List<Step> steps, Duration predictedDowntime, Instant plannedAt) implements CutoverEvent {

        public CutoverPlanned {
            steps = List.copyOf(steps);
            Text.notNegative(predictedDowntime, "predictedDowntime");
            Objects.requireNonNull(plannedAt, "plannedAt must not be null");
        }
    }

    /** The saga began {@code step} and sent its command, if it has one; the step before it finished at the same moment. */
    record StepStarted(Step step, Instant startedAt) implements CutoverEvent {

        public StepStarted {
            Objects.requireNonNull(step, "step must not be null");
            Objects.requireNonNull(startedAt, "startedAt must not be null");
        }
    }

    /** The answer that ends a step arrived; steps after the fence run side by side, so each one's end is recorded. */
    record StepFinished(Step step, Instant finishedAt) implements CutoverEvent {

        public StepFinished {
            Objects.requireNonNull(step, "step must not be null");
            Objects.requireNonNull(finishedAt, "finishedAt must not be null");
        }
    }

    /** The canary catch-up is judged against; a restarted saga must still know it to check {@code CanaryObserved}. */
    record CanaryRecorded(String token, Lsn lsn) implements CutoverEvent {

        public CanaryRecorded {
            Text.notBlank(token, "canary token");
            Objects.requireNonNull(lsn, "lsn must not be null");
        }
    }

    /** Something went wrong before the point of no return: the saga began putting the source back. */
    record CompensationStarted(Step failedStep, String reason, Instant startedAt) implements CutoverEvent {

        public CompensationStarted {
            Objects.requireNonNull(failedStep, "failedStep must not be null");
            Text.notBlank(reason, "reason");
            Objects.requireNonNull(startedAt, "startedAt must not be null");
        }
    }

    /**
     * The compensation was not confirmed in time; the commands of its parts still awaited were sent again.
     *
     * @param awaited the parts sent again; empty in an event written before it was recorded
     */
    record CompensationRetried(Set<CompensationPart> awaited, Instant retriedAt) implements CutoverEvent {

        public CompensationRetried {
            awaited = Set.copyOf(awaited);
            Objects.requireNonNull(retriedAt, "retriedAt must not be null");
        }
    }

    /** One part of the compensation was confirmed while another is still awaited. */
    record CompensationPartDone(CompensationPart part, Instant doneAt) implements CutoverEvent {

        public CompensationPartDone {
            Objects.requireNonNull(part, "part must not be null");
            Objects.requireNonNull(doneAt, "doneAt must not be null");
        }
    }

    /** The source serves again; {@code downtime} is how long the application could not write because of this attempt. */
    record CutoverRolledBack(Step failedStep, String reason, Duration downtime, Instant rolledBackAt)
            implements CutoverEvent {

        public CutoverRolledBack {
            Objects.requireNonNull(failedStep, "failedStep must not be null");
            Text.notBlank(reason, "reason");
            Text.notNegative(downtime, "downtime");
            Objects.requireNonNull(rolledBackAt, "rolledBackAt must not be null");
        }
    }

    /** Clients use the target. Tidy-up starts at {@code completedAt}. */
    record CutoverCompleted(Duration downtime, Map<Step, Duration> stepDurations, Instant completedAt)
            implements CutoverEvent {

        public CutoverCompleted {
            Text.notNegative(downtime, "downtime");
            // An EnumMap keeps the steps in running order for whoever prints them.
            stepDurations = Collections.unmodifiableMap(new EnumMap<>(stepDurations));
            Objects.requireNonNull(completedAt, "completedAt must not be null");
        }
    }

    /**
     * Where reverse replication will start on the target: its WAL position read just before it opened. Recorded once,
     * from the first {@code TargetOpened} that carries one.
     */
    record FallbackPointRecorded(Lsn lsn) implements CutoverEvent {

        public FallbackPointRecorded {
            Objects.requireNonNull(lsn, "lsn must not be null");
        }
    }

    /** One tidy-up job was confirmed; when all are, the cutover is over. */
    record TidyUpTaskDone(TidyUpTask task, Instant doneAt) implements CutoverEvent {

        public TidyUpTaskDone {
            Objects.requireNonNull(task, "task must not be null");
            Objects.requireNonNull(doneAt, "doneAt must not be null");
        }
    }

    /** After the point of no return a step ran out of time; its commands were sent again (rolling forward). */
    record StepRetried(Step step, String reason, Instant retriedAt) implements CutoverEvent {

        public StepRetried {
            Objects.requireNonNull(step, "step must not be null");
            Text.notBlank(reason, "reason");
            Objects.requireNonNull(retriedAt, "retriedAt must not be null");
        }
    }

    /**
     * After the point of no return a participant reported a failure. Going back is no longer safe, so the saga only
     * notes it for the people watching and retries when the step's timeout runs out.
     */
    record StepFailureNoted(Step step, String reason, boolean retryable, Instant notedAt) implements CutoverEvent {

        public StepFailureNoted {
            Objects.requireNonNull(step, "step must not be null");
            Text.notBlank(reason, "reason");
            Objects.requireNonNull(notedAt, "notedAt must not be null");
        }
    }

    /** An abort was not honoured (operator not allowed, or past the point of no return); kept for the audit trail. */
    record AbortRefused(Operator operator, String reason, Instant refusedAt) implements CutoverEvent {

        public AbortRefused {
            Objects.requireNonNull(operator, "operator must not be null");
            Text.notBlank(reason, "reason");
            Objects.requireNonNull(refusedAt, "refusedAt must not be null");
        }
    }

    /** An operator asked a completed cutover to fall back to the source; the fallback's preflight runs. */
    record FallbackStarted(Operator operator, String reason, Instant startedAt) implements CutoverEvent {

        public FallbackStarted {
            Objects.requireNonNull(operator, "operator must not be null");
            Text.notBlank(reason, "reason");
            Objects.requireNonNull(startedAt, "startedAt must not be null");
        }
    }

    /** A fallback step's command was sent; again for a step retried after the fallback's point of no return. */
    record FallbackStepStarted(FallbackStep step, Instant startedAt) implements CutoverEvent {

        public FallbackStepStarted {
            Objects.requireNonNull(step, "step must not be null");
            Objects.requireNonNull(startedAt, "startedAt must not be null");
        }
    }

    /** The answer that ends a fallback step arrived. */
    record FallbackStepFinished(FallbackStep step, Instant finishedAt) implements CutoverEvent {

        public FallbackStepFinished {
            Objects.requireNonNull(step, "step must not be null");
            Objects.requireNonNull(finishedAt, "finishedAt must not be null");
        }
    }

    /**
     * A fallback step failed, timed out or was aborted before the source opened: the target is being put back. Recorded
     * again each time the commands of the rollback's parts still awaited are sent again.
     */
    record FallbackRollingBack(FallbackStep failedStep, String reason, Instant startedAt) implements CutoverEvent {

        public FallbackRollingBack {
            Objects.requireNonNull(failedStep, "failedStep must not be null");
            Text.notBlank(reason, "reason");
            Objects.requireNonNull(startedAt, "startedAt must not be null");
        }
    }

    /** One part of a fallback's rollback was confirmed while another is still awaited. */
    record FallbackRollbackPartDone(FallbackRollbackPart part, Instant doneAt) implements CutoverEvent {

        public FallbackRollbackPartDone {
            Objects.requireNonNull(part, "part must not be null");
            Objects.requireNonNull(doneAt, "doneAt must not be null");
        }
    }

    /** The target serves again, and the name points at it, after a failed fallback. */
    record FallbackRolledBack(FallbackStep failedStep, String reason, Duration downtime, Instant rolledBackAt)
            implements CutoverEvent {

        public FallbackRolledBack {
            Objects.requireNonNull(failedStep, "failedStep must not be null");
            Text.notBlank(reason, "reason");
            Objects.requireNonNull(downtime, "downtime must not be null");
            Objects.requireNonNull(rolledBackAt, "rolledBackAt must not be null");
        }
    }

    /** The source serves again and the reverse replication is stopped. */
    record FallbackCompleted(Duration downtime, Instant completedAt) implements CutoverEvent {

        public FallbackCompleted {
            Objects.requireNonNull(downtime, "downtime must not be null");
            Objects.requireNonNull(completedAt, "completedAt must not be null");
        }
    }

    /**
     * A fallback was refused before it touched anything: at its start (only the audit trail keeps it), or, with
     * {@code byPreflight}, by its preflight (the fallback under way ends).
     */
    record FallbackRejected(Operator operator, String reason, boolean byPreflight, Instant rejectedAt)
            implements CutoverEvent {

        public FallbackRejected {
            Objects.requireNonNull(operator, "operator must not be null");
            Text.notBlank(reason, "reason");
            Objects.requireNonNull(rejectedAt, "rejectedAt must not be null");
        }
    }
}
