package dev.cutover.sandbox.report;

import dev.cutover.sandbox.client.ClientRecord;
import dev.cutover.sandbox.client.FailureCause;
import dev.cutover.sandbox.client.Server;
import java.io.PrintStream;
import java.sql.Connection;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalLong;
import java.util.stream.Collectors;

/**
 * The rehearsal's verdict: what the client saw during the cutover and whether every acknowledged write survived.
 *
 * <p>{@link #text()} is for people; its last line is {@link #json()}, one JSON object for scripts and benchmarks.
 * {@link #exitCode()} is non-zero when an acknowledged write is missing or different, when the rows could not be
 * checked, or when the source acknowledged a write after the fence.
 */
public final class Report {

    private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm:ss.SSS").withZone(ZoneId.systemDefault());

    private final ReportInputs inputs;
    private final ClientFigures figures;
    private final InstanceFigures instances;
    private final RowCheck rows;

    /** {@code null} without {@code --then-fallback}. */
    private final FallbackFigures fallback;

    private Report(ReportInputs inputs, ClientFigures figures, RowCheck rows) {
        this(inputs, figures, rows, null);
    }

    private Report(ReportInputs inputs, ClientFigures figures, RowCheck rows, FallbackFigures fallback) {
        this.inputs = inputs;
        this.figures = figures;
        ClientRecord record = inputs.client();
        this.instances = InstanceFigures.of(record.instanceCount(), record.attempts().toList(), record.startNanoTime(),
                figures.windowStartNanos(), record.stopNanoTime());
        this.rows = rows;
        this.fallback = fallback;
    }

    /**
     * The report of a completed cutover followed by a fallback: every write the client was told it made, before, during
     * and after both switches, is checked on {@code serving}, the server that serves at the end (the source once the
     * fallback completed, the target again after it rolled back).
     */
    public static Report afterFallback(ReportInputs inputs, Connection connection, Server serving,
            FallbackFigures fallback) {
        RowCheck rows = RowCheck.of(inputs.client(), connection, serving);
        return new Report(inputs, ClientFigures.of(inputs), rows, fallback.withLostWrites(rows.lost()));
    }

    /**
     * Computes the report. The rows are checked on the target after a completed cutover, on the source after a
     * rollback, and after a failure on the server that acknowledged the client's last write (the source if none did);
     * only that server's connection is used, and it may be {@code null} for the other.
     */
    public static Report create(ReportInputs inputs, Connection source, Connection target) {
        ClientFigures figures = ClientFigures.of(inputs);
        Server holder = holderOfTheData(inputs);
        Connection connection = holder == Server.TARGET ? target : source;
        if (connection == null) {
            throw new IllegalArgumentException("the rows must be checked on the " + holder.name().toLowerCase()
                    + " after a cutover that " + inputs.result().json() + ", but no connection to it was given");
        }
        return new Report(inputs, figures, RowCheck.of(inputs.client(), connection, holder));
    }

    private static Server holderOfTheData(ReportInputs inputs) {
        return switch (inputs.result()) {
            case COMPLETED -> Server.TARGET;
            case ROLLED_BACK -> Server.SOURCE;
            case FAILED -> {
                ClientRecord record = inputs.client();
                yield record.ackCount() > 0 && record.ackServer(record.ackCount() - 1) == Server.TARGET ? Server.TARGET : Server.SOURCE;
            }
        };
    }

    public CutoverResult result() {
        return inputs.result();
    }

    /** The longest time without an acknowledged write during the cutover, in ms. */
    public long clientDowntimeMs() {
        return millis(figures.downtimeNanos());
    }

    /** First to last failed attempt during the cutover, in ms; 0 without failures. */
    public long errorWindowMs() {
        return millis(figures.errorWindowNanos());
    }

    /** How many application instances the client's workers were split over. */
    public int instances() {
        return instances.instances().size();
    }

    /** Statements that returned an error to the application, from the cutover's start on, all instances together. */
    public long failedStatements() {
        return instances.failedStatements();
    }

    /** The longest client downtime of any one instance, in ms. */
    public long maxInstanceDowntimeMs() {
        return millis(instances.maxDowntimeNanos());
    }

