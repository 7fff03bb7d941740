package dev.cutover.schema.section;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.cutover.platform.database.DatabasePair;
import dev.cutover.platform.database.Endpoint;
import dev.cutover.schema.pgtools.Catalog;
import dev.cutover.schema.pgtools.PgTools;
import dev.cutover.schema.pgtools.Toc;

/**
 * Builds the source's post-data section (indexes, keys, foreign keys, triggers, ...) on the target with
 * several connections at once, in the phases of {@link PostDataPlan}.
 *
 * <p>Entries the target already has (by name: indexes, constraints, triggers, rules, policies) are skipped, so a command
 * repeated after a partial failure builds only what is missing.
 */
public final class PostDataBuilder {

    private static final Logger log = LoggerFactory.getLogger(PostDataBuilder.class);

    /** How much work each entry is, from the source: the index's size, or the table's for a foreign key. */
    private static final String SIZES = """
            SELECT n.nspname, i.relname, pg_catalog.pg_relation_size(i.oid)
              FROM pg_catalog.pg_class i JOIN pg_catalog.pg_namespace n ON n.oid = i.relnamespace
             WHERE i.relkind IN ('i', 'I') AND n.nspname = ANY (?)
            UNION ALL
            SELECT n.nspname, t.relname || ' ' || c.conname,
                   pg_catalog.pg_relation_size(CASE WHEN c.conindid <> 0 AND c.contype <> 'f' THEN c.conindid ELSE t.oid END)
              FROM pg_catalog.pg_constraint c JOIN pg_catalog.pg_class t ON t.oid = c.conrelid
              JOIN pg_catalog.pg_namespace n ON n.oid = t.relnamespace
             WHERE n.nspname = ANY (?)
            """;

    /** What the target already has, named as pg_dump names entries: schema and tag. */
    private static final String EXISTING = """
            SELECT n.nspname, i.relname
              FROM pg_catalog.pg_class i JOIN pg_catalog.pg_namespace n ON n.oid = i.relnamespace
             WHERE i.relkind IN ('i', 'I') AND n.nspname = ANY (?)
            UNION ALL
            SELECT n.nspname, t.relname || ' ' || c.conname
              FROM pg_catalog.pg_constraint c JOIN pg_catalog.pg_class t ON t.oid = c.conrelid
              JOIN pg_catalog.pg_namespace n ON n.oid = t.relnamespace
             WHERE n.nspname = ANY (?)
            UNION ALL
            SELECT n.nspname, t.relname || ' ' || g.tgname
              FROM pg_catalog.pg_trigger g JOIN pg_catalog.pg_class t ON t.oid = g.tgrelid
              JOIN pg_catalog.pg_namespace n ON n.oid = t.relnamespace
             WHERE NOT g.tgisinternal AND n.nspname = ANY (?)
            UNION ALL
            SELECT n.nspname, t.relname || ' ' || r.rulename
              FROM pg_catalog.pg_rewrite r JOIN pg_catalog.pg_class t ON t.oid = r.ev_class
              JOIN pg_catalog.pg_namespace n ON n.oid = t.relnamespace
             WHERE r.rulename <> '_RETURN' AND n.nspname = ANY (?)
            UNION ALL
            SELECT n.nspname, t.relname || ' ' || p.polname
              FROM pg_catalog.pg_policy p JOIN pg_catalog.pg_class t ON t.oid = p.polrelid
              JOIN pg_catalog.pg_namespace n ON n.oid = t.relnamespace
             WHERE n.nspname = ANY (?)
            """;

    /** Entries besides indexes and constraints that a repeated command recognises by name, and so skips. */
    private static final Set<String> NAMED_TYPES = Set.of("TRIGGER", "RULE", "POLICY");

    private final PgTools tools;

    public PostDataBuilder(PgTools tools) {
        this.tools = tools;
    }

