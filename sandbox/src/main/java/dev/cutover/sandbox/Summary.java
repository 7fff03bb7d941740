package dev.cutover.sandbox;

import java.io.PrintStream;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.function.Function;
import java.util.function.ToLongFunction;

import dev.cutover.sandbox.report.CutoverResult;
import dev.cutover.sandbox.report.Report;

/** The figures of several rehearsals side by side: median and p95 of each, and the sums that must be 0. */
record Summary(int runs, long completed, Map<String, long[]> figures, long lost, long afterFence, long duplicateKeys) {

    static Summary of(List<Report> reports) {
        Map<String, long[]> figures = new LinkedHashMap<>();
        figures.put("clientDowntimeMs", values(reports, Report::clientDowntimeMs));
        figures.put("errorWindowMs", values(reports, Report::errorWindowMs));
        // Runs that rolled back before the flip have no fence-to-flip, those whose target never opened no
        // fenced-to-open: each figure is over the runs that have it.
        putIfAny(figures, "fenceToFlipMs", present(reports, Report::fenceToFlipMs));
        putIfAny(figures, "fencedToOpenMs", present(reports, Report::fencedToOpenMs));
        putIfAny(figures, "fenceMs", present(reports, Report::fenceMs));
        putIfAny(figures, "lastWorkerBackMs", present(reports, Report::lastWorkerBackMs));
        putIfAny(figures, "startToFlipMs", present(reports, Report::startToFlipMs));
        putIfAny(figures, "cutoverctlStartMs", present(reports, Report::cutoverctlStartMs));
        figures.put("failedStatements", values(reports, Report::failedStatements));
        figures.put("maxInstanceDowntimeMs", values(reports, Report::maxInstanceDowntimeMs));
        figures.put("medianInstanceDowntimeMs", values(reports, Report::medianInstanceDowntimeMs));
        figures.put("maxStallMs", values(reports, Report::maxStallMs));
        figures.put("medianInstanceStallMs", values(reports, Report::medianInstanceStallMs));
        putIfAny(figures, "cutoverClientDowntimeMs", present(reports, Report::cutoverClientDowntimeMs));
        putIfAny(figures, "fallbackClientDowntimeMs", present(reports, Report::fallbackClientDowntimeMs));
        figures.put("ackedWrites", values(reports, Report::ackedWrites));
        return new Summary(reports.size(),
                reports.stream().filter(r -> r.result() == CutoverResult.COMPLETED).count(), figures,
                reports.stream().mapToLong(Report::lostWrites).sum(),
                reports.stream().mapToLong(Report::writesAfterFence).sum(),
                reports.stream().mapToLong(Report::duplicateKeyErrors).sum());
    }

    void print(PrintStream out) {
        out.printf("%d rehearsals, %d completed%n", runs, completed);
        out.printf("  %-24s %10s %10s %10s %10s%n", "figure", "median", "p95", "min", "max");
        figures.forEach((name, values) -> out.printf("  %-24s %10d %10d %10d %10d%n", name, percentile(values, 50),
                percentile(values, 95), values[0], values[values.length - 1]));
        out.printf("  lost writes %d, writes after fence %d, duplicate-key errors %d (all runs)%n", lost, afterFence,
                duplicateKeys);
        StringBuilder json = new StringBuilder("{\"runs\":").append(runs).append(",\"completed\":").append(completed);
        figures.forEach((name, values) -> json.append(",\"").append(name).append("Median\":").append(percentile(values, 50))
                .append(",\"").append(name).append("P95\":").append(percentile(values, 95)));
        json.append(",\"lostWrites\":").append(lost).append(",\"writesAfterFence\":").append(afterFence)
                .append(",\"duplicateKeyErrors\":").append(duplicateKeys).append('}');
        out.println(json);
    }

    /** Nearest-rank percentile of sorted values. */
    static long percentile(long[] sorted, int percent) {
        int rank = (int) Math.ceil(percent / 100.0 * sorted.length);
        return sorted[Math.max(0, rank - 1)];
    }

    private static long[] present(List<Report> reports, Function<Report, OptionalLong> figure) {
        return reports.stream().map(figure).filter(OptionalLong::isPresent).mapToLong(OptionalLong::getAsLong)
                .sorted().toArray();
    }

    private static void putIfAny(Map<String, long[]> figures, String name, long[] values) {
        if (values.length > 0) {
            figures.put(name, values);
        }
    }

    private static long[] values(List<Report> reports, ToLongFunction<Report> figure) {
        long[] values = reports.stream().mapToLong(figure).toArray();
        Arrays.sort(values);
        return values;
    }
}
