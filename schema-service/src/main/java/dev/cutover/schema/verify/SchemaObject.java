package dev.cutover.schema.verify;

/**
 * One object of a schema as the catalog describes it.
 *
 * @param kind       what it is: TABLE, COLUMN, CONSTRAINT, INDEX, VIEW, TRIGGER, FUNCTION, SEQUENCE, TYPE, EXTENSION
 * @param schema     the schema it is in
 * @param name       its qualified name, unique per kind, e.g. {@code public.orders.total} for a column
 * @param definition what it is made of, as the server prints it (pg_get_indexdef, format_type, ...)
 */
public record SchemaObject(String kind, String schema, String name, String definition) {

    /** Identifies the object across the two servers, whichever version printed its name. */
    String key() {
        return kind + ' ' + Normalisation.name(kind, name);
    }
}
