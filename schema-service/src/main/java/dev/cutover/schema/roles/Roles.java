package dev.cutover.schema.roles;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.cutover.platform.database.DatabasePair;

/** The roles a target lacks for a pair, read from both servers: what preflight reports and pre-data creates. */
public final class Roles {

    private Roles() {
    }

    /**
     * @param source  a connection to the pair's source
     * @param target  a connection to the pair's target
     * @param schemas the schemas in scope
     */
    public static MissingRoles missing(DatabasePair pair, Connection source, Connection target, List<String> schemas)
            throws SQLException {
        return MissingRoles.of(RoleReader.source(source, schemas), RoleReader.names(target), wanted(pair));
    }

    /**
     * Roles needed besides those the schema names: when the migration creates roles, the application's too (NOLOGIN
     * is what the target's application roles must be until the cutover opens them).
     */
    public static Map<String, String> wanted(DatabasePair pair) {
        Map<String, String> wanted = new LinkedHashMap<>();
        if (pair.createMissingRoles()) {
            pair.appRoles().forEach(role -> wanted.put(role, "an application role in cutover.databases.<name>.app-roles"));
        }
        return wanted;
    }
}
