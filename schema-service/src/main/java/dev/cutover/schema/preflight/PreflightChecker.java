package dev.cutover.schema.preflight;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import dev.cutover.platform.database.DatabasePair;
import dev.cutover.platform.database.WarmConnections;
import dev.cutover.schema.pgtools.Catalog;
import dev.cutover.schema.pgtools.PgTools;
import dev.cutover.schema.precreated.PreCreatedTarget;
import dev.cutover.schema.roles.MissingRoles;
import dev.cutover.schema.roles.RoleReader;
import dev.cutover.schema.roles.Roles;
import dev.cutover.schema.roles.SourceRoles;

/** Reads the facts and runs the checks. */
public final class PreflightChecker {

    private final PgTools tools;
    private final Duration longTransaction;
    private final WarmConnections connections;

    /** Logs in anew for every check: for one-off checks. */
    public PreflightChecker(PgTools tools, Duration longTransaction) {
        this(tools, longTransaction, WarmConnections.none());
    }

    /**
     * @param longTransaction a transaction open longer than this on the source is reported
     * @param connections     where the checks log in: the cutover's preflight runs as the cutover starts, and
     *                        every login it saves is time the switch does not wait
     */
    public PreflightChecker(PgTools tools, Duration longTransaction, WarmConnections connections) {
        this.tools = tools;
        this.longTransaction = longTransaction;
        this.connections = connections;
    }

    public List<Finding> check(DatabasePair pair, Scope scope) {
        // The roles only matter before pre-data; the cutover's preflight stays a few queries.
        boolean beforePreData = scope == Scope.MIGRATION;
        List<String> schemas;
        Facts.Source source;
        SourceRoles roles = null;
        Map<String, String> extensionSchemas = Map.of();
        try (WarmConnections.Lease lease = connections.lease(pair.source())) {
            Connection connection = lease.connection();
            schemas = pair.schemasOn(connection);
            source = FactsReader.source(connection, schemas, pair.appRoles());
            if (beforePreData) {
                roles = RoleReader.source(connection, schemas);
                extensionSchemas = FactsReader.extensionSchemas(connection);
            }
        } catch (SQLException e) {
            throw Catalog.failure("reading preflight facts", pair.source(), e);
        }
        Facts.Target target;
        Set<String> targetRoles = Set.of();
        Set<String> targetSchemas = Set.of();
        Optional<Finding> statistics = Optional.empty();
        try (WarmConnections.Lease lease = connections.lease(pair.target())) {
            Connection connection = lease.connection();
            target = FactsReader.target(connection, pair.appRoles());
            if (!beforePreData) {
                statistics = TargetStatistics.check(connection, schemas);
            }
            if (beforePreData) {
                targetRoles = RoleReader.names(connection);
                targetSchemas = Catalog.schemas(connection);
            }
        } catch (SQLException e) {
            throw Catalog.failure("reading preflight facts", pair.target(), e);
        }
        MissingRoles missing = beforePreData ? MissingRoles.of(roles, targetRoles, Roles.wanted(pair)) : MissingRoles.none();
        List<String> unknown = pair.scope().include().stream().filter(schema -> !schemas.contains(schema)).toList();
        Map<String, String> stranded = new HashMap<>();
        Set<String> existing = targetSchemas;
        extensionSchemas.forEach((extension, schema) -> {
            if (!schemas.contains(schema) && !existing.contains(schema)) {
                stranded.put(extension, schema);
            }
        });
        List<Finding> findings = new ArrayList<>(Preflight.check(new Facts(source, target, tools.pgDumpVersion(),
                pair.appRoles(), new Facts.Schemas(unknown, stranded), missing, pair.createMissingRoles()), scope,
                longTransaction));
        if (beforePreData) {
            findings.addAll(PreCreatedSchema.findings(PreCreatedTarget.judge(pair), target.database()));
        }
        statistics.ifPresent(findings::add);
        if (scope == Scope.CUTOVER) {
            findings.addAll(AppRolePasswords.carryOver(pair, connections));
        }
        return findings;
    }
}
