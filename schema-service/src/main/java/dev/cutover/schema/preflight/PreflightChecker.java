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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;

import dev.cutover.platform.database.DatabasePair;
import dev.cutover.platform.database.WarmConnections;
import dev.cutover.schema.pgtools.Catalog;
import dev.cutover.schema.pgtools.ClientVersion;
import dev.cutover.schema.pgtools.PgTools;
import dev.cutover.schema.precreated.PreCreatedTarget;
import dev.cutover.schema.roles.MissingRoles;
import dev.cutover.schema.roles.RoleReader;
import dev.cutover.schema.roles.Roles;
import dev.cutover.schema.roles.SourceRoles;

/** Reads the facts and runs the checks. */
public final class PreflightChecker {

    /** Each preflight's read of the target, beside the source's: a virtual thread, nothing to shut down. */
    private static final Executor TARGET_READER = task -> Thread.ofVirtual().name("preflight-target").start(task);

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
        return run(pair, scope).findings();
    }

    /**
     * The findings, with how long their parts took. The source's facts and the target's are read at once, the
     * target's on a thread of its own: neither needs the other's, and each side has its own connection.
     */
    public Report run(DatabasePair pair, Scope scope) {
        // The roles only matter before pre-data; the cutover's preflight stays a few queries.
        boolean beforePreData = scope == Scope.MIGRATION;
        long started = System.nanoTime();
        CompletableFuture<TargetSide> targetSide = CompletableFuture.supplyAsync(
                () -> readTarget(pair, beforePreData), TARGET_READER);
        SourceSide source;
        try {
            source = readSource(pair, beforePreData);
        } catch (RuntimeException e) {
            // The target's connection is handed back before this fails, so no read outlives the command.
            targetSide.exceptionally(failure -> null).join();
            throw e;
        }
        TargetSide target = join(targetSide);
        Duration facts = Duration.ofNanos(System.nanoTime() - started);

        List<String> schemas = source.schemas();
        MissingRoles missing = beforePreData ? MissingRoles.of(source.roles(), target.roles(), Roles.wanted(pair))
                : MissingRoles.none();
        List<String> unknown = pair.scope().include().stream().filter(schema -> !schemas.contains(schema)).toList();
        Map<String, String> stranded = new HashMap<>();
        source.extensionSchemas().forEach((extension, schema) -> {
            if (!schemas.contains(schema) && !target.schemas().contains(schema)) {
                stranded.put(extension, schema);
            }
        });
        // pg_dump is judged before a migration only: the cutover's preflight does not run it.
        Optional<ClientVersion> pgDump = beforePreData ? tools.pgDumpVersion() : Optional.empty();
        List<Finding> findings = new ArrayList<>(Preflight.check(new Facts(source.facts(), target.facts(), pgDump,
                pair.appRoles(), new Facts.Schemas(unknown, stranded), missing, pair.createMissingRoles()), scope,
                longTransaction));
        if (beforePreData) {
            findings.addAll(PreCreatedSchema.findings(PreCreatedTarget.judge(pair), target.facts().database()));
        }
        TargetStatistics.warning(target.unanalyzed(), schemas).ifPresent(findings::add);
        long passwordsStarted = System.nanoTime();
        if (scope == Scope.CUTOVER) {
            findings.addAll(AppRolePasswords.carryOver(pair, connections));
        }
        return new Report(findings, facts, source.took(), target.took(),
                Duration.ofNanos(System.nanoTime() - passwordsStarted));
    }

    /**
     * @param facts     reading both servers' facts, at once
     * @param source    reading the source's, within {@code facts}
     * @param target    reading the target's, within {@code facts}
     * @param passwords carrying the application roles' passwords over (the cutover's preflight only)
     */
    public record Report(List<Finding> findings, Duration facts, Duration source, Duration target,
            Duration passwords) {

        public Report {
            findings = List.copyOf(findings);
        }
    }

    /** What the source says: the schemas that move, its facts, and before a migration its roles and extensions. */
    private record SourceSide(List<String> schemas, Facts.Source facts, SourceRoles roles,
            Map<String, String> extensionSchemas, Duration took) {
    }

    /**
     * What the target says. Its tables without statistics are read in every schema of the scope it has; only those of
     * the schemas that move (the source's) are reported.
     */
    private record TargetSide(Facts.Target facts, List<TargetStatistics.Table> unanalyzed, Set<String> roles,
            Set<String> schemas, Duration took) {
    }

    private SourceSide readSource(DatabasePair pair, boolean beforePreData) {
        long started = System.nanoTime();
        try (WarmConnections.Lease lease = connections.lease(pair.source())) {
            Connection connection = lease.connection();
            List<String> schemas = pair.schemasOn(connection);
            Facts.Source facts = FactsReader.source(connection, schemas, pair.appRoles());
            SourceRoles roles = beforePreData ? RoleReader.source(connection, schemas) : null;
            Map<String, String> extensionSchemas = beforePreData ? FactsReader.extensionSchemas(connection) : Map.of();
            Duration took = Duration.ofNanos(System.nanoTime() - started);
            return new SourceSide(schemas, facts, roles, extensionSchemas, took);
        } catch (SQLException e) {
            throw Catalog.failure("reading preflight facts", pair.source(), e);
        }
    }

    private TargetSide readTarget(DatabasePair pair, boolean beforePreData) {
        long started = System.nanoTime();
        try (WarmConnections.Lease lease = connections.lease(pair.target())) {
            Connection connection = lease.connection();
            Facts.Target facts = FactsReader.target(connection, pair.appRoles());
            List<TargetStatistics.Table> unanalyzed = beforePreData ? List.of()
                    : TargetStatistics.read(connection, pair.scope());
            Set<String> roles = beforePreData ? RoleReader.names(connection) : Set.of();
            Set<String> schemas = beforePreData ? Catalog.schemas(connection) : Set.of();
            Duration took = Duration.ofNanos(System.nanoTime() - started);
            return new TargetSide(facts, unanalyzed, roles, schemas, took);
        } catch (SQLException e) {
            throw Catalog.failure("reading preflight facts", pair.target(), e);
        }
    }

    /** What a task run beside the caller returned, or its own failure rethrown as it was thrown there. */
    static <T> T join(CompletableFuture<T> side) {
        try {
            return side.join();
        } catch (CompletionException e) {
            throw e.getCause() instanceof RuntimeException cause ? cause : e;
        }
    }
}
