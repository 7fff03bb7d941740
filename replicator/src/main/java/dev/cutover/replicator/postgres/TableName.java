package dev.cutover.replicator.postgres;

/** A table's schema and name, as PostgreSQL stores them (unquoted, case preserved). */
public record TableName(String schema, String name) implements Comparable<TableName> {

    public TableName {
        if (schema == null || schema.isBlank() || name == null || name.isBlank()) {
            throw new IllegalArgumentException("a table needs a schema and a name, got " + schema + "." + name);
        }
    }

    /** {@code "schema"."name"}, safe to put in SQL. */
    public String quoted() {
        return Sql.identifier(schema) + "." + Sql.identifier(name);
    }

    /** {@code schema.name}, as events and people name the table. */
    @Override
    public String toString() {
        return schema + "." + name;
    }

    @Override
    public int compareTo(TableName other) {
        return toString().compareTo(other.toString());
    }
}
