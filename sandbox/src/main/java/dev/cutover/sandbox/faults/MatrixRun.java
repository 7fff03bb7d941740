package dev.cutover.sandbox.faults;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

import dev.cutover.sandbox.rehearsal.RehearsalOptions;

/**
 * Runs cases of the {@link FaultMatrix} in the production layout, a few at a time on one {@link MatrixBench} (one
 * stack, one set of service processes, a database each), and prints the table and, last, one JSON line.
 */
public final class MatrixRun {

    /**
     * Cases per bench: enough to spread the services' start over several cases, few enough that lag-monitor's reports
     * on every database of the bench stay light, and that one case's aftermath reaches few others.
     */
    static final int CASES_PER_BENCH = 12;

    private MatrixRun() {
    }

    /** Every case in turn; returns the results in the same order. */
    public static List<CaseResult> run(List<FaultCase> cases, RehearsalOptions options, PrintStream out) throws Exception {
        List<CaseResult> results = new ArrayList<>();
        for (int first = 0; first < cases.size(); first += CASES_PER_BENCH) {
            List<FaultCase> batch = cases.subList(first, Math.min(cases.size(), first + CASES_PER_BENCH));
            out.printf("%n=== cases %d to %d of %d ===%n", first + 1, first + batch.size(), cases.size());
            try (MatrixBench bench = MatrixBench.start(batch, first + 1, options, out)) {
                results.addAll(bench.runAll());
            }
        }
        return results;
    }

    /** The table, one row a case, with a last row that counts the cases that passed. */
    public static String table(List<CaseResult> results) {
        StringBuilder table = new StringBuilder(
                "| case | expected | actual | lost writes | writes after fence | converge ms | dead letters |\n"
                        + "|---|---|---|---|---|---|---|\n");
        for (CaseResult result : results) {
            table.append(String.format("| `%s` | %s | %s%s | %s | %s | %s | %d |%n", result.name(),
                    result.expected().json(), result.actual().json(), result.passed() ? "" : " **(differs)**",
                    orDash(result.lostWrites()), orDash(result.writesAfterFence()), orDash(result.convergeMs()),
                    result.deadLetters()));
        }
        long passed = results.stream().filter(CaseResult::passed).count();
        table.append(String.format("%n%d of %d cases as expected, with nothing lost and nothing written after the fence.%n",
                passed, results.size()));
        return table.toString();
    }

    /** {@code {"cases":[...]}} on one line. */
    public static String json(List<CaseResult> results) {
        return results.stream().map(CaseResult::json).collect(Collectors.joining(",", "{\"cases\":[", "]}"));
    }

    private static String orDash(Long value) {
        return value == null ? "-" : value.toString();
    }
}
