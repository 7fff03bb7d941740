package dev.cutover.schema.section;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.cutover.platform.StepFailure;
import dev.cutover.platform.database.DatabasePair;
import dev.cutover.platform.database.Endpoint;
import dev.cutover.schema.pgtools.Catalog;
import dev.cutover.schema.pgtools.PgTools;
import dev.cutover.schema.pgtools.Toc;

/**
 * Builds the source's post-data section (indexes, keys, foreign keys, triggers, ...) on the target with
 * several connections at once, in the phases of {@link PostDataPlan}.
 *
 * <p>The section can be built in parts: the indexes and keys of tables as soon as they are copied, while
 * the copy goes on, and the foreign keys between tables built so ({@link #applyTables}), then the whole
 * section, which builds whatever is left ({@link #apply(DatabasePair, int, String)}). Entries the target already has (by name: indexes, constraints, triggers, rules, policies)
 * are skipped, so a command repeated after a partial failure builds only what is missing.
 */
public final class PostDataBuilder {

    private static final Logger log = LoggerFactory.getLogger(PostDataBuilder.class);

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

    /** The target's foreign keys that are NOT VALID, named as pg_dump names them, with the statement that validates each. */
    private static final String NOT_VALIDATED = """
            SELECT n.nspname, t.relname || ' ' || c.conname,
                   'ALTER TABLE ' || pg_catalog.quote_ident(n.nspname) || '.' || pg_catalog.quote_ident(t.relname)
                   || ' VALIDATE CONSTRAINT ' || pg_catalog.quote_ident(c.conname) || ';'
              FROM pg_catalog.pg_constraint c JOIN pg_catalog.pg_class t ON t.oid = c.conrelid
              JOIN pg_catalog.pg_namespace n ON n.oid = t.relnamespace
             WHERE c.contype = 'f' AND NOT c.convalidated AND n.nspname = ANY (?)
            """;

    /** Entries besides indexes and constraints that a repeated command recognises by name, and so skips. */
    private static final Set<String> NAMED_TYPES = Set.of("TRIGGER", "RULE", "POLICY");

    /** Migrations whose post-data is built table by table, at most this many at once. */
    private static final int KEPT_MIGRATIONS = 4;

    private final PgTools tools;
    private final BuildMemory memory;
    private final Map<String, Migration> migrations = new LinkedHashMap<>();

    /** A builder whose connections sort and join in {@link BuildMemory#DEFAULT}. */
    public PostDataBuilder(PgTools tools) {
        this(tools, BuildMemory.DEFAULT);
    }

    public PostDataBuilder(PgTools tools, BuildMemory memory) {
        this.tools = tools;
        this.memory = memory;
    }

    /**
     * The source's post-data section as one dump: the script cut into entries (empty when it could not be
     * cut, see {@link PostDataScript}), the script's text, and what the source's catalog says of its entries.
     */
    private record Dump(Optional<PostDataScript> script, String text, Toc toc, SourceObjects objects,
            List<String> schemas) {
    }

    /**
     * A migration built table by table: its dump, taken by the first call, the tables whose own keys are built so
     * far, the foreign keys a call has taken on (between tables built so far), and the tables whose statistics are
     * gathered. Several calls of one migration may run at once; the sets are guarded by {@code migrations}, the dump
     * by the migration itself.
     */
    private static final class Migration {

        private Dump dump;
        private final Set<String> built = new HashSet<>();
        private final Set<String> foreignKeys = new HashSet<>();
        private final Set<String> analyzed = new HashSet<>();

        /** The migration's dump: the first caller takes it, the others wait for it. */
        synchronized Dump dump(Supplier<Dump> take) {
            if (dump == null) {
                dump = take.get();
            }
            return dump;
        }
    }

    /**
     * Builds the whole section from a fresh dump, skipping what the target already has.
     *
     * @param workers how many connections build at once
     */
    public SectionReport apply(DatabasePair pair, int workers) {
        requireWorkers(workers);
        long started = System.nanoTime();
        forget(key -> key.endsWith('\0' + identity(pair)));
        return applyWhole(pair, workers, dump(pair), Set.of(), started);
    }

