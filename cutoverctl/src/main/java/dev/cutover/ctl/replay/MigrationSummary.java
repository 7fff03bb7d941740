package dev.cutover.ctl.replay;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import dev.cutover.events.AbortMigration;
import dev.cutover.events.CleanupAction;
import dev.cutover.events.FullLoadCompleted;
import dev.cutover.events.FullLoadResumed;
import dev.cutover.events.FullLoadSized;
import dev.cutover.events.MigrationCleanedUp;
import dev.cutover.events.MigrationPlanReported;
import dev.cutover.events.MigrationPlanned;
import dev.cutover.events.MigrationReady;
import dev.cutover.events.MigrationRejected;
import dev.cutover.events.MigrationStarted;
import dev.cutover.events.MigrationStepRetrying;
import dev.cutover.events.MigrationStepStarted;
import dev.cutover.events.MigrationStopped;
import dev.cutover.events.PlannedTable;
import dev.cutover.events.PreflightFinding;
import dev.cutover.events.PreflightReported;
import dev.cutover.events.StartMigration;
import dev.cutover.events.StepFailed;
import dev.cutover.events.TableCopied;

/**
 * What {@code migrate status} shows: a fold over one migration's messages in the order they happened, like
 * {@link CutoverSummary} for a cutover. The full load's progress comes from the replicator's {@code TableCopied}
 * events, measured against the sizes its {@code FullLoadSized} gives as the load begins.
 *
 * @param step        the step the saga began last (MigrationStepStarted), with its attempt; null before any
 * @param load        the full load so far
 * @param readyAt     when the migration was ready (MigrationReady), even if it was aborted since; null if never
 * @param lastFailure the stop's reason, a participant's failure or a refusal, as a sentence
 * @param stopReason  the stop's reason (MigrationStopped), which a failed clean-up's does not replace for good
 * @param cleanup     one line per object of the latest MigrationCleanedUp
 * @param dryRun      the operator asked only for the plan (StartMigration.dryRun)
 * @param plan        a dry run's answer, once the saga reported it
 * @param preflightRan the migration's preflight answered (PreflightReported), with findings or without
 * @param findings    one line per finding of the migration's preflight, with its remedy
 */
