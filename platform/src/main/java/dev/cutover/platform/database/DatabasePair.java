package dev.cutover.platform.database;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;

import org.springframework.boot.context.properties.bind.ConstructorBinding;

/**
 * A database being moved: where it is, where it goes, who uses it, and which of its schemas move.
 *
 * @param source             the server the applications use today
 * @param target             the server they will use after the cutover
 * @param appRoles           the roles applications log in as; fenced on the source, opened on the target
 * @param schemas            the schemas to move; empty (the default): every schema of the database, see
 *                           {@link SchemaScope}
 * @param excludeSchemas     schemas left behind
 * @param createMissingRoles whether pre-data creates the roles the schema names (owners, grants, policies) that
 *                           the target lacks, NOLOGIN and without a password; otherwise preflight stops on them
 * @param replication        the replication that carries its changes, as configured (unset names are resolved with
 *                           the database's name: {@link DatabasesSettings#replication})
 * @param fallback           whether cutovers prepare reverse replication for a fallback ({@link Fallback})
 */
public record DatabasePair(Endpoint source, Endpoint target, List<String> appRoles, List<String> schemas,
        List<String> excludeSchemas, boolean createMissingRoles, Replication replication, Fallback fallback) {

    @ConstructorBinding
    public DatabasePair {
        if (source == null || target == null) {
            throw new IllegalArgumentException("both source and target must be configured");
        }
        appRoles = appRoles == null ? List.of() : List.copyOf(appRoles);
        schemas = schemas == null ? List.of() : List.copyOf(schemas);
        excludeSchemas = excludeSchemas == null ? List.of() : List.copyOf(excludeSchemas);
        replication = replication == null ? Replication.unset() : replication;
        fallback = fallback == null ? Fallback.off() : fallback;
        // A contradictory scope stops the service at start-up, not a migration halfway.
        new SchemaScope(schemas, excludeSchemas);
    }

    /** Moves {@code schemas} (every schema when empty), leaves none out, creates no roles. */
    public DatabasePair(Endpoint source, Endpoint target, List<String> appRoles, List<String> schemas) {
        this(source, target, appRoles, schemas, List.of(), false);
    }

    /** The replication the migration creates and names. */
    public DatabasePair(Endpoint source, Endpoint target, List<String> appRoles, List<String> schemas,
            List<String> excludeSchemas, boolean createMissingRoles) {
        this(source, target, appRoles, schemas, excludeSchemas, createMissingRoles, Replication.unset());
    }

    /** No reverse replication. */
    public DatabasePair(Endpoint source, Endpoint target, List<String> appRoles, List<String> schemas,
            List<String> excludeSchemas, boolean createMissingRoles, Replication replication) {
        this(source, target, appRoles, schemas, excludeSchemas, createMissingRoles, replication, Fallback.off());
    }

    /** The same pair carried by {@code other} replication. */
    public DatabasePair withReplication(Replication other) {
        return new DatabasePair(source, target, appRoles, schemas, excludeSchemas, createMissingRoles, other, fallback);
    }

    /** The same pair with {@code other} fallback settings. */
    public DatabasePair withFallback(Fallback other) {
        return new DatabasePair(source, target, appRoles, schemas, excludeSchemas, createMissingRoles, replication, other);
    }

    public SchemaScope scope() {
        return new SchemaScope(schemas, excludeSchemas);
    }

    /** The schemas that move, as the source has them now: every step asks when it runs. */
    public List<String> schemasOn(Connection source) throws SQLException {
        return scope().resolve(source);
    }
}
