package dev.cutover.replicator.verify;

import java.util.List;

/**
 * The outcome of comparing every table.
 *
 * @param tables        tables compared
 * @param rows          rows compared (on the source), in the ranges compared
 * @param mismatches    every difference found; empty when source and target hold the same rows
 * @param scope         which ranges were to be compared: all, or a sample with its fraction and seed
 * @param rangesChecked key ranges compared (a table without a primary key is one range)
 * @param rangesTotal   key ranges the tables were cut into
 * @param changedRows   rows changed since streaming began in ranges not compared whole, compared one by one
 */
public record Verification(int tables, long rows, List<Mismatch> mismatches, VerificationScope scope,
        int rangesChecked, int rangesTotal, long changedRows) {

    public Verification {
        mismatches = List.copyOf(mismatches);
    }

    public boolean identical() {
        return mismatches.isEmpty();
    }
}
