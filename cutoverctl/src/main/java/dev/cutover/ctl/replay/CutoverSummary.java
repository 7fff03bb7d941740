package dev.cutover.ctl.replay;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

import dev.cutover.events.AbortCutover;
import dev.cutover.events.AbortRefused;
import dev.cutover.events.CompensationPartDone;
import dev.cutover.events.CompensationStarted;
import dev.cutover.events.CutoverCompleted;
import dev.cutover.events.CutoverRejected;
import dev.cutover.events.CutoverRolledBack;
import dev.cutover.events.CutoverStarted;
import dev.cutover.events.FallbackCompleted;
import dev.cutover.events.FallbackRejected;
import dev.cutover.events.FallbackRollbackPartDone;
import dev.cutover.events.FallbackRolledBack;
import dev.cutover.events.FallbackRollingBack;
import dev.cutover.events.FallbackStarted;
import dev.cutover.events.FallbackStepStarted;
import dev.cutover.events.SagaSilent;
import dev.cutover.events.SourceRestored;
import dev.cutover.events.StartCutover;
import dev.cutover.events.StepFailed;
import dev.cutover.events.StepFailureNoted;
import dev.cutover.events.StepFinished;
import dev.cutover.events.StepStarted;
import dev.cutover.events.TrafficResumed;
import dev.cutover.events.TrafficStopped;

/**
 * What {@code status} shows: a fold over one cutover's messages in the order they happened. Knows nothing of
 * Kafka; {@link #with} takes one record and gives the next summary.
 *
 * @param startedAt      when the operator asked (StartCutover), or the first message if that is missing
 * @param lastAt         the newest message's time
 * @param lastType       the newest message's type
 * @param currentStep    the steps the saga waits on: those started and not finished (several run side by side after
 *                       the fence), or the newest command where the log holds no saga steps; null before any
 * @param inFlight       the steps started and not finished, in the order they started
 * @param stoppedAt      when traffic was stopped, if it was
 * @param endedAt        when the terminal event happened, null while it runs
 * @param downtime       the saga's downtime figure, or one worked out from TrafficStopped to traffic on either side
 * @param lastFailure    the newest StepFailed, rejection or rollback reason, as a sentence
 * @param abortedBy      who asked to abort, if anyone did
 * @param fallback       where the newest fallback of the completed cutover stands, as a sentence; null without one
 */
