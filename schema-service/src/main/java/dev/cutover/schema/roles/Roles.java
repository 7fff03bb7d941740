package dev.cutover.schema.roles;

import java.util.LinkedHashMap;
import java.util.Map;

import dev.cutover.platform.database.DatabasePair;

/** Which roles a pair needs on its target besides those its schema names. */
public final class Roles {

    private Roles() {
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
