package dev.cutover.replicator.verify;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

import dev.cutover.replicator.postgres.Sql;

/**
 * Ranges of a table's leading key column: bucket 0 holds keys below the first bound, bucket i keys from
 * bound i-1 up to bound i, and the last bucket keys from the last bound up. Without bounds there is one
 * bucket for the whole table.
 *
 * @param column the key column, or empty for a table without a primary key
 * @param type   its SQL type
 * @param bounds ascending, distinct
 */
record KeyRanges(String column, String type, List<String> bounds) {

    KeyRanges {
        bounds = List.copyOf(bounds);
    }

    static KeyRanges whole() {
        return new KeyRanges("", "", List.of());
    }

    /** The bucket of the row read under the alias {@code r}, from 0 to {@code bounds.size()}. */
    String bucketExpression() {
        return bucketOf("r." + Sql.identifier(column));
    }

    /** The bucket of a value of the key's type, given as an SQL expression. */
    String bucketOf(String value) {
        if (bounds.isEmpty()) {
            return "0";
        }
        String array = bounds.stream().map(Sql::literal).collect(Collectors.joining(", ", "ARRAY[", "]"));
        return "width_bucket(" + value + ", " + array + "::" + type + "[])";
    }

    /** How many ranges (buckets) cut the table. */
    int count() {
        return bounds.size() + 1;
    }

    /**
     * A {@code WHERE} clause (with its leading space) that keeps the rows of buckets {@code first} to {@code last};
     * empty when they are all of them.
     */
    String where(int first, int last) {
        String condition = condition(first, last);
        return condition.equals("true") ? "" : " WHERE " + condition;
    }

    /** The condition that keeps the rows of buckets {@code first} to {@code last}; {@code true} for all of them. */
    String condition(int first, int last) {
        List<String> conditions = new ArrayList<>();
        if (first > 0) {
            conditions.add("r." + Sql.identifier(column) + " >= " + Sql.literal(bounds.get(first - 1)) + "::" + type);
        }
        if (last < bounds.size()) {
            conditions.add("r." + Sql.identifier(column) + " < " + Sql.literal(bounds.get(last)) + "::" + type);
        }
        return conditions.isEmpty() ? "true" : String.join(" AND ", conditions);
    }

    /** The range a bucket covers, for people, e.g. {@code id [1000,2000)}; empty for the whole table. */
    String describe(int bucket) {
        if (bounds.isEmpty()) {
            return "";
        }
        String from = bucket == 0 ? "-inf" : bounds.get(bucket - 1);
        String to = bucket >= bounds.size() ? "+inf" : bounds.get(bucket);
        return column + " [" + from + "," + to + ")";
    }
}