    /** The median over instances of each one's longest downtime, in ms. */
    public long medianInstanceDowntimeMs() {
        return millis(instances.medianDowntimeNanos());
    }

    /** The longest any instance waited for one statement to finish (checkout included), from the cutover's start on, in ms. */
    public long maxStallMs() {
        return millis(instances.maxStallNanos());
    }

    /** The median over instances of each one's longest wait for one statement, in ms. */
    public long medianInstanceStallMs() {
        return millis(instances.medianStallNanos());
    }

    /** Acknowledged writes, inserts and updates. */
    public long ackedWrites() {
        return figures.acked();
    }

    /** Acknowledged rows missing or different on the server that holds the data; -1 if they could not be checked. */
    public long lostWrites() {
        return rows.lost();
    }

    /** The fallback's client-observed downtime ({@code --then-fallback}); empty without one. */
    public OptionalLong fallbackClientDowntimeMs() {
        return fallback == null ? OptionalLong.empty() : OptionalLong.of(fallback.clientDowntimeMs());
    }

    /** With {@code --then-fallback}, the cutover's own downtime, before the fallback was asked for; empty without. */
    public OptionalLong cutoverClientDowntimeMs() {
        return fallback == null ? OptionalLong.empty() : OptionalLong.of(fallback.cutoverClientDowntimeMs());
    }

    public RowCheck rowCheck() {
        return rows;
    }

    /** Writes the source acknowledged after the fence. */
    public long writesAfterFence() {
        return figures.writesAfterFence();
    }

    /** Duplicate-key failures from the start of the cutover on. */
    public long duplicateKeyErrors() {
        return figures.duplicateKeysInWindow();
    }

    /** Fence start to DNS flipped in ms, negative when the flip landed first; empty when either never happened. */
    public OptionalLong fenceToFlipMs() {
        Duration fenceToFlip = inputs.effectiveFenceToFlip();
        return fenceToFlip == null ? OptionalLong.empty() : OptionalLong.of(fenceToFlip.toMillis());
    }

    /**
     * From the source fenced to the target open: the switch's own time, which the applications wait out before their
     * next login can succeed, without their pool's reconnection schedule on top.
     */
    public OptionalLong fencedToOpenMs() {
        return inputs.fenceAt() == null || inputs.targetOpenedAt() == null ? OptionalLong.empty()
                : OptionalLong.of(Duration.between(inputs.fenceAt(), inputs.targetOpenedAt()).toMillis());
    }

    /** The fence itself: {@code StopTraffic} sent to {@code TrafficStopped}, source fenced and sessions gone. */
    public OptionalLong fenceMs() {
        return between(inputs.fenceStartedAt(), inputs.fenceAt());
    }

    /** From the fence's start to the last client connection's first write on the target: when all were back. */
    public OptionalLong lastWorkerBackMs() {
        return between(inputs.fenceStartedAt(), inputs.client().lastWorkerFirstOnTarget().orElse(null));
    }

    /** From the operator's {@code StartCutover} to {@code DnsFlipped}. */
    public OptionalLong startToFlipMs() {
        return between(inputs.startRequestedAt(), inputs.flippedAt());
    }

    /** How long {@code cutoverctl start} took to return to the operator. */
    public OptionalLong cutoverctlStartMs() {
        return inputs.cutoverctlStart() == null ? OptionalLong.empty() : OptionalLong.of(inputs.cutoverctlStart().toMillis());
    }

    private static OptionalLong between(Instant from, Instant to) {
        return from == null || to == null ? OptionalLong.empty() : OptionalLong.of(Duration.between(from, to).toMillis());
    }

    public long acksBy(Server server) {
        return switch (server) {
            case SOURCE -> figures.bySource();
            case TARGET -> figures.byTarget();
            case OTHER -> figures.byOther();
        };
    }

    /** 0 when nothing was lost and nothing was written after the fence; 1 otherwise, or when the rows were not checked. */
    public int exitCode() {
        return rows.lost() == 0 && figures.writesAfterFence() == 0 ? 0 : 1;
    }

    /** Prints {@link #text()}. */
    public void print(PrintStream out) {
        out.print(text());
        out.flush();
    }

