package dev.cutover.replicator.postgres;

import java.util.Collection;
import java.util.stream.Collectors;

/**
 * Quoting for the statements that cannot take bind parameters (COPY, DDL, replication commands), so
 * that every name and value reaches PostgreSQL as what it is and never as SQL.
 */
public final class Sql {

    private Sql() {
    }

    public static String identifier(String name) {
        return '"' + name.replace("\"", "\"\"") + '"';
    }

    public static String identifiers(Collection<String> names) {
        return names.stream().map(Sql::identifier).collect(Collectors.joining(", "));
    }

    /** A standard-conforming string literal; a backslash in it is an ordinary character. */
    public static String literal(String value) {
        return "'" + value.replace("'", "''") + "'";
    }

    /** A value of a libpq connection string ({@code key='value'}), where quotes and backslashes are escaped by a backslash. */
    public static String conninfoValue(String value) {
        return "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'";
    }
}
