package dev.cutover.schema.section;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import dev.cutover.platform.database.DatabasePair;
import dev.cutover.platform.database.Endpoint;
import dev.cutover.schema.pgtools.Catalog;
import dev.cutover.schema.pgtools.PgTools;
import dev.cutover.schema.pgtools.Toc;
import dev.cutover.schema.pgtools.TocEntry;

/**
 * Applies the source's pre-data section (types, functions, tables, sequences, views) to the target in
 * one transaction, and cutover's own schema on both sides.
 *
 * <p>The dump is a custom-format archive so that its entries can be chosen before the script is
 * written: {@code --schema} makes pg_dump write {@code CREATE SCHEMA} even for {@code public}, which a
 * new target already has, so schemas that exist on the target are left out. Extensions are dumped
 * with {@code --extension}, because with {@code --schema} pg_dump writes none.
 */
public final class PreDataApplier {

    private final PgTools tools;

    public PreDataApplier(PgTools tools) {
        this.tools = tools;
    }

    public SectionReport apply(DatabasePair pair) {
        long started = System.nanoTime();
        int sourceMajor;
        Set<String> extensions;
        try (Connection source = pair.source().connect()) {
            sourceMajor = Catalog.majorVersion(source);
            extensions = Catalog.extensions(source);
        } catch (SQLException e) {
            throw Catalog.failure("reading the source's extensions", pair.source(), e);
        }
        Set<String> targetSchemas = schemasOf(pair.target());
        tools.requirePgDump(sourceMajor);
        List<String> options = new ArrayList<>(List.of("--schema-only", "--section=pre-data", "--no-publications",
                "--no-subscriptions"));
        pair.schemas().forEach(schema -> options.add("--schema=" + DumpPatterns.exact(schema)));
        extensions.forEach(extension -> options.add("--extension=" + DumpPatterns.exact(extension)));
        Path archive = tools.dump(pair.source(), options);
        Toc toc;
        try {
            toc = tools.list(archive).without(entry -> createsExisting(entry, targetSchemas));
            tools.apply(pair.target(), tools.script(archive, toc));
        } finally {
            PgTools.delete(archive);
        }
        installCutoverSchema(pair.source());
        installCutoverSchema(pair.target());
        return new SectionReport(toc.size(), 0, 0, 0, Duration.ofNanos(System.nanoTime() - started));
    }

    static boolean createsExisting(TocEntry entry, Set<String> targetSchemas) {
        return entry.type().equals("SCHEMA") && targetSchemas.stream().anyMatch(entry::hasTag);
    }

    private static Set<String> schemasOf(Endpoint endpoint) {
        try (Connection connection = endpoint.connect()) {
            return Catalog.schemas(connection);
        } catch (SQLException e) {
            throw Catalog.failure("reading the schemas", endpoint, e);
        }
    }

    private static void installCutoverSchema(Endpoint endpoint) {
        try (Connection connection = endpoint.connect()) {
            CutoverSchema.install(connection);
        } catch (SQLException e) {
            throw Catalog.failure("creating cutover's own schema", endpoint, e);
        }
    }
}
