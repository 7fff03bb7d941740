package dev.cutover.ctl.replay;

import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.apache.avro.specific.SpecificRecord;

import dev.cutover.events.AbortCutover;
import dev.cutover.events.AbortMigration;
import dev.cutover.events.AbortRefused;
import dev.cutover.events.CommandRefused;
import dev.cutover.events.AwaitCatchUp;
import dev.cutover.events.CanaryObserved;
import dev.cutover.events.CanaryWritten;
import dev.cutover.events.CompensationPartDone;
import dev.cutover.events.CompensationRetried;
import dev.cutover.events.CompensationStarted;
import dev.cutover.events.CutoverCompleted;
import dev.cutover.events.CutoverPlanned;
import dev.cutover.events.CutoverRejected;
import dev.cutover.events.CutoverRolledBack;
import dev.cutover.events.CutoverStarted;
import dev.cutover.events.DataVerified;
import dev.cutover.events.DnsFlipped;
import dev.cutover.events.DnsReverted;
import dev.cutover.events.DnsTtlChanged;
import dev.cutover.events.FallbackRollbackPartDone;
import dev.cutover.events.FlipDns;
import dev.cutover.events.FullLoadCompleted;
import dev.cutover.events.FullLoadSized;
import dev.cutover.events.LagReported;
import dev.cutover.events.MigrationCleanedUp;
import dev.cutover.events.MigrationPlanReported;
import dev.cutover.events.MigrationPlanned;
import dev.cutover.events.MigrationStopped;
import dev.cutover.events.PgBouncerResumed;
import dev.cutover.events.PlannedTable;
import dev.cutover.events.PreflightReported;
import dev.cutover.events.RestoreSource;
import dev.cutover.events.SequencesSynced;
import dev.cutover.events.SourceRestored;
import dev.cutover.events.StartCutover;
import dev.cutover.events.StartMigration;
import dev.cutover.events.StepFailed;
import dev.cutover.events.SagaSilent;
import dev.cutover.events.StepFailureNoted;
import dev.cutover.events.StepFinished;
import dev.cutover.events.StepRetried;
import dev.cutover.events.StepStarted;
import dev.cutover.events.StopTraffic;
import dev.cutover.events.TableCopied;
import dev.cutover.events.TableSize;
import dev.cutover.events.TargetOpened;
import dev.cutover.events.TrafficResumed;
import dev.cutover.events.TrafficStopped;
import dev.cutover.events.VerificationMode;

/**
 * One line of what a message says, for people: the messages of a cutover or a migration in words, every other
 * type as its fields. Never throws, whatever a message holds, because a summary is only ever a view.
 */
public final class Summaries {

    private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm:ss.SSS").withZone(ZoneOffset.UTC);

    private Summaries() {
    }

    public static String of(SpecificRecord message) {
        var summary = describe(message);
        return summary == null ? "" : summary;
    }