public record CutoverSummary(
        String cutoverId,
        String database,
        String operator,
        String reason,
        boolean dryRun,
        Instant startedAt,
        Instant lastAt,
        String lastType,
        String currentStep,
        List<String> inFlight,
        Instant stoppedAt,
        Outcome outcome,
        Instant endedAt,
        Downtime downtime,
        String lastFailure,
        String abortedBy,
        String fallback,
        int messages,
        int undecodable) implements Followed<CutoverSummary> {

    public static CutoverSummary empty(String cutoverId) {
        return new CutoverSummary(cutoverId, null, null, null, false, null, null, null, null, List.of(), null,
                Outcome.RUNNING, null, null, null, null, null, 0, 0);
    }

    /** The summary of these records, folded in the order their messages happened. */
    public static CutoverSummary of(String cutoverId, Collection<? extends LoggedRecord> records) {
        var summary = empty(cutoverId);
        for (var record : inOrder(records)) {
            summary = summary.with(record);
        }
        return summary;
    }

    /**
     * Orders records by when their messages happened. A command and the event it caused can carry the same
     * millisecond, so ties go to the broker's timestamp, then commands first, then log order; undecodable records
     * have only the broker's time.
     */
    public static List<LoggedRecord> inOrder(Collection<? extends LoggedRecord> records) {
        var sorted = new ArrayList<LoggedRecord>(records);
        sorted.sort(Comparator.comparing(CutoverSummary::happenedAt)
                .thenComparing(record -> record.position().timestamp())
                .thenComparing(record -> record.position().topic().equals("cutover.commands") ? 0 : 1)
                .thenComparingLong(record -> record.position().offset()));
        return sorted;
    }

    static Instant happenedAt(LoggedRecord record) {
        return switch (record) {
            case Decoded decoded -> decoded.occurredAt();
            case Undecodable undecodable -> undecodable.position().timestamp();
        };
    }

    @Override
    public String noun() {
        return "cutover";
    }

    @Override
    public String id() {
        return cutoverId;
    }

    @Override
    public String statusCommand() {
        return "cutoverctl status --cutover " + cutoverId;
    }

    @Override
    public String ending(Instant now) {
        var line = new StringBuilder(outcome.words()).append(" after ").append(Times.length(elapsed(now)));
        knownDowntime().ifPresent(known -> line.append(", downtime ").append(known));
        if (lastFailure != null && outcome.exitCode() != 0) {
            line.append(": ").append(lastFailure);
        }
        return line.toString();
    }

    /** The summary after one more record. A terminal outcome stays: later tidy-up messages do not reopen it. */
    @Override
    public CutoverSummary with(LoggedRecord record) {
        if (!(record instanceof Decoded decoded)) {
            return new CutoverSummary(cutoverId, database, operator, reason, dryRun, startedAt, lastAt, lastType,
                    currentStep, inFlight, stoppedAt, outcome, endedAt, downtime, lastFailure, abortedBy, fallback,
                    messages, undecodable + 1);
        }
        var metadata = decoded.metadata();
        var at = decoded.occurredAt();
        String database = this.database == null ? metadata.getDatabase() : this.database;
        String operator = this.operator;
        String reason = this.reason;
        boolean dryRun = this.dryRun;
        Instant startedAt = this.startedAt == null || at.isBefore(this.startedAt) ? at : this.startedAt;
        Instant lastAt = this.lastAt;
        String lastType = this.lastType;
        if (lastAt == null || !at.isBefore(lastAt)) {
            lastAt = at;
            lastType = decoded.type();
        }
        String currentStep = this.currentStep;
        var inFlight = new ArrayList<>(this.inFlight);
        Instant stoppedAt = this.stoppedAt;
        Outcome outcome = this.outcome;
        Instant endedAt = this.endedAt;
        Downtime downtime = this.downtime;
        String lastFailure = this.lastFailure;
        String abortedBy = this.abortedBy;
        String fallback = this.fallback;

        switch (decoded.message()) {
            case StartCutover start -> {
                operator = start.getOperator();
                reason = start.getReason();
                dryRun = start.getDryRun();
                startedAt = at;
            }
            case CutoverStarted started -> {
                operator = operator == null ? started.getOperator() : operator;
                dryRun = dryRun || started.getDryRun();
            }
            case AbortCutover abort -> abortedBy = abort.getOperator() + " ('" + abort.getReason() + "')";
            case TrafficStopped stopped -> stoppedAt = at;
            case TrafficResumed resumed -> downtime = downtime != null ? downtime
                    : between(stoppedAt, at, "TrafficStopped -> TrafficResumed");
            case SourceRestored restored -> downtime = downtime != null ? downtime
                    : between(stoppedAt, at, "TrafficStopped -> SourceRestored");
            case StepFailed failed -> lastFailure = failed.getStep() + " failed: " + failed.getReason();
            case StepStarted step -> {
                inFlight.remove(step.getStep());
                inFlight.add(step.getStep());
                currentStep = String.join(" + ", inFlight);
            }
            case StepFinished step -> {
                inFlight.remove(step.getStep());
                currentStep = inFlight.isEmpty() ? currentStep : String.join(" + ", inFlight);
            }
            case StepFailureNoted noted -> lastFailure = noted.getStep() + " failed: " + noted.getReason()
                    + " (after the point of no return: rolling forward)";
            // Written by a watchdog, not the saga: the cutover is still under way, and nobody is acting on it.
            case SagaSilent silent -> lastFailure = "the saga is silent: " + silent.getAction();
            case CompensationStarted compensation -> {
                inFlight.clear();
                currentStep = "compensating";
                lastFailure = compensation.getFailedStep() + " failed: " + compensation.getReason();
            }
            case CompensationPartDone part -> currentStep = "compensating (" + part.getPart() + " confirmed)";
            case AbortRefused refused -> lastFailure = "abort refused: " + refused.getReason();
            case CutoverRejected rejected -> lastFailure = "rejected: " + rejected.getReason();
            case CutoverRolledBack rolledBack -> {
                lastFailure = rolledBack.getFailedStep() == null
                        ? "aborted: " + rolledBack.getReason()
                        : rolledBack.getFailedStep() + " failed: " + rolledBack.getReason();
                if (rolledBack.getDowntimeMs() > 0 || stoppedAt != null) {
                    downtime = new Downtime(rolledBack.getDowntimeMs(), "CutoverRolledBack.downtimeMs");
                }
            }
            case CutoverCompleted completed ->
                    downtime = new Downtime(completed.getDowntimeMs(), "CutoverCompleted.downtimeMs");
            case FallbackStarted started -> fallback = "asked by " + started.getOperator() + " ('" + started.getReason()
                    + "'), preflight: waiting for the reverse replication's lag";
            case FallbackStepStarted step -> fallback = "under way, step " + step.getStep();
            case FallbackRollingBack rollingBack -> {
                // Recorded again each time the parts still awaited are sent again: what was confirmed stays shown.
                String rolling = "rolling back after " + rollingBack.getFailedStep() + ": " + rollingBack.getReason();
                fallback = fallback != null && fallback.startsWith(rolling) ? fallback : rolling;
            }
            case FallbackRollbackPartDone part -> fallback = (fallback == null ? "rolling back" : fallback) + " ("
                    + part.getPart() + " confirmed)";
            case FallbackRolledBack rolledBack -> fallback = "rolled back after " + rolledBack.getFailedStep() + " ("
                    + rolledBack.getReason() + "): the target serves, the source still follows it";
            case FallbackCompleted completed -> fallback = "completed, downtime "
                    + Times.length(completed.getDowntimeMs()) + ": the source serves";
            case FallbackRejected rejected -> fallback = "refused: " + rejected.getReason();
            default -> {
                if (decoded.isCommand() && inFlight.isEmpty() && !"compensating".equals(currentStep)) {
                    currentStep = decoded.type();
                }
            }
        }
        if (!outcome.terminal()) {
            outcome = Outcome.endedBy(decoded.message()).orElse(outcome);
            endedAt = outcome.terminal() ? at : null;
        }
        return new CutoverSummary(cutoverId, database, operator, reason, dryRun, startedAt, lastAt, lastType,
                currentStep, List.copyOf(inFlight), stoppedAt, outcome, endedAt, downtime, lastFailure, abortedBy,
                fallback, messages + 1, undecodable);
    }

    private static Downtime between(Instant stoppedAt, Instant at, String source) {
        return stoppedAt == null ? null : new Downtime(Duration.between(stoppedAt, at).toMillis(), source);
    }

    @Override
    public boolean found() {
        return messages > 0;
    }

    public Optional<Downtime> knownDowntime() {
        return Optional.ofNullable(downtime);
    }

    /** From the operator's request to the end, or to {@code now} while it runs. */
    public Duration elapsed(Instant now) {
        if (startedAt == null) {
            return Duration.ZERO;
        }
        return Duration.between(startedAt, endedAt != null ? endedAt : now);
    }

    /** The lines {@code status} prints. */
    public List<String> render(Instant now) {
        var lines = new ArrayList<String>();
        lines.add(line("cutover", cutoverId));
        if (!found()) {
            lines.add(line("result", "no messages found for this cutover"));
            return lines;
        }
        lines.add(line("database", database));
        lines.add(line("operator", (operator == null ? "unknown (no StartCutover in the log)" : operator)
                + (reason == null ? "" : ", reason '" + reason + "'")));
        lines.add(line("started", startedAt.truncatedTo(ChronoUnit.MILLIS) + (dryRun ? " (dry run)" : "")));
        lines.add(line("result", outcome.words()));
        if (!outcome.terminal()) {
            lines.add(line("step", (currentStep == null ? "waiting for the saga" : currentStep)
                    + ", last " + lastType + " at " + Times.offset(Duration.between(startedAt, lastAt))));
        } else {
            lines.add(line("ended", Times.offset(Duration.between(startedAt, endedAt))
                    + (lastAt.isAfter(endedAt) ? ", last " + lastType + " at " + Times.offset(Duration.between(startedAt, lastAt)) : "")));
        }
        lines.add(line("elapsed", Times.length(elapsed(now))));
        if (downtime != null) {
            lines.add(line("downtime", downtime.toString()));
        } else if (stoppedAt != null) {
            lines.add(line("downtime", "traffic stopped for " + Times.length(Duration.between(stoppedAt, now))
                    + " so far"));
        }
        if (abortedBy != null) {
            lines.add(line("abort", "requested by " + abortedBy));
        }
        if (lastFailure != null) {
            lines.add(line("failure", lastFailure));
        }
        if (fallback != null) {
            lines.add(line("fallback", fallback));
        }
        lines.add(line("messages", messages + (undecodable == 0 ? "" : ", and " + undecodable + " undecodable records")));
        return lines;
    }

    /** One labelled line of {@code status}, the label in a column of its own. */
    static String line(String label, String value) {
        return String.format("%-9s %s", label, value);
    }
}
