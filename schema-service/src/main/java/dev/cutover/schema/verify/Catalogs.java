package dev.cutover.schema.verify;

import java.util.List;

/**
 * The objects of the schemas in scope on both servers, read the same way at about the same time.
 *
 * @param schemas the schemas in scope, as the source resolved them
 * @param source  the source's objects
 * @param target  the target's objects
 */
public record Catalogs(List<String> schemas, List<SchemaObject> source, List<SchemaObject> target) {

    public Catalogs {
        schemas = List.copyOf(schemas);
        source = List.copyOf(source);
        target = List.copyOf(target);
    }
}
