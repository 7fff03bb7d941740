package dev.cutover.sandbox;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.cutover.sandbox.rehearsal.ClientDns;
import dev.cutover.sandbox.rehearsal.Layout;
import dev.cutover.sandbox.rehearsal.RehearsalOptions;

/**
 * {@code --compare}: the saga and the plain sequential program, run after run in turn on fresh stacks, so slow
 * phases of the machine touch both alike; then each one's figures and what the event-driven design costs.
 *
 * <p>Each rehearsal runs in a JVM of its own, started like this one: a second rehearsal in the same JVM failed on
 * this machine while its services started (the new in-process broker refused the schema publisher's records with
 * OutOfOrderSequenceException), and a fresh JVM is also what a single {@code ./rehearse} measures.
 */
final class Comparison {

    private static final List<String> FIGURES = List.of("clientDowntimeMs", "fencedToOpenMs", "errorWindowMs",
            "fenceToFlipMs", "fenceMs", "lastWorkerBackMs", "startToFlipMs");
    private static final List<String> MUST_BE_ZERO = List.of("lostWrites", "writesAfterFence", "duplicateKeyErrors");

    private Comparison() {
    }

    /** Runs both methods {@code runs} times each, prints each report and the comparison; returns the exit code. */
    static int run(RehearsalOptions options, int runs, PrintStream out) throws Exception {
        Map<Method, List<Map<String, Long>>> results = new LinkedHashMap<>();
        int exit = 0;
        for (int run = 1; run <= runs; run++) {
            for (Method method : List.of(Method.SAGA, Method.PLAIN)) {
                out.printf("%n=== %s rehearsal %d of %d ===%n", method.name().toLowerCase(Locale.ROOT), run, runs);
                Child child = rehearse(method, options, out);
                exit = Math.max(exit, child.exitCode());
                if (child.figures().isEmpty()) {
                    throw new IllegalStateException(method.name().toLowerCase(Locale.ROOT) + " rehearsal " + run
                            + " printed no report (exit code " + child.exitCode() + ")");
                }
                results.computeIfAbsent(method, m -> new ArrayList<>()).add(child.figures());
            }
        }
        List<Map<String, Long>> saga = results.get(Method.SAGA);
        List<Map<String, Long>> plain = results.get(Method.PLAIN);
        out.println();
        out.printf("%d runs of each method%n", runs);
        out.printf("  %-18s %10s %10s %10s %10s %12s%n", "figure", "saga p50", "saga p95", "plain p50", "plain p95",
                "p50 saga-plain");
        StringBuilder json = new StringBuilder("{\"runs\":").append(runs);
        for (String figure : FIGURES) {
            long[] s = sorted(saga, figure);
            long[] p = sorted(plain, figure);
            long difference = Summary.percentile(s, 50) - Summary.percentile(p, 50);
            out.printf("  %-18s %10d %10d %10d %10d %+12d%n", figure, Summary.percentile(s, 50), Summary.percentile(s, 95),
                    Summary.percentile(p, 50), Summary.percentile(p, 95), difference);
            json.append(",\"saga").append(capitalised(figure)).append("Median\":").append(Summary.percentile(s, 50))
                    .append(",\"plain").append(capitalised(figure)).append("Median\":").append(Summary.percentile(p, 50))
                    .append(",\"").append(figure).append("MedianDifference\":").append(difference);
        }
        for (String figure : MUST_BE_ZERO) {
            long sum = Arrays.stream(sorted(saga, figure)).sum() + Arrays.stream(sorted(plain, figure)).sum();
            json.append(",\"").append(figure).append("\":").append(sum);
        }
        out.println(json.append('}'));
        return exit;
    }

    private record Child(int exitCode, Map<String, Long> figures) {
    }

    /** One rehearsal in a fresh JVM with this JVM's class path and flags; its output is passed through. */
    private static Child rehearse(Method method, RehearsalOptions options, PrintStream out) throws Exception {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments());
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), Sandbox.class.getName(),
                "--method", method.name().toLowerCase(Locale.ROOT),
                "--size-mb", Integer.toString(options.dataMegabytes()),
                "--rate", Double.toString(options.rate()),
                "--workers", Integer.toString(options.workers()),
                "--ttl", Long.toString(options.dnsTtl().toSeconds()),
                "--warm-up", Long.toString(options.warmUpWrites()),
                "--after", Long.toString(options.writesAfter()),
                "--layout", options.layout() == Layout.PROCESSES ? "processes" : "one-jvm",
                "--client-dns", options.clientDns() == ClientDns.NONE ? "none" : "ttl",
                "--settle", Long.toString(options.settle().toSeconds())));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String last = "";
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = lines.readLine()) != null) {
                out.println(line);
                if (line.startsWith("{")) {
                    last = line;
                }
            }
        }
        int exit = process.waitFor();
        Map<String, Long> figures = new LinkedHashMap<>();
        // The report's last line is flat JSON of numbers and strings: a pattern reads the figures it needs.
        Matcher field = Pattern.compile("\"(\\w+)\":(-?\\d+)").matcher(last);
        while (field.find()) {
            figures.put(field.group(1), Long.parseLong(field.group(2)));
        }
        return new Child(exit, last.contains("\"result\":\"completed\"") ? figures : Map.of());
    }

    /** The runs' values of a figure, sorted; a run without it (e.g. no flip) is left out, and none at all reads 0. */
    private static long[] sorted(List<Map<String, Long>> runs, String figure) {
        long[] values = runs.stream().filter(run -> run.containsKey(figure)).mapToLong(run -> run.get(figure)).toArray();
        if (values.length == 0) {
            return new long[] {0};
        }
        Arrays.sort(values);
        return values;
    }

    private static String capitalised(String figure) {
        return Character.toUpperCase(figure.charAt(0)) + figure.substring(1);
    }
}
