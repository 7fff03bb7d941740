package dev.cutover.cutover.api;

import java.time.Instant;
import java.util.Comparator;
import java.util.List;

import dev.cutover.cutover.migration.Migration;
import dev.cutover.cutover.migration.MigrationEvent.MigrationPlanReported;
import dev.cutover.cutover.migration.MigrationProgress;
import dev.cutover.cutover.migration.SourceLoad;

/**
 * What {@code GET /migrations/{id}} shows: where a migration stands, as the saga's own events have it. How far the
 * full load got (tables, bytes, rate) is in the replicator's events, which {@code cutoverctl migrate status} folds.
 *
 * @param status         RUNNING, AWAITING_RETRY, READY, PLANNED (a dry run without blockers), STOPPED or REJECTED
 * @param step           the step under way, or the one it stopped at
 * @param attempt        the step's attempt, from 1 (only data verification is attempted again)
 * @param reason         why it stopped or was rejected; for AWAITING_RETRY, what differed
 * @param operatorAction after a stop: what to clean up and how to start again
 * @param dryRun         whether it only plans (null for a rejected start, whose plan was never made)
 * @param plan           a dry run's answer, once reported
 */
record MigrationView(String migrationId, String database, String operator, Instant startedAt, String status,
        String step, Integer attempt, String reason, String operatorAction, Boolean dryRun, PlanView plan) {

    /**
     * A dry run's plan; the findings themselves are in schema-service's {@code PreflightReported}.
     *
     * @param tables                 largest first
     * @param fullLoadBytesPerSecond the pace the prediction assumed
     */
    record PlanView(int findings, int blockers, List<String> schemas, List<TableView> tables, long totalBytes,
            long fullLoadBytesPerSecond, String fullLoadRate, long predictedFullLoadMs) {
    }

    /** @param estimatedRows PostgreSQL's estimate; null when the source has none */
    record TableView(String table, long bytes, Long estimatedRows) {
    }

    /** Whether the migration only plans: a dry run can never be aborted once it has answered. */
    boolean isDryRun() {
        return Boolean.TRUE.equals(dryRun);
    }

    static MigrationView of(String migrationId, Migration state) {
        return switch (state) {
            case Migration.NotStarted s -> new MigrationView(migrationId, null, null, null, "NOT_STARTED", null, null,
                    null, null, null, null);
            case Migration.Running s -> view(migrationId, s.progress(), "RUNNING", s.step().name(), s.attempt(), null,
                    null);
            case Migration.AwaitingRetry s -> view(migrationId, s.progress(), "AWAITING_RETRY", s.step().name(),
                    s.attempt(), s.mismatches().size() + " table(s) differed; attempt " + (s.attempt() + 1) + " at "
                            + s.retryAt(), null);
            case Migration.Ready s -> view(migrationId, s.progress(), "READY", null, null, null, null);
            case Migration.Planned s -> view(migrationId, s.progress(), "PLANNED", null, null, null, null);
            case Migration.Stopped s -> view(migrationId, s.progress(), "STOPPED", s.failedStep().name(), null,
                    s.reason(), s.operatorAction());
            case Migration.Rejected s -> new MigrationView(migrationId, s.database().value(), s.operator().value(),
                    null, "REJECTED", null, null, s.reason(), null, null, null);
        };
    }

    private static MigrationView view(String migrationId, MigrationProgress progress, String status, String step,
            Integer attempt, String reason, String operatorAction) {
        return new MigrationView(migrationId, progress.started().database().value(),
                progress.started().operator().value(), progress.started().startedAt(), status, step, attempt, reason,
                operatorAction, progress.plan().dryRun(), progress.planReport().map(MigrationView::plan).orElse(null));
    }

    private static PlanView plan(MigrationPlanReported report) {
        SourceLoad load = report.load();
        List<TableView> tables = load.tables().stream()
                .sorted(Comparator.comparingLong(SourceLoad.Table::bytes).reversed()
                        .thenComparing(SourceLoad.Table::name))
                .map(table -> new TableView(table.name(), table.bytes(),
                        table.estimatedRows().isPresent() ? table.estimatedRows().getAsLong() : null))
                .toList();
        return new PlanView(report.findings(), report.blockers(), load.schemas(), tables, load.totalBytes(),
                report.rate().bytesPerSecond(), report.rate().describe(), report.predictedFullLoad().toMillis());
    }
}