    private static String describe(SpecificRecord message) {
        return switch (message) {
            case StartCutover start -> join("operator " + start.getOperator(),
                    start.getDryRun() ? "dry run" : null,
                    start.getReason() == null ? null : "reason '" + start.getReason() + "'");
            case AbortCutover abort -> "operator " + abort.getOperator() + ", reason '" + abort.getReason() + "'";
            case StartMigration start -> join("operator " + start.getOperator(),
                    start.getDryRun() ? "dry run" : null,
                    start.getParallelism() > 0 ? "parallelism " + start.getParallelism() : null,
                    start.getReason() == null ? null : "reason '" + start.getReason() + "'");
            case AbortMigration abort -> join("operator " + abort.getOperator(),
                    abort.getReason() == null ? null : "reason '" + abort.getReason() + "'",
                    abort.getDropTargetTables() ? "drop the target's tables" : null);
            case DataVerified verified -> verified(verified);
            case TableCopied copied -> String.format(Locale.ROOT, "%s: %,d rows, %.1f MB in %s", copied.getTable(),
                    copied.getRows(), copied.getBytes() / 1e6, Times.length(copied.getDurationMs()));
            case FullLoadCompleted load -> String.format(Locale.ROOT, "%d tables, %,d rows, %.1f MB at %.1f MB/s in %s",
                    load.getTables(), load.getRows(), load.getBytes() / 1e6, load.getMegabytesPerSecond(),
                    Times.length(load.getDurationMs()));
            case FullLoadSized sized -> String.format(Locale.ROOT, "%d tables, %.1f MB on the source",
                    sized.getTables().size(), sized.getTables().stream().mapToLong(TableSize::getBytes).sum() / 1e6);
            case MigrationStopped stopped -> "at " + stopped.getFailedStep() + ": " + stopped.getReason();
            case MigrationPlanned planned when planned.getDryRun() -> "dry run: preflight only";
            case MigrationPlanReported plan -> String.format(Locale.ROOT,
                    "%d tables, %s in %d schemas, full load about %s; %d findings, %d blockers", plan.getTables().size(),
                    MigrationSummary.size(plan.getTotalBytes()), plan.getSchemas().size(),
                    Times.length(plan.getPredictedFullLoadMs()), plan.getFindings(), plan.getBlockers());
            case PreflightReported report when !report.getTables().isEmpty() -> String.format(Locale.ROOT,
                    "%s: %d findings, %d blockers; %d tables, %s in schemas %s", report.getScope(),
                    report.getFindings().size(), report.getBlockers(), report.getTables().size(),
                    MigrationSummary.size(report.getTables().stream().mapToLong(PlannedTable::getBytes).sum()),
                    String.join(", ", report.getSchemas()));
            case PreflightReported report -> report.getScope() + ": " + (report.getFindings().isEmpty() ? "no findings"
                    : String.join("; ", report.getFindings().stream().map(MigrationSummary::describe).toList()));
            case MigrationCleanedUp cleaned -> cleaned.getActions().isEmpty() ? "nothing looked for"
                    : String.join("; ", cleaned.getActions().stream().map(MigrationSummary::describe).toList());
            case CutoverStarted started -> join("operator " + started.getOperator(), started.getDryRun() ? "dry run" : null,
                    started.getDnsRecord() + " " + started.getSourceAddress() + " -> " + started.getTargetAddress());
            case StepStarted step -> step.getStep();
            case StepFinished step -> step.getStep();
            case CompensationStarted compensation -> "after " + compensation.getFailedStep() + ": " + compensation.getReason();
            case CompensationPartDone part -> part.getPart() + " confirmed; the rollback waits for the rest";
            case CompensationRetried retried -> "sent again, not confirmed yet: " + awaited(retried)
                    + ": if this repeats, that service is not running";
            case FallbackRollbackPartDone part -> part.getPart() + " confirmed; the fallback's rollback waits for the rest";
            case AbortRefused refused -> "operator " + refused.getOperator() + ": " + refused.getReason();
            case CommandRefused refused -> refused.getPrincipal() + " refused " + refused.getAction() + ": "
                    + refused.getReason();
            case StepFailureNoted noted -> noted.getStep() + " failed: " + noted.getReason() + ", rolling forward";
            case SagaSilent silent -> "no event from the saga for " + Times.length(silent.getSilentForMs()) + " since "
                    + silent.getLastEventType() + (silent.getLastStep() == null ? "" : " " + silent.getLastStep()) + ": "
                    + silent.getAction();
            case StepRetried retried -> retried.getStep() + " sent again: " + retried.getReason();
            case CutoverRejected rejected -> rejected.getReason()
                    + (rejected.getOperator() == null ? "" : " (operator " + rejected.getOperator() + ")");
            case CutoverPlanned planned -> join("predicted downtime " + Times.length(planned.getPredictedDowntimeMs()),
                    planned.getSteps().isEmpty() ? null : "steps " + String.join(" > ", planned.getSteps()),
                    planned.getDetail());
            case StopTraffic stop -> "timeout " + Times.length(stop.getTimeoutMs());
            case TrafficStopped stopped -> join("fence LSN " + stopped.getFenceLsn(),
                    sessions(stopped.getTerminatedSessions()) + " ended",
                    roles(stopped.getRoles()),
                    "took " + Times.length(stopped.getDurationMs()));
            case CanaryWritten canary -> "token " + canary.getToken() + " at LSN " + canary.getLsn();
            case AwaitCatchUp await -> join("canary " + await.getCanaryToken() + (await.getCanaryLsn() == null
                    ? " (LSN read on the source once the row arrives)" : " at LSN " + await.getCanaryLsn()),
                    "timeout " + Times.length(await.getTimeoutMs()));
            case CanaryObserved observed -> join("token " + observed.getToken() + " seen after "
                    + Times.length(observed.getLatencyMs()), "target LSN " + observed.getTargetLsn());
            case SequencesSynced synced -> join(synced.getSequences() + " sequences set (margin " + synced.getMargin() + ")",
                    "took " + Times.length(synced.getDurationMs()));
            case TargetOpened opened -> roles(opened.getRoles());
            case FlipDns flip -> flip.getRecord() + " " + flip.getExpectedTarget() + " -> " + flip.getNewTarget()
                    + ", TTL " + flip.getTtlSeconds() + " s";
            case DnsFlipped flipped -> join(flipped.getRecord() + " " + flipped.getPrevious() + " -> " + flipped.getCurrent(),
                    "TTL " + flipped.getTtlSeconds() + " s",
                    "served after " + Times.length(flipped.getEffectiveMs()));
            case DnsReverted reverted -> reverted.getRecord() + " " + reverted.getPrevious() + " -> " + reverted.getCurrent();
            case DnsTtlChanged ttl -> ttl.getRecord() + " TTL " + ttl.getPreviousTtlSeconds() + " s -> "
                    + ttl.getTtlSeconds() + " s";
            case PgBouncerResumed resumed -> join(resumed.getEntry() + " resumed on " + resumed.getServer() + " ("
                            + resumed.getCause().toLowerCase(Locale.ROOT).replace('_', ' ') + ")",
                    resumed.getInstances().size() + " PgBouncer" + (resumed.getInstances().size() == 1 ? "" : "s"),
                    resumed.getHeldMs() == null ? null : "clients held " + Times.length(resumed.getHeldMs()));
            case TrafficResumed resumed -> join("first session at " + CLOCK.format(resumed.getFirstSessionAt()),
                    resumed.getRole() == null ? null : "role " + resumed.getRole());
            case CutoverCompleted completed -> join("downtime " + Times.length(completed.getDowntimeMs()),
                    completed.getStepDurationsMs().isEmpty() ? null : completed.getStepDurationsMs().size() + " steps timed");
            case StepFailed failed -> failed.getStep() + " failed: " + failed.getReason()
                    + (failed.getRetryable() ? " (retryable)" : "");
            case RestoreSource restore -> "reason '" + restore.getReason() + "'";
            case SourceRestored restored -> roles(restored.getRoles());
            case CutoverRolledBack rolledBack -> join(
                    (rolledBack.getFailedStep() == null ? "aborted: " : "after " + rolledBack.getFailedStep() + ": ")
                            + rolledBack.getReason(),
                    "downtime " + Times.length(rolledBack.getDowntimeMs()));
            case LagReported lag -> join(lag.getEngine() + " " + lag.getState(),
                    lag.getSlotLagBytes() == null ? null : "slot lag " + lag.getSlotLagBytes() + " bytes",
                    lag.getHeartbeatLagMs() == null ? null : "heartbeat lag " + Times.length(lag.getHeartbeatLagMs()),
                    lag.getApplyLagMs() == null ? null : "apply lag " + Times.length(lag.getApplyLagMs()));
            default -> fields(message);
        };
    }

