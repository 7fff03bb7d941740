package dev.cutover.schema.precreated;

/**
 * Which catalog objects pg_dump writes in its post-data section: indexes, triggers, and the constraints it adds after
 * the data (keys, foreign keys, exclusion constraints, constraint triggers, and checks not yet validated). Checks
 * that hold are part of their table, in pre-data.
 */
final class PostData {

    private PostData() {
    }

    /** @param kind a {@code SchemaObject} kind; @param definition its definition as the server printed it */
    static boolean holds(String kind, String definition) {
        return switch (kind) {
            case "INDEX", "TRIGGER" -> true;
            case "CONSTRAINT" -> definition == null || !definition.startsWith("CHECK") || definition.endsWith(" NOT VALID");
            default -> false;
        };
    }
}