    /** The report for people, ending with the {@link #json()} line. */
    public String text() {
        ClientRecord record = inputs.client();
        List<String> lines = new ArrayList<>();
        lines.add("Rehearsal report: cutover " + inputs.result().json());
        lines.addAll(timeline());
        double seconds = record.duration().toNanos() / 1e9;
        lines.add(row("client", String.format(Locale.ROOT, "%d workers, %,.0f tx/s asked, %,.0f tx/s done over %.1f s",
                record.settings().workers(), record.settings().transactionsPerSecond(), figures.acked() / seconds, seconds)));
        lines.add(row("acknowledged writes", String.format(Locale.ROOT, "%,d (%,d inserts, %,d updates): source %,d, target %,d%s",
                figures.acked(), figures.inserts(), figures.updates(), figures.bySource(), figures.byTarget(),
                figures.byOther() > 0 ? ", unknown server " + figures.byOther() : "")));
        lines.add(row("client-observed downtime", figures.downtimeNanos() == 0 ? "none"
                : String.format(Locale.ROOT, "%,d ms, %s -> %s (longest gap before the cutover: %,d ms)", clientDowntimeMs(),
                        clock(figures.downtimeFromNanos()), clock(figures.downtimeToNanos()), millis(figures.steadyLongestGapNanos()))));
        lines.add(row("error window", figures.failuresInWindow() == 0 ? "no failed attempts"
                : String.format(Locale.ROOT, "%,d ms, %s -> %s, %,d failed attempts%s", errorWindowMs(),
                        clock(figures.firstFailureNanos()), clock(figures.lastFailureNanos()), figures.failuresInWindow(), causes())));
        if (instances() > 1) {
            lines.add(row("instances", String.format(Locale.ROOT,
                    "%d: downtime max %,d ms, median %,d ms; longest stall max %,d ms, median %,d ms; %,d failed statements",
                    instances(), maxInstanceDowntimeMs(), medianInstanceDowntimeMs(), maxStallMs(), medianInstanceStallMs(),
                    failedStatements())));
            for (int i = 0; i < instances(); i++) {
                InstanceFigures.Instance instance = instances.instances().get(i);
                lines.add(row("", String.format(Locale.ROOT, "instance %d: downtime %,d ms, longest stall %,d ms, %,d failed", i,
                        millis(instance.downtimeNanos()), millis(instance.longestStallNanos()), instance.failedStatements())));
            }
        }
        lines.add(row("lost writes", lostLine()));
        rows.examples().forEach(example -> lines.add(row("", example)));
        lines.add(row("writes after fence", inputs.fenceAt() == null ? "no fence time given"
                : figures.writesAfterFence() == 0 ? "0" : figures.writesAfterFence() + ", e.g. " + String.join(", ", figures.afterFenceExamples())));
        lines.add(row("duplicate-key errors", String.format(Locale.ROOT, "%,d during the cutover (%,d in the whole run)",
                figures.duplicateKeysInWindow(), figures.duplicateKeysTotal())));
        if (record.updatesFindingNoRow() > 0) {
            lines.add(row("updates finding no row", String.format(Locale.ROOT, "%,d (their rows were acknowledged, then gone)", record.updatesFindingNoRow())));
        }
        OptionalLong fenceToFlip = fenceToFlipMs();
        lines.add(row("fence to flip", fenceToFlip.isEmpty() ? "unknown"
                : fenceToFlip.getAsLong() < 0
                        ? String.format(Locale.ROOT, "%,d ms (the flip landed %,d ms before the fence began)",
                                fenceToFlip.getAsLong(), -fenceToFlip.getAsLong())
                        : String.format(Locale.ROOT, "%,d ms", fenceToFlip.getAsLong())));
        OptionalLong fencedToOpen = fencedToOpenMs();
        lines.add(row("fenced to open", fencedToOpen.isEmpty() ? "the target never opened"
                : String.format(Locale.ROOT, "%,d ms (source fenced -> target open)", fencedToOpen.getAsLong())));
        fenceMs().ifPresent(ms -> lines.add(row("fence", String.format(Locale.ROOT, "%,d ms (StopTraffic -> TrafficStopped)", ms))));
        lastWorkerBackMs().ifPresent(ms -> lines.add(row("last worker back", String.format(Locale.ROOT,
                "%,d ms (fence start -> the last client connection's first write on the target)", ms))));
        startToFlipMs().ifPresent(ms -> lines.add(row("start to flip", String.format(Locale.ROOT, "%,d ms (StartCutover -> DnsFlipped)", ms))));
        cutoverctlStartMs().ifPresent(ms -> lines.add(row("cutoverctl start", String.format(Locale.ROOT, "%,d ms to return", ms))));
        if (fallback != null) {
            lines.add(row("fallback", String.format(Locale.ROOT, "%s, client-observed downtime %,d ms (the cutover's %,d ms),"
                    + " rows checked on the %s", fallback.result(), fallback.clientDowntimeMs(),
                    fallback.cutoverClientDowntimeMs(), rows.checkedOn().name().toLowerCase())));
        }
        lines.add(row("verdict", exitCode() == 0 ? "PASS: nothing lost, nothing written after the fence" : "FAIL"));
        lines.add(json());
        return String.join(System.lineSeparator(), lines) + System.lineSeparator();
    }