    /**
     * Builds what is left of the whole section after a migration's tables were built one by one, from that
     * migration's dump (the source's schema does not change during a migration), then forgets the migration.
     * Without tables built before, it dumps as {@link #apply(DatabasePair, int)} does.
     */
    public SectionReport apply(DatabasePair pair, int workers, String migration) {
        return apply(pair, workers, migration, List.of());
    }

    /**
     * As {@link #apply(DatabasePair, int, String)}, for a load taken up after an interruption that left {@code withheld}
     * tables to table synchronisation: they are empty on the target yet, so the foreign keys that reference them wait
     * ({@link WithheldTables}) for {@link #finishForeignKeys}.
     */
    public SectionReport apply(DatabasePair pair, int workers, String migration, Collection<String> withheld) {
        requireWorkers(workers);
        long started = System.nanoTime();
        String key = key(pair, migration);
        Migration kept;
        Set<String> analyzed;
        synchronized (migrations) {
            kept = migrations.remove(key);
            analyzed = kept == null ? Set.of() : Set.copyOf(kept.analyzed);
        }
        Dump dump = kept != null ? kept.dump(() -> dump(pair)) : dump(pair);
        return applyWhole(pair, workers, dump, analyzed, started,
                WithheldTables.of(withheld, dump.objects().parents()));
    }

    /** @param analyzed tables whose own post-data, statistics included, was built table by table before */
    private SectionReport applyWhole(DatabasePair pair, int workers, Dump dump, Set<String> analyzed, long started) {
        return applyWhole(pair, workers, dump, analyzed, started, WithheldTables.NONE);
    }

    private SectionReport applyWhole(DatabasePair pair, int workers, Dump dump, Set<String> analyzed, long started,
            WithheldTables withheld) {
        if (dump.script().isEmpty()) {
            if (!withheld.isEmpty()) {
                throw new StepFailure("post-data cannot be cut into entries, so its foreign keys cannot wait for the"
                        + " tables table synchronisation copies (" + withheld.sorted() + "); start the migration again"
                        + " with a new id so that the load copies every table", false);
            }
            log.warn("applying post-data with psql instead, one statement after the other in one transaction");
            tools.apply(pair.target(), String.join("\n", memory.statements()) + "\n" + dump.text());
            Counts counts = new Counts();
            dump.toc().entries().forEach(entry -> counts.add(PostDataItem.Kind.of(entry.type())));
            analyzeRest(pair, workers, dump, analyzed);
            return counts.report(started);
        }
        List<PostDataItem> items = new ArrayList<>();
        int notValid = 0;
        int later = 0;
        for (PostDataItem item : dump.script().get().items()) {
            switch (treatment(item, dump.objects(), withheld)) {
                case AS_DUMPED -> items.add(item);
                case NOT_VALID -> {
                    items.add(item.withSql(WithheldTables.notValid(item.sql())));
                    notValid++;
                }
                case LATER -> later++;
            }
        }
        SectionReport report = build(pair, workers, dump, items, "post-data", started);
        analyzeRest(pair, workers, dump, analyzed);
        report = report.took(Duration.ofNanos(System.nanoTime() - started));
        if (notValid + later == 0) {
            return report;
        }
        String note = notValid + " foreign key(s) referencing tables that table synchronisation has not copied yet ("
                + withheld.sorted() + ") added NOT VALID" + (later > 0 ? ", " + later + " of partitioned tables left out"
                : "") + ": the schema check validates them once streaming has copied those tables";
        log.info("post-data: {}", note);
        return report.noted(note);
    }

    private static WithheldTables.Treatment treatment(PostDataItem item, SourceObjects objects,
            WithheldTables withheld) {
        // A key NOT VALID on the source checks no rows when added, and stays so on the target.
        if (withheld.isEmpty() || item.kind() != PostDataItem.Kind.FOREIGN_KEY
                || WithheldTables.isNotValid(item.sql())) {
            return WithheldTables.Treatment.AS_DUMPED;
        }
        Optional<String> table = objects.tableOf(item);
        Optional<String> referenced = objects.referencedTableOf(item);
        if (table.isEmpty() || referenced.isEmpty()) {
            return WithheldTables.Treatment.AS_DUMPED;
        }
        return withheld.foreignKey(table.get(), referenced.get(), objects.partitioned().contains(table.get()));
    }

