package dev.cutover.replicator.verify;

import java.util.Optional;

/**
 * A table, or a key range of it, whose rows differ between source and target.
 *
 * @param range  e.g. {@code id [1000,2000)}; empty when the table was compared whole
 * @param detail how they differ, for the operator
 */
public record Mismatch(String table, Optional<String> range, long sourceRows, long targetRows, String detail) {
}
