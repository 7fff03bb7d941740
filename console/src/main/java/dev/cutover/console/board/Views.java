package dev.cutover.console.board;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import dev.cutover.ctl.replay.Downtime;
import dev.cutover.ctl.replay.MigrationSummary;
import dev.cutover.ctl.replay.Outcome;
import dev.cutover.ctl.replay.Timeline;
import dev.cutover.ctl.replay.Times;
import dev.cutover.events.CutoverPlanned;
import dev.cutover.events.LagReported;
import dev.cutover.events.SagaSilent;

/** The JSON objects the page draws, built from cutoverctl's folds: the page computes nothing but pixels. */
final class Views {

    /** A migration's log can hold thousands of TableCopied: the page lists only the newest. */
    static final int MIGRATION_ENTRIES = 20;

    /** The producer the saga writes as: what it writes after a {@code SagaSilent} ends the silence. */
    private static final String SAGA = "cutover-service";

    private Views() {
    }

    static Map<String, Object> cutover(Timeline timeline) {
        var view = cutoverWithoutEntries(timeline);
        view.put("entries", entries(timeline, 0));
        view.put("undecodable", timeline.undecodable().size());
        return view;
    }

    /** A cutover's view but its messages: a replay sends those once, and each of its frames says how many it shows. */
    static Map<String, Object> cutoverWithoutEntries(Timeline timeline) {
        var summary = timeline.summary();
        var view = new LinkedHashMap<String, Object>();
        view.put("id", summary.cutoverId());
        view.put("database", summary.database());
        view.put("operator", summary.operator());
        view.put("dryRun", summary.dryRun());
        view.put("outcome", summary.outcome().name());
        view.put("outcomeWords", summary.outcome().words());
        view.put("currentStep", summary.currentStep());
        view.put("startedAt", timeline.firstAt().orElse(null));
        view.put("spanMs", span(timeline));
        view.put("stoppedOffsetMs", offset(timeline, summary.stoppedAt()));
        view.put("endedOffsetMs", offset(timeline, summary.endedAt()));
        view.put("downtimeMs", summary.knownDowntime().map(Downtime::millis).orElse(null));
        view.put("downtime", summary.knownDowntime().map(known -> Times.length(known.millis())).orElse(null));
        view.put("downtimeSource", summary.knownDowntime().map(Downtime::source).orElse(null));
        var planned = timeline.entries().stream().map(entry -> entry.record().message())
                .filter(CutoverPlanned.class::isInstance).map(CutoverPlanned.class::cast).reduce((first, last) -> last);
        view.put("predictedDowntimeMs", planned.map(CutoverPlanned::getPredictedDowntimeMs).orElse(null));
        view.put("predictedDowntime", planned.map(plan -> Times.length(plan.getPredictedDowntimeMs())).orElse(null));
        view.put("lastFailure", summary.lastFailure());
        view.put("steps", StepBar.of(timeline).stream().map(Views::bar).toList());
        view.put("stepDurationsMs", timeline.stepDurationsMs());
        view.put("silent", silence(timeline, summary.outcome()).orElse(null));
        return view;
    }

    /**
     * The watchdog's {@code SagaSilent} while it still holds: the cutover has not ended and the saga has written
     * nothing since, which is when the watchdog itself would count the silence as over.
     */
    private static Optional<Map<String, Object>> silence(Timeline timeline, Outcome outcome) {
        if (outcome.terminal()) {
            return Optional.empty();
        }
        Timeline.Entry reported = null;
        for (var entry : timeline.entries()) {
            if (entry.record().message() instanceof SagaSilent) {
                reported = entry;
            } else if (reported != null && SAGA.equals(entry.producer())) {
                reported = null;
            }
        }
        if (reported == null) {
            return Optional.empty();
        }
        var silent = (SagaSilent) reported.record().message();
        var view = new LinkedHashMap<String, Object>();
        view.put("offsetMs", reported.offset().toMillis());
        view.put("reportedAt", reported.record().occurredAt());
        view.put("lastEventType", silent.getLastEventType());
        view.put("lastStep", silent.getLastStep());
        view.put("lastEventAt", silent.getLastEventAt());
        view.put("silentForMs", silent.getSilentForMs());
        view.put("silentFor", Times.length(silent.getSilentForMs()));
        view.put("bound", Times.length(silent.getBoundMs()));
        view.put("action", silent.getAction());
        return Optional.of(view);
    }