public record MigrationSummary(
        String migrationId,
        String database,
        String operator,
        String reason,
        Instant startedAt,
        Instant lastAt,
        String lastType,
        String step,
        int attempt,
        Instant stepStartedAt,
        Load load,
        Outcome outcome,
        Instant endedAt,
        Instant readyAt,
        String lastFailure,
        String stopReason,
        String operatorAction,
        String abortedBy,
        List<String> cleanup,
        boolean dryRun,
        MigrationPlanReported plan,
        boolean preflightRan,
        List<String> findings,
        int messages,
        int undecodable) implements Followed<MigrationSummary> {

    public MigrationSummary {
        cleanup = List.copyOf(cleanup);
        findings = List.copyOf(findings);
    }

    /**
     * The full load: tables, rows and bytes copied so far, from the load's first command to the latest table.
     *
     * @param copied      the tables copied so far, in the order they were
     * @param sizes       every table of the load with its size on the source, once FullLoadSized said them
     * @param copiedSize  the source size of the tables copied so far (by {@code sizes})
     * @param tablesTotal the number of tables of the load, once known; 0 until then
     * @param toSync      a resumed load's unfinished tables, which the subscription's table synchronisation copies
     */
    public record Load(List<String> copied, long rows, long bytes, Instant startedAt, Instant lastAt,
                       Map<String, Long> sizes, int tablesTotal, boolean completed, List<String> toSync) {

        static final Load NONE = new Load(List.of(), 0, 0, null, null, Map.of(), 0, false, List.of());

        public Load {
            copied = List.copyOf(copied);
            sizes = Map.copyOf(sizes);
            toSync = List.copyOf(toSync);
        }

        public int tables() {
            return copied.size();
        }

        /** The source size of the tables copied so far, as far as the sizes are known. */
        public long copiedSize() {
            return copied.stream().mapToLong(table -> sizes.getOrDefault(table, 0L)).sum();
        }

        Load startedAt(Instant at) {
            return new Load(copied, rows, bytes, at, lastAt, sizes, tablesTotal, completed, toSync);
        }

        Load withTable(TableCopied table, Instant at) {
            var more = new ArrayList<>(copied);
            more.add(table.getTable());
            return new Load(more, rows + table.getRows(), bytes + table.getBytes(), startedAt, at, sizes, tablesTotal,
                    completed, toSync);
        }

        /** The sizes arrive beside the first tables' copies, perhaps after some of them. */
        Load sized(FullLoadSized sized) {
            var bySize = new HashMap<String, Long>();
            sized.getTables().forEach(table -> bySize.put(table.getTable(), table.getBytes()));
            return new Load(copied, rows, bytes, startedAt, lastAt, bySize, completed ? tablesTotal : bySize.size(),
                    completed, toSync);
        }

        Load completed(FullLoadCompleted completed) {
            return new Load(copied, rows, bytes, startedAt, lastAt, sizes, completed.getTables(), true, toSync);
        }

        /**
         * An interrupted load taken up: the tables it kept count as copied (those reported before the interruption
         * are already in {@code copied}), the rest are left to table synchronisation, which streaming waits for.
         */
        Load resumed(FullLoadResumed resumed) {
            var kept = new ArrayList<>(copied);
            long keptRows = rows;
            for (var table : resumed.getKeptTables()) {
                if (!kept.contains(table.getTable())) {
                    kept.add(table.getTable());
                    keptRows += table.getRows();
                }
            }
            return new Load(kept, keptRows, bytes, startedAt, lastAt, sizes,
                    kept.size() + resumed.getWithheldTables().size(), true, resumed.getWithheldTables());
        }

        /** Bytes per second from the load's start to the latest table, when both are known. */
        public double bytesPerSecond() {
            if (startedAt == null || lastAt == null || !lastAt.isAfter(startedAt)) {
                return 0;
            }
            return bytes * 1000.0 / Duration.between(startedAt, lastAt).toMillis();
        }

        /**
         * What is left, at the pace so far: the time from the load's start to its latest table, scaled by the share
         * of the source's size still to copy. Empty until the sizes and a first table are known.
         */
        public Optional<Duration> left() {
            long total = sizes.values().stream().mapToLong(Long::longValue).sum();
            long done = copiedSize();
            if (completed || total == 0 || done == 0 || startedAt == null || lastAt == null) {
                return Optional.empty();
            }
            long elapsed = Duration.between(startedAt, lastAt).toMillis();
            return Optional.of(Duration.ofMillis(Math.round(elapsed * (double) (total - done) / done)));
        }

        /**
         * The words of {@code status} and {@code watch}, e.g.
         * {@code 3 of 12 tables copied (25 % of 80.0 MB on the source), 1,204 rows, 45.2 MB at 12.3 MB/s, about 2 min 10.000 s left}.
         */
        public String describe() {
            var text = new StringBuilder().append(tables());
            if (tablesTotal > 0) {
                text.append(" of ").append(tablesTotal);
            }
            text.append(tables() == 1 && tablesTotal == 0 ? " table" : " tables").append(" copied");
            long total = sizes.values().stream().mapToLong(Long::longValue).sum();
            if (total > 0 && !completed) {
                text.append(String.format(Locale.ROOT, " (%d %% of %.1f MB on the source)", copiedSize() * 100 / total,
                        total / 1e6));
            }
            text.append(String.format(Locale.ROOT, ", %,d rows, %.1f MB", rows, bytes / 1e6));
            if (bytesPerSecond() > 0) {
                text.append(String.format(Locale.ROOT, " at %.1f MB/s", bytesPerSecond() / 1e6));
            }
            if (completed && !toSync.isEmpty()) {
                text.append(", resumed: ").append(toSync.size()).append(toSync.size() == 1 ? " table" : " tables")
                        .append(" left to table synchronisation while streaming starts (")
                        .append(String.join(", ", toSync)).append(')');
            } else if (completed) {
                text.append(", done");
            }
            left().ifPresent(left -> text.append(", about ").append(Times.length(left)).append(" left"));
            return text.toString();
        }
    }

    /** The advice once a clean-up removed what the migration left on both servers, its tables on the target too. */
    static final String CLEANED_UP = "The clean-up is done (the cleanup lines say what it found); once the cause of"
            + " the stop is dealt with, run cutoverctl migrate start for a new migration.";

    public static MigrationSummary empty(String migrationId) {
        return new MigrationSummary(migrationId, null, null, null, null, null, null, null, 0, null, Load.NONE,
                Outcome.RUNNING, null, null, null, null, null, null, List.of(), false, null, false, List.of(), 0, 0);
    }

    public static MigrationSummary of(String migrationId, Collection<? extends LoggedRecord> records) {
        var summary = empty(migrationId);
        for (var record : CutoverSummary.inOrder(records)) {
            summary = summary.with(record);
        }
        return summary;
    }

    @Override
    public String noun() {
        return "migration";
    }

    @Override
    public String id() {
        return migrationId;
    }

    @Override
    public String statusCommand() {
        return "cutoverctl migrate status --migration " + migrationId;
    }

    @Override
    public MigrationSummary with(LoggedRecord record) {
        if (!(record instanceof Decoded decoded)) {
            return new MigrationSummary(migrationId, database, operator, reason, startedAt, lastAt, lastType, step,
                    attempt, stepStartedAt, load, outcome, endedAt, readyAt, lastFailure, stopReason, operatorAction,
                    abortedBy, cleanup, dryRun, plan, preflightRan, findings, messages, undecodable + 1);
        }
        var at = decoded.occurredAt();
        String database = this.database == null ? decoded.metadata().getDatabase() : this.database;
        String operator = this.operator;
        String reason = this.reason;
        Instant startedAt = this.startedAt == null || at.isBefore(this.startedAt) ? at : this.startedAt;
        Instant lastAt = this.lastAt;
        String lastType = this.lastType;
        if (lastAt == null || !at.isBefore(lastAt)) {
            lastAt = at;
            lastType = decoded.type();
        }
        String step = this.step;
        int attempt = this.attempt;
        Instant stepStartedAt = this.stepStartedAt;
        Load load = this.load;
        Outcome outcome = this.outcome;
        Instant endedAt = this.endedAt;
        Instant readyAt = this.readyAt;
        String lastFailure = this.lastFailure;
        String stopReason = this.stopReason;
        String operatorAction = this.operatorAction;
        String abortedBy = this.abortedBy;
        List<String> cleanup = this.cleanup;
        boolean dryRun = this.dryRun;
        MigrationPlanReported plan = this.plan;
        boolean preflightRan = this.preflightRan;
        List<String> findings = this.findings;
        switch (decoded.message()) {
            case StartMigration start -> {
                operator = start.getOperator();
                reason = start.getReason();
                startedAt = at;
                dryRun = start.getDryRun();
            }
            case PreflightReported report when "MIGRATION".equals(report.getScope()) -> {
                preflightRan = true;
                findings = report.getFindings().stream().map(MigrationSummary::describe).toList();
            }
            case MigrationPlanReported reported -> {
                plan = reported;
                dryRun = true;
            }
            case MigrationStarted started -> operator = operator == null ? started.getOperator() : operator;
            case MigrationPlanned planned -> {
                dryRun = dryRun || planned.getDryRun();
                step = "PREFLIGHT";
                attempt = 1;
                stepStartedAt = at;
            }
            case MigrationStepStarted started -> {
                step = started.getStep();
                attempt = started.getAttempt();
                stepStartedAt = at;
                if ("FULL_LOAD".equals(step) && load.startedAt() == null) {
                    load = load.startedAt(at);
                }
            }
            case TableCopied copied -> load = load.withTable(copied, at);
            case FullLoadSized sized -> load = load.sized(sized);
            case FullLoadCompleted completed -> load = load.completed(completed);
            case FullLoadResumed resumed -> load = load.resumed(resumed);
            case StepFailed failed -> lastFailure = failed.getStep() + " failed: " + failed.getReason();
            case MigrationStepRetrying retrying -> lastFailure = retrying.getStep() + " attempt " + retrying.getAttempt()
                    + " failed, tried again at " + retrying.getRetryAt() + ": " + retrying.getReason();
            case MigrationRejected rejected -> {
                lastFailure = "rejected: " + rejected.getReason();
                if (step == null) {
                    outcome = Outcome.REJECTED;
                    endedAt = at;
                }
            }
            case MigrationStopped stopped -> {
                stopReason = stopped.getFailedStep() + ": " + stopped.getReason();
                lastFailure = stopReason;
                operatorAction = stopped.getOperatorAction();
            }
            case MigrationReady ready -> readyAt = readyAt == null ? at : readyAt;
            case AbortMigration abort -> abortedBy = abort.getOperator()
                    + (abort.getReason() == null ? "" : " ('" + abort.getReason() + "')")
                    + (abort.getDropTargetTables() ? ", dropping the target's tables" : "");
            case MigrationCleanedUp cleaned -> {
                cleanup = cleaned.getActions().stream().map(MigrationSummary::describe).toList();
                // A clean-up that went through makes an earlier failed one, and the advice to clean up, history.
                if (stopReason != null) {
                    lastFailure = stopReason;
                }
                if (cleaned.getActions().stream().noneMatch(MigrationSummary::keptTargetTables)) {
                    operatorAction = CLEANED_UP;
                }
            }
            default -> {
            }
        }
        var ended = Outcome.endedBy(decoded.message());
        if (ended.isPresent() && (!outcome.terminal() || abortedAfterReady(outcome, ended.get()))) {
            outcome = ended.get();
            endedAt = at;
        }
        return new MigrationSummary(migrationId, database, operator, reason, startedAt, lastAt, lastType, step,
                attempt, stepStartedAt, load, outcome, endedAt, readyAt, lastFailure, stopReason, operatorAction,
                abortedBy, cleanup, dryRun, plan, preflightRan, findings, messages + 1, undecodable);
    }

    /**
     * A ready migration can still be aborted (its replication removed before a cutover): the MigrationStopped that
     * follows wins, as cutover-service's state does. Every other end is final.
     */
    private static boolean abortedAfterReady(Outcome current, Outcome next) {
        return current == Outcome.READY && next == Outcome.STOPPED;
    }

    /** The target's tables left in place ({@code KEPT}): dropping them may still be what the advice asks for. */
    private static boolean keptTargetTables(CleanupAction action) {
        return "TARGET".equals(action.getServer()) && "TABLE".equals(action.getKind())
                && "KEPT".equals(action.getOutcome());
    }

    static String describe(CleanupAction action) {
        var outcome = switch (action.getOutcome()) {
            case "DROPPED" -> "dropped";
            case "NOT_PRESENT" -> "not present";
            case "KEPT" -> "kept";
            default -> action.getOutcome();
        };
        return action.getServer().toLowerCase(Locale.ROOT) + " " + action.getKind().toLowerCase(Locale.ROOT).replace('_', ' ') + " "
                + action.getName() + ": " + outcome + (action.getDetail() == null ? "" : " (" + action.getDetail() + ")");
    }

    /** "BLOCKER wal_level on server: ... (remedy: ...)": a finding and what to do about it, on one line. */
    static String describe(PreflightFinding finding) {
        return finding.getSeverity() + " " + finding.getCheck() + " on " + finding.getObject() + ": "
                + finding.getMessage() + (finding.getRemedy() == null || finding.getRemedy().isBlank() ? ""
                : " (remedy: " + finding.getRemedy() + ")");
    }

    /**
     * A dry run's plan as {@code migrate start --dry-run}, {@code migrate watch} and {@code migrate status} print it:
     * the schemas, the tables largest first with their sizes, the total, the predicted full-load time and every
     * finding with its remedy. Empty for a migration that is not a dry run.
     */
    @Override
    public List<String> report() {
        if (!dryRun) {
            return List.of();
        }
        var lines = new ArrayList<String>();
        lines.add(line("dry run", "nothing was changed on the source or the target"));
        if (plan != null) {
            lines.add(line("schemas", plan.getSchemas().isEmpty() ? "none" : String.join(", ", plan.getSchemas())));
            var tables = new ArrayList<>(plan.getTables());
            tables.sort(Comparator.comparingLong(PlannedTable::getBytes).reversed()
                    .thenComparing(PlannedTable::getTable));
            lines.add(line("tables", tables.size() + (tables.size() == 1 ? " table" : " tables")
                    + (tables.isEmpty() ? "" : ", largest first:")));
            int width = tables.stream().mapToInt(table -> table.getTable().length()).max().orElse(0);
            for (var table : tables) {
                lines.add(String.format(Locale.ROOT, "          %-" + width + "s  %10s  %s", table.getTable(),
                        size(table.getBytes()), table.getEstimatedRows() == null ? "rows unknown"
                                : String.format(Locale.ROOT, "~%,d rows", table.getEstimatedRows())));
            }
            lines.add(line("total", size(plan.getTotalBytes()) + " on the source"));
            lines.add(line("full load", "about " + Times.length(plan.getPredictedFullLoadMs()) + " at "
                    + size(plan.getFullLoadBytesPerSecond()) + "/s (cutover.migration.full-load-rate)"));
        }
        lines.add(line("findings", findingsLine()));
        findings.forEach(finding -> lines.add(line("", finding)));
        return lines;
    }

    /**
     * How many findings, or why there are none to show: {@code none} only when the preflight ran and found nothing,
     * so that a preflight that never ran (a refused login, an unreachable server) does not read as a clean one.
     */
    private String findingsLine() {
        if (!preflightRan && plan == null) {
            if (!outcome.terminal()) {
                return "not known yet: the preflight has not answered";
            }
            return "not known: the preflight did not run" + (lastFailure == null ? "" : " (" + lastFailure + ")");
        }
        return findings.isEmpty() ? "none" : findings.size() + (plan == null ? ""
                : ", " + plan.getBlockers() + (plan.getBlockers() == 1 ? " blocker" : " blockers"));
    }

    /** "57.0 MB": decimal units, as the load's progress prints them. */
    static String size(long bytes) {
        return bytes < 1_000_000 ? String.format(Locale.ROOT, "%.1f kB", bytes / 1e3)
                : bytes < 1_000_000_000 ? String.format(Locale.ROOT, "%.1f MB", bytes / 1e6)
                : String.format(Locale.ROOT, "%.2f GB", bytes / 1e9);
    }

    @Override
    public boolean found() {
        return messages > 0;
    }

    public Duration elapsed(Instant now) {
        return startedAt == null ? Duration.ZERO : Duration.between(startedAt, endedAt != null ? endedAt : now);
    }

    @Override
    public String ending(Instant now) {
        var line = new StringBuilder(outcome.words()).append(" after ").append(Times.length(elapsed(now)));
        if (outcome.exitCode() != 0 && lastFailure != null) {
            line.append(": ").append(lastFailure);
        }
        return line.toString();
    }

    /** After each copied table, where the load stands, so a long load shows its pace. */
    @Override
    public String line(Instant start, LoggedRecord record) {
        var line = ProgressLine.format(start, record);
        if (record instanceof Decoded decoded && decoded.message() instanceof TableCopied) {
            return line + "  [" + load.describe() + "]";
        }
        return line;
    }

    /** The lines {@code migrate status} prints. */
    public List<String> render(Instant now) {
        var lines = new ArrayList<String>();
        lines.add(line("migration", migrationId));
        if (!found()) {
            lines.add(line("result", "no messages found for this migration"));
            return lines;
        }
        lines.add(line("database", database));
        lines.add(line("operator", (operator == null ? "unknown (no StartMigration in the log)" : operator)
                + (reason == null ? "" : ", reason '" + reason + "'")));
        lines.add(line("started", String.valueOf(startedAt.truncatedTo(ChronoUnit.MILLIS))));
        lines.add(line("result", outcome.words() + (dryRun && !outcome.words().contains("dry run") ? " (dry run)"
                : "")));
        if (step != null) {
            lines.add(line("step", step + (attempt > 1 ? " (attempt " + attempt + ")" : "")
                    + (outcome.terminal() ? "" : ", for " + Times.length(Duration.between(stepStartedAt, now)))
                    + ", last " + lastType + " at " + Times.offset(Duration.between(startedAt, lastAt))));
        }
        if (load.startedAt() != null || load.tables() > 0) {
            lines.add(line("load", load.describe()));
        }
        lines.add(line("elapsed", Times.length(elapsed(now))));
        if (abortedBy != null) {
            lines.add(line("abort", "requested by " + abortedBy));
        }
        if (lastFailure != null) {
            lines.add(line("failure", lastFailure));
        }
        if (operatorAction != null && outcome == Outcome.STOPPED) {
            lines.add(line("next", operatorAction));
        }
        cleanup.forEach(action -> lines.add(line("cleanup", action)));
        lines.addAll(report());
        lines.add(line("messages", messages + (undecodable == 0 ? "" : ", and " + undecodable + " undecodable records")));
        return lines;
    }

    private static String line(String label, String value) {
        return CutoverSummary.line(label, value);
    }
}
