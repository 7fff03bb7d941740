package dev.cutover.platform.database;

import java.util.List;

/**
 * A database being moved: where it is, where it goes, and who uses it.
 *
 * @param source   the server the applications use today
 * @param target   the server they will use after the cutover
 * @param appRoles the roles applications log in as; fenced on the source, opened on the target
 * @param schemas  the schemas to move (default: public)
 */
public record DatabasePair(Endpoint source, Endpoint target, List<String> appRoles, List<String> schemas) {

    public DatabasePair {
        if (source == null || target == null) {
            throw new IllegalArgumentException("both source and target must be configured");
        }
        appRoles = appRoles == null ? List.of() : List.copyOf(appRoles);
        schemas = schemas == null || schemas.isEmpty() ? List.of("public") : List.copyOf(schemas);
    }
}
