package dev.cutover.replicator.verify;

import java.util.List;
import java.util.stream.Collectors;

import dev.cutover.replicator.postgres.Sql;

/**
 * The SQL that turns a row into a 64-bit number both servers compute alike. Each column is quoted
 * (so that NULL, the empty string and a separator inside a value stay distinct), the row is hashed with
 * md5, and 64 of its bits are kept. Summing those over a range ignores row order, so no side sorts.
 */
final class RowHash {

    private RowHash() {
    }

    /** A {@code numeric} expression for one row of a table read under the alias {@code r}. */
    static String expression(List<HashedColumn> columns) {
        String text = columns.isEmpty() ? "''" : columns.stream().map(RowHash::columnText)
                .collect(Collectors.joining(" || ',' || "));
        return "('x' || left(md5(" + text + "), 16))::bit(64)::bigint::numeric";
    }

    /**
     * A column's quoted text. The value is cast to text first: {@code quote_nullable} has a text and an
     * {@code anyelement} form, and for a type that converts to text implicitly, such as {@code "char"}, PostgreSQL
     * cannot choose between them.
     */
    private static String columnText(HashedColumn column) {
        String value = "r." + Sql.identifier(column.name());
        return column.sendFunction()
                .map(send -> "quote_nullable(encode(" + send + "(" + value + "), 'hex'))")
                .orElse("quote_nullable(" + value + "::text)");
    }
}