    /**
     * After table synchronisation copied the {@code withheld} tables: validates the foreign keys referencing them that
     * post-data added NOT VALID, and adds those it left out (partitioned tables'), several at once. A key that is valid
     * on the target already is left alone, so the call can be repeated. A key the rows do not satisfy fails the call
     * (SQLSTATE 23503) naming it: rows are missing on the target.
     *
     * @return how many keys were validated or added
     */
    public int finishForeignKeys(DatabasePair pair, int workers, Collection<String> withheld) {
        requireWorkers(workers);
        if (withheld.isEmpty()) {
            return 0;
        }
        long started = System.nanoTime();
        Dump dump = dump(pair);
        if (dump.script().isEmpty()) {
            throw new StepFailure("post-data cannot be cut into entries, so the foreign keys referencing " + withheld
                    + " cannot be finished one by one; start the migration again with a new id", false);
        }
        WithheldTables tables = WithheldTables.of(withheld, dump.objects().parents());
        Map<String, String> validations = notValidated(pair.target(), dump.schemas());
        Set<String> existing = existing(pair.target(), dump.schemas());
        List<PostDataItem> todo = new ArrayList<>();
        for (PostDataItem item : dump.script().get().items()) {
            if (treatment(item, dump.objects(), tables) == WithheldTables.Treatment.AS_DUMPED) {
                continue;
            }
            String validation = validations.get(key(item));
            if (validation != null) {
                todo.add(item.withSql(validation));
            } else if (!existing.contains(key(item))) {
                todo.add(item);
            }
        }
        if (!todo.isEmpty()) {
            try (Workers pool = Workers.open(pair.target(), Math.min(workers, todo.size()),
                    session(dump.script().get()))) {
                pool.run(todo, true);
            }
        }
        log.info("foreign keys referencing {}: {} validated or added, {} ms", tables.sorted(), todo.size(),
                (System.nanoTime() - started) / 1_000_000);
        return todo.size();
    }