    private static Long orNull(OptionalLong value) {
        return value.isPresent() ? value.getAsLong() : null;
    }

    /** One JSON object with every figure; names are stable, scripts read them. */
    public String json() {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("result", inputs.result().json());
        fields.put("clientDowntimeMs", clientDowntimeMs());
        fields.put("errorWindowMs", errorWindowMs());
        fields.put("ackedWrites", ackedWrites());
        fields.put("lostWrites", rows.ran() ? rows.lost() : null);
        fields.put("writesAfterFence", writesAfterFence());
        fields.put("duplicateKeyErrors", duplicateKeyErrors());
        fields.put("fenceToFlipMs", fenceToFlipMs().isPresent() ? fenceToFlipMs().getAsLong() : null);
        fields.put("fencedToOpenMs", fencedToOpenMs().isPresent() ? fencedToOpenMs().getAsLong() : null);
        fields.put("fenceMs", orNull(fenceMs()));
        fields.put("lastWorkerBackMs", orNull(lastWorkerBackMs()));
        fields.put("startToFlipMs", orNull(startToFlipMs()));
        fields.put("cutoverctlStartMs", orNull(cutoverctlStartMs()));
        fields.put("missingRows", rows.ran() ? rows.missing() : null);
        fields.put("differentRows", rows.ran() ? rows.different() : null);
        fields.put("checkedRows", rows.rows());
        fields.put("checkedOn", rows.checkedOn().name().toLowerCase());
        fields.put("acksBySource", figures.bySource());
        fields.put("acksByTarget", figures.byTarget());
        fields.put("failedAttempts", figures.failuresInWindow());
        fields.put("duplicateKeyErrorsTotal", figures.duplicateKeysTotal());
        fields.put("updatesFindingNoRow", inputs.client().updatesFindingNoRow());
        fields.put("steadyLongestGapMs", millis(figures.steadyLongestGapNanos()));
        fields.put("clientDurationMs", inputs.client().duration().toMillis());
        fields.put("instances", instances());
        fields.put("failedStatements", failedStatements());
        fields.put("maxInstanceDowntimeMs", maxInstanceDowntimeMs());
        fields.put("medianInstanceDowntimeMs", medianInstanceDowntimeMs());
        fields.put("maxStallMs", maxStallMs());
        fields.put("medianInstanceStallMs", medianInstanceStallMs());
        if (fallback != null) {
            fields.put("fallbackResult", fallback.result());
            fields.put("fallbackClientDowntimeMs", fallback.clientDowntimeMs());
            fields.put("fallbackLostWrites", fallback.lostWrites() < 0 ? null : fallback.lostWrites());
            fields.put("cutoverClientDowntimeMs", fallback.cutoverClientDowntimeMs());
        }
        fields.put("exitCode", exitCode());
        return fields.entrySet().stream()
                .map(field -> quote(field.getKey()) + ":" + value(field.getValue()))
                .collect(Collectors.joining(",", "{", "}"));
    }

    @Override
    public String toString() {
        return json();
    }