    /**
     * @param workers how many connections build at once
     */
    public SectionReport apply(DatabasePair pair, int workers) {
        if (workers < 1) {
            throw new IllegalArgumentException("post-data needs at least one worker, was " + workers);
        }
        long started = System.nanoTime();
        Map<String, Long> sizes;
        try (Connection source = pair.source().connect()) {
            tools.requirePgDump(Catalog.majorVersion(source));
            sizes = sizes(source, pair.schemas());
        } catch (SQLException e) {
            throw Catalog.failure("reading the source's index sizes", pair.source(), e);
        }
        // No --schema-only: it would leave out MATERIALIZED VIEW DATA, and the target's views would stay unpopulated.
        List<String> options = new ArrayList<>(List.of("--section=post-data", "--no-publications", "--no-subscriptions"));
        pair.schemas().forEach(schema -> options.add("--schema=" + DumpPatterns.exact(schema)));
        Path archive = tools.dump(pair.source(), options);
        Toc toc;
        String text;
        try {
            toc = tools.list(archive);
            text = tools.script(archive, toc);
        } finally {
            PgTools.delete(archive);
        }
        PostDataScript script;
        try {
            script = PostDataScript.parse(text, toc);
        } catch (IllegalStateException e) {
            log.warn("{}; applying post-data with psql instead, one statement after the other in one transaction",
                    e.getMessage());
            tools.apply(pair.target(), text);
            Counts counts = new Counts();
            toc.entries().forEach(entry -> counts.add(PostDataItem.Kind.of(entry.type())));
            return counts.report(started);
        }
        PostDataPlan plan = PostDataPlan.of(script.items(), item -> sizes.getOrDefault(key(item), 0L));
        Set<String> existing = existing(pair.target(), pair.schemas());
        Counts counts = new Counts();
        try (Workers pool = Workers.open(pair.target(), Math.min(workers, Math.max(1, plan.size())), script.prelude())) {
            for (PostDataPlan.Phase phase : plan.phases()) {
                List<PostDataItem> todo = phase.items().stream().filter(item -> !alreadyThere(item, existing)).toList();
                counts.skipped += phase.items().size() - todo.size();
                long phaseStarted = System.nanoTime();
                pool.run(todo, phase.parallel());
                todo.forEach(item -> counts.add(item.kind()));
                log.info("post-data {}: {} built, {} already there, {} ms", phase.name(), todo.size(),
                        phase.items().size() - todo.size(), (System.nanoTime() - phaseStarted) / 1_000_000);
            }
        }
        return counts.report(started);
    }

    private static final class Counts {
        int statements;
        int indexes;
        int constraints;
        int skipped;

        void add(PostDataItem.Kind kind) {
            statements++;
            switch (kind) {
                case INDEX -> indexes++;
                case KEY_CONSTRAINT, FOREIGN_KEY -> constraints++;
                case INDEX_ATTACHMENT, OTHER -> { }
            }
        }

        SectionReport report(long started) {
            return new SectionReport(statements, indexes, constraints, skipped, Duration.ofNanos(System.nanoTime() - started));
        }
    }

    private static boolean alreadyThere(PostDataItem item, Set<String> existing) {
        boolean named = switch (item.kind()) {
            case INDEX, KEY_CONSTRAINT, FOREIGN_KEY -> true;
            case INDEX_ATTACHMENT -> false;
            case OTHER -> NAMED_TYPES.contains(item.type());
        };
        return named && existing.contains(key(item));
    }

    private static String key(PostDataItem item) {
        return key(item.schema(), item.tag());
    }

    private static String key(String schema, String tag) {
        return schema + '\0' + tag;
    }

    private static Map<String, Long> sizes(Connection source, List<String> schemas) throws SQLException {
        Map<String, Long> sizes = new HashMap<>();
        try (PreparedStatement statement = source.prepareStatement(SIZES)) {
            statement.setArray(1, Catalog.textArray(source, schemas));
            statement.setArray(2, Catalog.textArray(source, schemas));
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    sizes.merge(key(rows.getString(1), rows.getString(2)), rows.getLong(3), Long::sum);
                }
            }
        }
        return sizes;
    }

    private static Set<String> existing(Endpoint target, List<String> schemas) {
        try (Connection connection = target.connect(); PreparedStatement statement = connection.prepareStatement(EXISTING)) {
            for (int parameter = 1; parameter <= 5; parameter++) {
                statement.setArray(parameter, Catalog.textArray(connection, schemas));
            }
            Set<String> names = new HashSet<>();
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    names.add(key(rows.getString(1), rows.getString(2)));
                }
            }
            return names;
        } catch (SQLException e) {
            throw Catalog.failure("reading what the target already has", target, e);
        }
    }
}