    private static Map<String, String> notValidated(Endpoint target, List<String> schemas) {
        try (Connection connection = target.connect();
                PreparedStatement statement = connection.prepareStatement(NOT_VALIDATED)) {
            statement.setArray(1, Catalog.textArray(connection, schemas));
            Map<String, String> found = new HashMap<>();
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    found.put(SourceObjects.key(rows.getString(1), rows.getString(2)), rows.getString(3));
                }
            }
            return found;
        } catch (SQLException e) {
            throw Catalog.failure("reading the target's foreign keys not validated yet", target, e);
        }
    }

    /** The statistics of every table not analyzed with its own post-data: counted in the section's time. */
    private static void analyzeRest(DatabasePair pair, int workers, Dump dump, Set<String> analyzed) {
        long started = System.nanoTime();
        int tables = Statistics.analyze(pair.target(), dump.schemas(), analyzed, workers);
        log.info("post-data: statistics gathered on {} tables, {} ms", tables, (System.nanoTime() - started) / 1_000_000);
    }

    /**
     * Builds the indexes and key constraints (primary key, unique, exclusion) of these tables, which must be
     * fully copied, and then the foreign keys between them and tables built by earlier calls for the same
     * migration. Everything else (foreign keys to tables not built yet, triggers, partitioned parents'
     * indexes, ...) is left for {@link #apply(DatabasePair, int, String)}. Calls for different tables of one
     * migration may run at once: a foreign key is taken on by the call that finishes the second of its two tables
     * (or both), never by two calls. The first call dumps the section and later calls use that dump: a
     * table-by-table build of thousands of tables must not dump thousands of times. A service restarted in
     * between forgets the tables built, so their foreign keys wait for the whole section, which must not start
     * before a migration's table-by-table calls are over ({@link TablePostData#awaitAll}).
     *
     * @param tables    qualified {@code schema.table}, as the replicator names them
     * @param migration whose calls share one dump and know each other's tables
     */
    public SectionReport applyTables(DatabasePair pair, int workers, Collection<String> tables, String migration) {
        requireWorkers(workers);
        long started = System.nanoTime();
        Migration kept = kept(pair, migration);
        Dump dump = kept.dump(() -> dump(pair));
        if (dump.script().isEmpty()) {
            log.warn("post-data of {} is left for the whole section, which psql applies", tables);
            return new Counts().report(started);
        }
        Set<String> wanted = Set.copyOf(tables);
        SourceObjects objects = dump.objects();
        List<PostDataItem> keys = dump.script().get().items().stream()
                .filter(item -> switch (item.kind()) {
                    case INDEX, KEY_CONSTRAINT -> objects.tableOf(item).filter(wanted::contains).isPresent();
                    case FOREIGN_KEY, KEY_INDEX, KEY_ON_INDEX, INDEX_ATTACHMENT, OTHER -> false;
                })
                .toList();
        SectionReport report = build(pair, workers, dump, keys, "post-data of " + tables, started);
        // The foreign keys of these tables whose other table has its keys too, and that no other call has taken on.
        List<PostDataItem> foreignKeys = new ArrayList<>();
        synchronized (migrations) {
            kept.built.addAll(wanted);
            for (PostDataItem item : dump.script().get().items()) {
                if (item.kind() == PostDataItem.Kind.FOREIGN_KEY
                        && (objects.tableOf(item).filter(wanted::contains).isPresent()
                                || objects.referencedTableOf(item).filter(wanted::contains).isPresent())
                        && objects.tableOf(item).filter(kept.built::contains).isPresent()
                        && objects.referencedTableOf(item).filter(kept.built::contains).isPresent()
                        && kept.foreignKeys.add(key(item))) {
                    foreignKeys.add(item);
                }
            }
        }
        long keysBuilt = System.nanoTime();
        report = report.plus(build(pair, workers, dump, foreignKeys, "foreign keys of " + tables, keysBuilt));
        long foreignKeysBuilt = System.nanoTime();
        // Its rows and indexes are all there now: the planner's statistics follow, while other tables still copy.
        Statistics.analyzeNamed(pair.target(), wanted, workers);
        synchronized (migrations) {
            kept.analyzed.addAll(wanted);
        }
        long done = System.nanoTime();
        log.info("post-data of {}: indexes and keys {} ms, {} foreign key(s) {} ms, statistics {} ms", tables,
                (keysBuilt - started) / 1_000_000, foreignKeys.size(), (foreignKeysBuilt - keysBuilt) / 1_000_000,
                (done - foreignKeysBuilt) / 1_000_000);
        return report.took(Duration.ofNanos(done - started));
    }

    private static void requireWorkers(int workers) {
        if (workers < 1) {
            throw new IllegalArgumentException("post-data needs at least one worker, was " + workers);
        }
    }

    private SectionReport build(DatabasePair pair, int workers, Dump dump, List<PostDataItem> entries, String what,
            long started) {
        List<PostDataItem> items = KeyIndexes.split(entries, dump.objects()::keyIndexOf);
        PostDataPlan plan = PostDataPlan.of(items, dump.objects()::sizeOf);
        Counts counts = new Counts();
        if (plan.size() == 0) {
            return counts.report(started);
        }
        Set<String> existing = existing(pair.target(), dump.schemas());
        try (Workers pool = Workers.open(pair.target(), Math.min(workers, plan.size()),
                session(dump.script().orElseThrow()))) {
            for (PostDataPlan.Phase phase : plan.phases()) {
                List<PostDataItem> todo = phase.items().stream().filter(item -> !alreadyThere(item, existing)).toList();
                List<PostDataItem> there = phase.items().stream().filter(item -> alreadyThere(item, existing)).toList();
                there.forEach(counts::skip);
                if (phase.items().isEmpty()) {
                    continue;
                }
                long phaseStarted = System.nanoTime();
                pool.run(todo, phase.parallel());
                todo.forEach(item -> counts.add(item.kind()));
                log.info("{} {}: {} built, {} already there, {} ms", what, phase.name(), todo.size(), there.size(),
                        (System.nanoTime() - phaseStarted) / 1_000_000);
            }
        }
        return counts.report(started);
    }

    /** What each post-data connection runs first: the dump's own settings, then the memory it may use. */
    private List<String> session(PostDataScript script) {
        List<String> statements = new ArrayList<>(script.prelude());
        statements.addAll(memory.statements());
        return statements;
    }

    private Migration kept(DatabasePair pair, String migration) {
        String key = key(pair, migration);
        synchronized (migrations) {
            Migration kept = migrations.computeIfAbsent(key, any -> new Migration());
            while (migrations.size() > KEPT_MIGRATIONS) {
                migrations.remove(migrations.keySet().iterator().next());
            }
            return kept;
        }
    }

    private void forget(Predicate<String> keys) {
        synchronized (migrations) {
            migrations.keySet().removeIf(keys);
        }
    }

    private static String key(DatabasePair pair, String migration) {
        return migration + '\0' + identity(pair);
    }

    private static String identity(DatabasePair pair) {
        return pair.source().describe() + " -> " + pair.target().describe() + " " + pair.scope().describe();
    }

    private Dump dump(DatabasePair pair) {
        SourceObjects objects;
        List<String> schemas;
        try (Connection source = pair.source().connect()) {
            tools.requirePgDump(Catalog.majorVersion(source));
            schemas = pair.schemasOn(source);
            objects = SourceObjects.read(source, schemas);
        } catch (SQLException e) {
            throw Catalog.failure("reading the source's indexes and constraints", pair.source(), e);
        }
        // No --schema-only: it would leave out MATERIALIZED VIEW DATA, and the target's views would stay unpopulated.
        List<String> options = new ArrayList<>(List.of("--section=post-data", "--no-publications", "--no-subscriptions"));
        options.addAll(DumpPatterns.options(pair.scope(), schemas, List.of()));
        Path archive = tools.dump(pair.source(), options);
        Toc toc;
        String text;
        try {
            toc = tools.list(archive);
            text = tools.script(archive, toc);
        } finally {
            PgTools.delete(archive);
        }
        try {
            return new Dump(Optional.of(PostDataScript.parse(text, toc)), text, toc, objects, schemas);
        } catch (IllegalStateException e) {
            log.warn("{}: post-data cannot be built entry by entry", e.getMessage());
            return new Dump(Optional.empty(), text, toc, objects, schemas);
        }
    }

    private static final class Counts {
        int statements;
        int indexes;
        int constraints;
        int skipped;

        /** A key split into its index and itself counts once, as the constraint it is. */
        void add(PostDataItem.Kind kind) {
            switch (kind) {
                case INDEX -> indexes++;
                case KEY_CONSTRAINT, KEY_ON_INDEX, FOREIGN_KEY -> constraints++;
                case KEY_INDEX, INDEX_ATTACHMENT, OTHER -> { }
            }
            if (kind != PostDataItem.Kind.KEY_INDEX) {
                statements++;
            }
        }

        void skip(PostDataItem item) {
            if (item.kind() != PostDataItem.Kind.KEY_INDEX) {
                skipped++;
            }
        }

        SectionReport report(long started) {
            return new SectionReport(statements, indexes, constraints, skipped, Duration.ofNanos(System.nanoTime() - started));
        }
    }

    private static boolean alreadyThere(PostDataItem item, Set<String> existing) {
        boolean named = switch (item.kind()) {
            case INDEX, KEY_CONSTRAINT, KEY_INDEX, KEY_ON_INDEX, FOREIGN_KEY -> true;
            case INDEX_ATTACHMENT -> false;
            case OTHER -> NAMED_TYPES.contains(item.type());
        };
        return named && existing.contains(key(item));
    }

    private static String key(PostDataItem item) {
        return SourceObjects.key(item.schema(), item.tag());
    }

    private static Set<String> existing(Endpoint target, List<String> schemas) {
        try (Connection connection = target.connect(); PreparedStatement statement = connection.prepareStatement(EXISTING)) {
            for (int parameter = 1; parameter <= 5; parameter++) {
                statement.setArray(parameter, Catalog.textArray(connection, schemas));
            }
            Set<String> names = new HashSet<>();
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    names.add(SourceObjects.key(rows.getString(1), rows.getString(2)));
                }
            }
            return names;
        } catch (SQLException e) {
            throw Catalog.failure("reading what the target already has", target, e);
        }
    }
}