    private List<String> timeline() {
        ClientRecord record = inputs.client();
        List<TimelineEntry> entries = new ArrayList<>(inputs.timeline());
        if (inputs.cutoverStartedAt() != null) {
            entries.add(new TimelineEntry("cutover started", inputs.cutoverStartedAt()));
        }
        if (inputs.fenceAt() != null) {
            entries.add(new TimelineEntry("source fenced", inputs.fenceAt()));
        }
        if (inputs.flippedAt() != null) {
            entries.add(new TimelineEntry("DNS flipped", inputs.flippedAt()));
        }
        if (inputs.sourceRestoredAt() != null) {
            entries.add(new TimelineEntry("source restored", inputs.sourceRestoredAt()));
        }
        if (figures.firstFailureNanos() != 0) {
            entries.add(new TimelineEntry("client: first failed attempt", record.instantOf(figures.firstFailureNanos())));
            entries.add(new TimelineEntry("client: last failed attempt", record.instantOf(figures.lastFailureNanos())));
        }
        if (figures.lastSourceAckNanos() != 0 && figures.byTarget() > 0) {
            entries.add(new TimelineEntry("client: last write acknowledged by the source", record.instantOf(figures.lastSourceAckNanos())));
        }
        if (figures.firstTargetAckNanos() != 0) {
            entries.add(new TimelineEntry("client: first write acknowledged by the target", record.instantOf(figures.firstTargetAckNanos())));
        }
        if (entries.isEmpty()) {
            return List.of();
        }
        entries.sort(Comparator.comparing(TimelineEntry::at));
        Instant origin = inputs.cutoverStartedAt() != null ? inputs.cutoverStartedAt() : entries.get(0).at();
        List<String> lines = new ArrayList<>();
        lines.add("  timeline");
        for (TimelineEntry entry : entries) {
            lines.add(String.format(Locale.ROOT, "    %s  %+,7d ms  %s", CLOCK.format(entry.at()), Duration.between(origin, entry.at()).toMillis(), entry.what()));
        }
        return lines;
    }

    private String lostLine() {
        String where = "on the " + rows.checkedOn().name().toLowerCase();
        if (!rows.ran()) {
            return "NOT CHECKED: " + rows.error();
        }
        return String.format(Locale.ROOT, "%,d of %,d acknowledged rows checked %s (%,d missing, %,d with another status)",
                rows.lost(), rows.rows(), where, rows.missing(), rows.different());
    }

    private String causes() {
        ClientRecord record = inputs.client();
        Map<FailureCause, Long> counts = record.failures()
                .filter(failure -> failure.nanoTime() >= figures.windowStartNanos())
                .collect(Collectors.groupingBy(ClientRecord.FailedAttempt::cause, LinkedHashMap::new, Collectors.counting()));
        return counts.entrySet().stream()
                .map(cause -> (cause.getKey().sqlState().isEmpty() ? cause.getKey().exceptionClass() : cause.getKey().sqlState())
                        + " x" + cause.getValue() + " \"" + abbreviate(cause.getKey().exampleMessage()) + "\"")
                .collect(Collectors.joining("; ", ": ", ""));
    }

    private String clock(long nanoTime) {
        return CLOCK.format(inputs.client().instantOf(nanoTime));
    }

    private static String row(String label, String value) {
        return String.format(Locale.ROOT, "  %-26s %s", label, value);
    }

    private static String abbreviate(String message) {
        String oneLine = message.replaceAll("\\s+", " ");
        return oneLine.length() <= 80 ? oneLine : oneLine.substring(0, 77) + "...";
    }

    private static long millis(long nanos) {
        return Math.round(nanos / 1e6);
    }

    private static String value(Object value) {
        if (value == null) {
            return "null";
        }
        return value instanceof Number ? value.toString() : quote(value.toString());
    }

    private static String quote(String text) {
        StringBuilder quoted = new StringBuilder("\"");
        for (char c : text.toCharArray()) {
            switch (c) {
                case '"' -> quoted.append("\\\"");
                case '\\' -> quoted.append("\\\\");
                default -> {
                    if (c < 0x20) {
                        quoted.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
                    } else {
                        quoted.append(c);
                    }
                }
            }
        }
        return quoted.append('"').toString();
    }
}
