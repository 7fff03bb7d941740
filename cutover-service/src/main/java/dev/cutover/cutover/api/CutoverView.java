package dev.cutover.cutover.api;

import java.time.Instant;

import dev.cutover.cutover.saga.Cutover;
import dev.cutover.cutover.saga.Fallback;

/**
 * What {@code GET /cutovers/{id}} shows: where a cutover stands, in words a dashboard can show as they are.
 *
 * @param status     NOT_STARTED, PREFLIGHT, RUNNING, COMPENSATING, TIDYING_UP, COMPLETED, ROLLED_BACK, PLANNED, REJECTED;
 *                   after a fallback was asked for, FALLING_BACK, FALLBACK_ROLLING_BACK, FELL_BACK (the source serves),
 *                   FALLBACK_ROLLED_BACK or FALLBACK_REFUSED (the target serves)
 * @param step       the step under way, or the one that failed (a fallback's step during and after a fallback)
 * @param downtimeMs the downtime so far or in the end, when known (the fallback's, once it ended)
 * @param reason     why it was rejected or rolled back
 */
record CutoverView(String cutoverId, String database, String operator, Instant startedAt, String status, String step,
        Long downtimeMs, String reason) {

    static CutoverView of(String cutoverId, Cutover state) {
        return switch (state) {
            case Cutover.NotStarted s -> new CutoverView(cutoverId, null, null, null, "NOT_STARTED", null, null, null);
            case Cutover.Preflight s -> view(cutoverId, s.progress(), "PREFLIGHT", "PREFLIGHT", null, null);
            case Cutover.Running s -> view(cutoverId, s.progress(), "RUNNING", s.step().name(), null,
                    s.failureNoted().orElse(null));
            case Cutover.Compensating s -> view(cutoverId, s.progress(), "COMPENSATING", s.failedStep().name(), null,
                    s.reason());
            case Cutover.TidyingUp s -> view(cutoverId, s.progress(), "TIDYING_UP", "TIDY_UP",
                    s.downtime().toMillis(), s.failureNoted().orElse(null));
            case Cutover.Completed s -> view(cutoverId, s.progress(), "COMPLETED", null, s.downtime().toMillis(), null);
            case Cutover.FallingBack s -> switch (s.fallback()) {
                case Fallback.Switching f -> view(cutoverId, s.progress(), "FALLING_BACK",
                        f.progress().inFlight().stream().findFirst().map(Enum::name).orElse(null), null, null);
                case Fallback.RollingBack f -> view(cutoverId, s.progress(), "FALLBACK_ROLLING_BACK",
                        f.failedStep().name(), null, f.reason());
                case Fallback.FellBack f -> view(cutoverId, s.progress(), "FELL_BACK", null,
                        f.downtime().toMillis(), null);
                case Fallback.RolledBack f -> view(cutoverId, s.progress(), "FALLBACK_ROLLED_BACK",
                        f.failedStep().name(), f.downtime().toMillis(), f.reason());
                case Fallback.Refused f -> view(cutoverId, s.progress(), "FALLBACK_REFUSED", "PREFLIGHT", null,
                        f.reason());
            };
            case Cutover.RolledBack s -> view(cutoverId, s.progress(), "ROLLED_BACK", s.failedStep().name(),
                    s.downtime().toMillis(), s.reason());
            case Cutover.Planned s -> view(cutoverId, s.progress(), "PLANNED", null,
                    s.predictedDowntime().toMillis(), null);
            case Cutover.Rejected s -> new CutoverView(cutoverId, s.database().value(), s.operator().value(),
                    s.progress().map(p -> p.started().startedAt()).orElse(null), "REJECTED", null, null, s.reason());
        };
    }

    private static CutoverView view(String cutoverId, dev.cutover.cutover.saga.Progress progress, String status,
            String step, Long downtimeMs, String reason) {
        return new CutoverView(cutoverId, progress.started().database().value(), progress.started().operator().value(),
                progress.started().startedAt(), status, step, downtimeMs, reason);
    }
}
