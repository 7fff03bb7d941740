package dev.cutover.cutover.migration;

import dev.cutover.cutover.saga.Text;
import java.util.Objects;
import java.util.Optional;

/** A table, or a key range of one, whose rows differ between source and target. */
public record DataMismatch(String table, Optional<String> range, long sourceRows, long targetRows, String detail) {

    public DataMismatch {
        Text.notBlank(table, "table");
        Objects.requireNonNull(range, "range must not be null");
        Objects.requireNonNull(detail, "detail must not be null");
    }

    public String describe() {
        return table + range.map(r -> " " + r).orElse("") + ": " + sourceRows + " rows on the source, " + targetRows
                + " on the target" + (detail.isBlank() ? "" : " (" + detail + ")");
    }
}
