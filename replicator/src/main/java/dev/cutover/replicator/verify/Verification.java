package dev.cutover.replicator.verify;

import java.util.List;

/**
 * The outcome of comparing every table.
 *
 * @param tables     tables compared
 * @param rows       rows compared (on the source)
 * @param mismatches every difference found; empty when source and target hold the same rows
 */
public record Verification(int tables, long rows, List<Mismatch> mismatches) {

    public Verification {
        mismatches = List.copyOf(mismatches);
    }

    public boolean identical() {
        return mismatches.isEmpty();
    }
}