    /** Every field but the metadata as {@code name=value}, leaving out what says nothing (nulls, empty lists). */
    static String fields(SpecificRecord message) {
        var parts = new ArrayList<String>();
        for (var field : message.getSchema().getFields()) {
            if (field.name().equals("metadata")) {
                continue;
            }
            var value = message.get(field.pos());
            if (value == null || value instanceof Collection<?> c && c.isEmpty() || value instanceof Map<?, ?> m && m.isEmpty()) {
                continue;
            }
            parts.add(field.name() + "=" + (value instanceof CharSequence text ? text : Json.write(value)));
        }
        return String.join(", ", parts);
    }

    private static String sessions(int count) {
        return count + (count == 1 ? " session" : " sessions");
    }

    private static String roles(List<String> roles) {
        if (roles.isEmpty()) {
            return null;
        }
        return (roles.size() == 1 ? "role " : "roles ") + String.join(", ", roles);
    }

    private static String join(String... parts) {
        var present = new ArrayList<String>();
        for (var part : parts) {
            if (part != null && !part.isBlank()) {
                present.add(part);
            }
        }
        return String.join(", ", present);
    }

    /** A full check in a few words; a sampled one with how much of it was compared. */
    private static String verified(DataVerified verified) {
        String compared = verified.getMode() == VerificationMode.SAMPLED
                ? String.format(Locale.ROOT, "%d tables sampled: %d of %d ranges whole, %,d changed rows one by one",
                        verified.getTables(), verified.getRangesChecked(), verified.getRangesTotal(),
                        verified.getChangedRowsChecked())
                : String.format(Locale.ROOT, "%d tables, %,d rows compared in full", verified.getTables(),
                        verified.getRows());
        int mismatches = verified.getMismatches().size();
        return compared + (mismatches == 0 ? ", no difference" : ", " + mismatches + " difference(s)");
    }

    /** The rollback's parts sent again, each with the service that answers it; both when the event predates the list. */
    private static String awaited(CompensationRetried retried) {
        List<String> parts = retried.getAwaited().stream().map(CharSequence::toString).toList();
        return String.join("; ", (parts.isEmpty() ? List.of("REVERT_DNS", "RESTORE_SOURCE") : parts).stream()
                .map(part -> switch (part) {
                    case "REVERT_DNS" -> "RevertDns, answered by dns-switcher";
                    case "RESTORE_SOURCE" -> "RestoreSource, answered by cutover-service";
                    default -> part;
                }).toList());
    }
}
