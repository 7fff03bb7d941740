package dev.cutover.ctl.replay;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import dev.cutover.events.CutoverCompleted;

/**
 * The whole log of one cutover replayed: commands and events merged in the order they happened, each with its time
 * from the first message, then the downtime and how long each step took.
 *
 * @param stepDurationsMs by step, in the order the steps run: the saga's own figures from {@code CutoverCompleted}
 *                        when it got that far, otherwise each command's time until its first answer
 * @param stepSource      which of the two {@code stepDurationsMs} holds
 * @param migration       the migration's own summary when the id is a migration's, which has no downtime and
 *                        states of its own
 */
public record Timeline(
        CutoverSummary summary,
        List<Entry> entries,
        List<Undecodable> undecodable,
        Map<String, Long> stepDurationsMs,
        String stepSource,
        Optional<MigrationSummary> migration) {

    /** The steps of a cutover in the order they run, to list the saga's step timings in that order. */
    private static final List<String> STEP_ORDER = List.of("preflight", "flipdns", "stoptraffic", "writecanary",
            "syncsequences", "awaitcatchup", "opentarget", "awaittraffic", "tidyup");

    /**
     * One message of the timeline.
     *
     * @param offset time since the cutover's first message
     */
    public record Entry(Duration offset, Decoded record, String summary) {

        public String type() {
            return record.type();
        }

        public String producer() {
            return record.metadata().getProducer();
        }

        public String kind() {
            return record.isCommand() ? "command" : "event";
        }
    }

    public Timeline {
        entries = List.copyOf(entries);
        undecodable = List.copyOf(undecodable);
        stepDurationsMs = Collections.unmodifiableMap(new LinkedHashMap<>(stepDurationsMs));
    }

    public static Timeline of(String cutoverId, Collection<? extends LoggedRecord> records) {
        var ordered = CutoverSummary.inOrder(records);
        var summary = CutoverSummary.of(cutoverId, ordered);
        var decoded = ordered.stream().filter(Decoded.class::isInstance).map(Decoded.class::cast).toList();
        var undecodable = ordered.stream().filter(Undecodable.class::isInstance).map(Undecodable.class::cast).toList();
        var entries = new ArrayList<Entry>();
        if (!decoded.isEmpty()) {
            var first = decoded.getFirst().occurredAt();
            for (var record : decoded) {
                entries.add(new Entry(Duration.between(first, record.occurredAt()), record, Summaries.of(record.message())));
            }
        }
        Optional<MigrationSummary> migration = decoded.stream()
                .anyMatch(record -> record.metadata().getMigrationId() != null && record.metadata().getCutoverId() == null)
                ? Optional.of(MigrationSummary.of(cutoverId, ordered)) : Optional.empty();
        var completed = decoded.stream().map(Decoded::message)
                .filter(CutoverCompleted.class::isInstance).map(CutoverCompleted.class::cast).findFirst();
        if (completed.isPresent() && !completed.get().getStepDurationsMs().isEmpty()) {
            return new Timeline(summary, entries, undecodable, inStepOrder(completed.get().getStepDurationsMs()),
                    "CutoverCompleted.stepDurationsMs", migration);
        }
        return new Timeline(summary, entries, undecodable, commandToAnswer(decoded), "each command to its first answer",
                migration);
    }

    /** {@code cutover} or {@code migration}: what the id turned out to name. */
    public String noun() {
        return migration.map(MigrationSummary::noun).orElse("cutover");
    }

    public Outcome outcome() {
        return migration.map(MigrationSummary::outcome).orElse(summary.outcome());
    }

    public Optional<Downtime> downtime() {
        return summary.knownDowntime();
    }

    public Optional<Instant> firstAt() {
        return entries.isEmpty() ? Optional.empty() : Optional.of(entries.getFirst().record().occurredAt());
    }

    /**
     * A command's duration is until the first event that names it as its cause: that is what a participant took,
     * which is what an operator compares between rehearsals when the saga did not get far enough to report.
     */
    static Map<String, Long> commandToAnswer(List<Decoded> decoded) {
        var commands = new LinkedHashMap<String, Decoded>();
        for (var record : decoded) {
            if (record.isCommand()) {
                commands.put(record.metadata().getMessageId().toString(), record);
            }
        }
        var durations = new LinkedHashMap<String, Long>();
        var answered = new HashMap<String, Instant>();
        for (var record : decoded) {
            var cause = record.metadata().getCausationId();
            if (record.isEvent() && cause != null && commands.containsKey(cause) && !answered.containsKey(cause)) {
                answered.put(cause, record.occurredAt());
            }
        }
        for (var command : commands.entrySet()) {
            var answer = answered.get(command.getKey());
            if (answer != null) {
                durations.merge(command.getValue().type(),
                        Duration.between(command.getValue().occurredAt(), answer).toMillis(), Long::sum);
            }
        }
        return durations;
    }

    private static Map<String, Long> inStepOrder(Map<String, Long> durations) {
        var keys = new ArrayList<>(durations.keySet());
        keys.sort(Comparator.comparingInt(Timeline::stepRank).thenComparing(Comparator.naturalOrder()));
        var ordered = new LinkedHashMap<String, Long>();
        keys.forEach(key -> ordered.put(key, durations.get(key)));
        return ordered;
    }

    /** Matches both spellings a step goes by: the saga's {@code STOP_TRAFFIC} and the command's {@code StopTraffic}. */
    private static int stepRank(String step) {
        var rank = STEP_ORDER.indexOf(step.replaceAll("[^A-Za-z0-9]", "").toLowerCase(Locale.ROOT));
        return rank < 0 ? STEP_ORDER.size() : rank;
    }

    /** The timeline as text: a header, one line per message, then downtime and steps. */
    public List<String> render() {
        var lines = new ArrayList<String>();
        if (entries.isEmpty() && undecodable.isEmpty()) {
            lines.add(noun() + " " + summary.cutoverId() + ": no messages found");
            return lines;
        }
        lines.add(noun() + " " + summary.cutoverId() + "  database " + summary.database()
                + firstAt().map(at -> "  started " + at).orElse("") + "  " + outcome().words()
                + (migration.filter(MigrationSummary::dryRun).isPresent() && !outcome().words().contains("dry run")
                        ? "  (dry run)" : ""));
        int typeWidth = entries.stream().mapToInt(entry -> entry.type().length()).max().orElse(4);
        int producerWidth = entries.stream().mapToInt(entry -> entry.producer().length()).max().orElse(8);
        for (var entry : entries) {
            lines.add(String.format("  %-10s %-" + typeWidth + "s  %-" + producerWidth + "s  %s",
                    Times.offset(entry.offset()), entry.type(), entry.producer(), entry.summary()).stripTrailing());
        }
        for (var record : undecodable) {
            lines.add("  " + record.describe());
        }
        if (migration.isEmpty()) {
            lines.add("downtime  " + downtime().map(Downtime::toString).orElse(summary.stoppedAt() == null
                    ? "none (traffic was never stopped)" : "unknown (traffic not resumed yet)"));
        }
        if (!stepDurationsMs.isEmpty()) {
            lines.add("steps     (" + stepSource + ")");
            int stepWidth = stepDurationsMs.keySet().stream().mapToInt(String::length).max().orElse(4);
            stepDurationsMs.forEach((step, millis) ->
                    lines.add(String.format("  %-" + stepWidth + "s  %s", step, Times.length(millis))));
        }
        return lines;
    }

    /** The timeline as one JSON object, every message with its full value, for scripts and dashboards. */
    public String toJson() {
        var json = new LinkedHashMap<String, Object>();
        json.put(noun() + "Id", summary.cutoverId());
        json.put("kind", noun());
        json.put("database", summary.database());
        json.put("startedAt", firstAt().orElse(null));
        json.put("outcome", outcome().name());
        var items = new ArrayList<Map<String, Object>>();
        for (var entry : entries) {
            var item = new LinkedHashMap<String, Object>();
            item.put("offsetMs", entry.offset().toMillis());
            item.put("occurredAt", entry.record().occurredAt());
            item.put("type", entry.type());
            item.put("kind", entry.kind());
            item.put("producer", entry.producer());
            item.put("summary", entry.summary());
            item.put("topic", entry.record().position().topic());
            item.put("partition", entry.record().position().partition());
            item.put("offset", entry.record().position().offset());
            item.put("value", entry.record().message());
            items.add(item);
        }
        json.put("messages", items);
        var broken = new ArrayList<Map<String, Object>>();
        for (var record : undecodable) {
            var item = new LinkedHashMap<String, Object>();
            item.put("topic", record.position().topic());
            item.put("partition", record.position().partition());
            item.put("offset", record.position().offset());
            item.put("problem", record.problem());
            broken.add(item);
        }
        json.put("undecodable", broken);
        json.put("downtimeMs", downtime().map(Downtime::millis).orElse(null));
        json.put("downtimeSource", downtime().map(Downtime::source).orElse(null));
        json.put("stepDurationsMs", stepDurationsMs);
        json.put("stepSource", stepSource);
        return Json.write(json);
    }
}