    static Map<String, Object> migration(Timeline timeline, MigrationSummary summary) {
        var load = summary.load();
        var view = new LinkedHashMap<String, Object>();
        view.put("id", summary.migrationId());
        view.put("database", summary.database());
        view.put("operator", summary.operator());
        view.put("dryRun", summary.dryRun());
        view.put("outcome", summary.outcome().name());
        view.put("outcomeWords", summary.outcome().words());
        view.put("step", summary.step());
        view.put("attempt", summary.attempt());
        view.put("startedAt", summary.startedAt());
        view.put("lastAt", summary.lastAt());
        long total = load.sizes().values().stream().mapToLong(Long::longValue).sum();
        view.put("tables", load.tables());
        view.put("tablesTotal", load.tablesTotal());
        view.put("percent", load.completed() ? Integer.valueOf(100)
                : total == 0 ? null : Integer.valueOf((int) (load.copiedSize() * 100 / total)));
        view.put("leftMs", load.left().map(Duration::toMillis).orElse(null));
        view.put("eta", load.left().map(Times::length).orElse(null));
        view.put("progress", load.startedAt() == null ? null : load.describe());
        view.put("lastFailure", summary.lastFailure());
        view.put("operatorAction", summary.operatorAction());
        view.put("spanMs", span(timeline));
        view.put("steps", StepBar.ofMigration(timeline).stream().map(Views::bar).toList());
        view.put("entriesTotal", timeline.entries().size());
        view.put("entries", entries(timeline, Math.max(0, timeline.entries().size() - MIGRATION_ENTRIES)));
        return view;
    }

    static Map<String, Object> lag(String database, List<LagReported> reports) {
        var newest = reports.getLast();
        var view = new LinkedHashMap<String, Object>();
        view.put("database", database);
        view.put("engine", newest.getEngine());
        view.put("state", newest.getState());
        view.put("applyLagMs", newest.getApplyLagMs());
        view.put("slotLagBytes", newest.getSlotLagBytes());
        view.put("at", newest.getMetadata().getOccurredAt());
        var points = new ArrayList<Map<String, Object>>();
        for (var report : reports) {
            var point = new LinkedHashMap<String, Object>();
            point.put("at", report.getMetadata().getOccurredAt().toEpochMilli());
            point.put("applyLagMs", report.getApplyLagMs());
            point.put("slotLagBytes", report.getSlotLagBytes());
            points.add(point);
        }
        view.put("points", points);
        return view;
    }

    private static Map<String, Object> bar(StepBar bar) {
        var view = new LinkedHashMap<String, Object>();
        view.put("step", bar.step());
        view.put("startOffsetMs", bar.startOffsetMs());
        view.put("endOffsetMs", bar.endOffsetMs());
        view.put("state", bar.state().name());
        view.put("duration", bar.endOffsetMs() == null ? null : Times.length(bar.endOffsetMs() - bar.startOffsetMs()));
        return view;
    }

    static List<Map<String, Object>> entries(Timeline timeline, int from) {
        var entries = new ArrayList<Map<String, Object>>();
        for (var entry : timeline.entries().subList(from, timeline.entries().size())) {
            var view = new LinkedHashMap<String, Object>();
            view.put("offsetMs", entry.offset().toMillis());
            view.put("offset", Times.offset(entry.offset()));
            view.put("type", entry.type());
            view.put("kind", entry.kind());
            view.put("producer", entry.producer());
            view.put("summary", entry.summary());
            entries.add(view);
        }
        return entries;
    }

    private static long span(Timeline timeline) {
        return timeline.entries().isEmpty() ? 0 : timeline.entries().getLast().offset().toMillis();
    }

    private static Long offset(Timeline timeline, Instant at) {
        return at == null ? null : timeline.firstAt().map(first -> Duration.between(first, at).toMillis()).orElse(null);
    }
}
