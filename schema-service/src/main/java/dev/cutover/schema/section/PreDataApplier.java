package dev.cutover.schema.section;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.cutover.platform.StepFailure;
import dev.cutover.platform.database.DatabasePair;
import dev.cutover.platform.database.Endpoint;
import dev.cutover.schema.pgtools.Catalog;
import dev.cutover.schema.pgtools.PgTools;
import dev.cutover.schema.pgtools.Toc;
import dev.cutover.schema.pgtools.TocEntry;
import dev.cutover.schema.precreated.Judgement;
import dev.cutover.schema.precreated.PreCreatedTarget;
import dev.cutover.schema.roles.MissingRoles;
import dev.cutover.schema.roles.RoleReader;
import dev.cutover.schema.roles.Roles;
import dev.cutover.schema.roles.SourceRoles;

/**
 * Applies the source's pre-data section (types, functions, tables, sequences, views) to the target in
 * one transaction, and cutover's own schema on both sides.
 *
 * <p>The dump is a custom-format archive so that its entries can be chosen before the script is
 * written: {@code --schema} makes pg_dump write {@code CREATE SCHEMA} even for {@code public}, which a
 * new target already has, so schemas that exist on the target are left out. The whole database is dumped
 * without {@code --schema} (see {@link DumpPatterns#options}); a list of schemas with it, and then extensions
 * are dumped with {@code --extension}, because with {@code --schema} pg_dump writes none.
 *
 * <p>The roles the schema names that the target lacks are created first when the pair says so, and cutover's own
 * schema last, all in the transaction that applies the dump: a failed pre-data leaves the target untouched.
 *
 * <p>A target whose schema was created beforehand ({@link PreCreatedTarget}) gets nothing of the dump: it is used as
 * it is if it matches the source's, and refused naming each difference if not.
 */
public final class PreDataApplier {

    private static final Logger log = LoggerFactory.getLogger(PreDataApplier.class);

    private final PgTools tools;

    public PreDataApplier(PgTools tools) {
        this.tools = tools;
    }

    public SectionReport apply(DatabasePair pair) {
        long started = System.nanoTime();
        int sourceMajor;
        Set<String> extensions;
        List<String> schemas;
        Optional<SourceRoles> sourceRoles = Optional.empty();
        try (Connection source = pair.source().connect()) {
            sourceMajor = Catalog.majorVersion(source);
            extensions = Catalog.extensions(source);
            schemas = pair.schemasOn(source);
            if (pair.createMissingRoles()) {
                sourceRoles = Optional.of(RoleReader.source(source, schemas));
            }
        } catch (SQLException e) {
            throw Catalog.failure("reading the source's schemas, extensions and roles", pair.source(), e);
        }
        Set<String> targetSchemas;
        MissingRoles roles = MissingRoles.none();
        try (Connection target = pair.target().connect()) {
            targetSchemas = Catalog.schemas(target);
            if (sourceRoles.isPresent()) {
                roles = MissingRoles.of(sourceRoles.get(), RoleReader.names(target), Roles.wanted(pair));
            }
        } catch (SQLException e) {
            throw Catalog.failure("reading the target's schemas and roles", pair.target(), e);
        }
        Optional<Judgement> preCreated = PreCreatedTarget.judge(pair);
        if (preCreated.isPresent()) {
            return usePreCreated(pair, preCreated.get(), schemas, roles, started);
        }
        tools.requirePgDump(sourceMajor);
        List<String> options = new ArrayList<>(List.of("--schema-only", "--section=pre-data", "--no-publications",
                "--no-subscriptions"));
        options.addAll(DumpPatterns.options(pair.scope(), schemas, extensions));
        installCutoverSchema(pair.source());
        Path archive = tools.dump(pair.source(), options);
        Toc toc;
        try {
            toc = tools.list(archive).without(entry -> createsExisting(entry, targetSchemas));
            if (!roles.isEmpty()) {
                log.info("creating the roles the schema names that {} lacks: {}", pair.target().describe(), roles.describe());
            }
            // One transaction: a failure leaves the target as it was, roles and cutover's own schema included.
            tools.apply(pair.target(), roles.sql() + "\n" + tools.script(archive, toc) + "\n" + CutoverSchema.ddl());
        } finally {
            PgTools.delete(archive);
        }
        return new SectionReport(toc.size(), 0, 0, 0, Duration.ofNanos(System.nanoTime() - started));
    }

    /**
     * The target's schema was created beforehand: used as it is when it matches the source's (as preflight judged it,
     * judged again now), with its post-data objects set aside for the load and the missing roles and cutover's own
     * schema added, in one transaction. Post-data builds what was set aside from the source's definitions.
     */
    private SectionReport usePreCreated(DatabasePair pair, Judgement judgement, List<String> schemas,
            MissingRoles roles, long started) {
        if (!judgement.fit()) {
            throw new StepFailure(judgement.refusal(), false);
        }
        List<String> setAside = PreCreatedTarget.setAside(pair.target(), schemas);
        log.info("the schema of {} was created beforehand and matches the source's: nothing of the dump applied, {}"
                + " indexes, keys, foreign keys and triggers set aside for the load", pair.target().describe(), setAside.size());
        installCutoverSchema(pair.source());
        tools.apply(pair.target(), roles.sql() + "\n" + String.join("\n", setAside) + "\n" + CutoverSchema.ddl());
        return new SectionReport(setAside.size(), 0, 0, 0, Duration.ofNanos(System.nanoTime() - started),
                Optional.of(judgement.note()));
    }

    static boolean createsExisting(TocEntry entry, Set<String> targetSchemas) {
        return entry.type().equals("SCHEMA") && targetSchemas.stream().anyMatch(entry::hasTag);
    }

    private static void installCutoverSchema(Endpoint endpoint) {
        try (Connection connection = endpoint.connect()) {
            CutoverSchema.install(connection);
        } catch (SQLException e) {
            throw Catalog.failure("creating cutover's own schema", endpoint, e);
        }
    }
}
