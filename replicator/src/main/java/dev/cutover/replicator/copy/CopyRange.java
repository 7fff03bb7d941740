package dev.cutover.replicator.copy;

import java.util.Optional;

import dev.cutover.replicator.postgres.Sql;

/** The rows of a table one copy task reads. */
public sealed interface CopyRange {

    /** The SQL condition selecting the range's rows, or empty for the whole table. */
    Optional<String> condition();

    /** A short description for logs and events, e.g. {@code blocks [0,1200)}. */
    String describe();

    record All() implements CopyRange {

        @Override
        public Optional<String> condition() {
            return Optional.empty();
        }

        @Override
        public String describe() {
            return "all rows";
        }
    }

    /** Heap blocks {@code [from, to)}; no upper end when {@code to} is empty, for rows in blocks added later. */
    record Blocks(long from, Optional<Long> to) implements CopyRange {

        public Blocks {
            if (from < 0 || to.isPresent() && to.get() <= from) {
                throw new IllegalArgumentException("empty or negative block range [" + from + "," + to + ")");
            }
        }

        @Override
        public Optional<String> condition() {
            String lower = "ctid >= '(" + from + ",0)'::tid";
            return Optional.of(to.map(end -> lower + " AND ctid < '(" + end + ",0)'::tid").orElse(lower));
        }

        @Override
        public String describe() {
            return "blocks [" + from + "," + to.map(String::valueOf).orElse("end") + ")";
        }
    }

    /** Key values {@code [from, to)}; an empty end is unbounded. */
    record Keys(String column, String type, Optional<String> from, Optional<String> to) implements CopyRange {

        @Override
        public Optional<String> condition() {
            String key = Sql.identifier(column);
            Optional<String> lower = from.map(value -> key + " >= " + Sql.literal(value) + "::" + type);
            Optional<String> upper = to.map(value -> key + " < " + Sql.literal(value) + "::" + type);
            if (lower.isPresent() && upper.isPresent()) {
                return Optional.of(lower.get() + " AND " + upper.get());
            }
            return lower.or(() -> upper);
        }

        @Override
        public String describe() {
            return column + " [" + from.orElse("-inf") + "," + to.orElse("+inf") + ")";
        }
    }
}
