package dev.cutover.cutover.api;

import java.time.Instant;

import dev.cutover.cutover.migration.Migration;
import dev.cutover.cutover.migration.MigrationProgress;

/**
 * What {@code GET /migrations/{id}} shows: where a migration stands, as the saga's own events have it. How far the
 * full load got (tables, bytes, rate) is in the replicator's events, which {@code cutoverctl migrate status} folds.
 *
 * @param status         RUNNING, AWAITING_RETRY, READY, STOPPED or REJECTED
 * @param step           the step under way, or the one it stopped at
 * @param attempt        the step's attempt, from 1 (only data verification is attempted again)
 * @param reason         why it stopped or was rejected; for AWAITING_RETRY, what differed
 * @param operatorAction after a stop: what to clean up and how to start again
 */
record MigrationView(String migrationId, String database, String operator, Instant startedAt, String status,
        String step, Integer attempt, String reason, String operatorAction) {

    static MigrationView of(String migrationId, Migration state) {
        return switch (state) {
            case Migration.NotStarted s -> new MigrationView(migrationId, null, null, null, "NOT_STARTED", null, null,
                    null, null);
            case Migration.Running s -> view(migrationId, s.progress(), "RUNNING", s.step().name(), s.attempt(), null,
                    null);
            case Migration.AwaitingRetry s -> view(migrationId, s.progress(), "AWAITING_RETRY", s.step().name(),
                    s.attempt(), s.mismatches().size() + " table(s) differed; attempt " + (s.attempt() + 1) + " at "
                            + s.retryAt(), null);
            case Migration.Ready s -> view(migrationId, s.progress(), "READY", null, null, null, null);
            case Migration.Stopped s -> view(migrationId, s.progress(), "STOPPED", s.failedStep().name(), null,
                    s.reason(), s.operatorAction());
            case Migration.Rejected s -> new MigrationView(migrationId, s.database().value(), s.operator().value(),
                    null, "REJECTED", null, null, s.reason(), null);
        };
    }

    private static MigrationView view(String migrationId, MigrationProgress progress, String status, String step,
            Integer attempt, String reason, String operatorAction) {
        return new MigrationView(migrationId, progress.started().database().value(),
                progress.started().operator().value(), progress.started().startedAt(), status, step, attempt, reason,
                operatorAction);
    }
}
