package dev.cutover.schema.section;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLWarning;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.cutover.platform.StepFailure;
import dev.cutover.platform.database.Endpoint;
import dev.cutover.schema.pgtools.Catalog;

/**
 * Gathers the planner's statistics on the target's tables once their rows and indexes are there. A copied table has
 * none: autovacuum would get to it eventually, but the application's first queries after the switch would be planned
 * blind, and autovacuum never analyzes a partitioned table's parent at all. The target serves nobody until the
 * cutover, so each table goes straight to the full statistics that {@code vacuumdb --analyze-in-stages} reaches in
 * its last stage; the earlier, coarser stages only let a server that is already serving plan sooner.
 */
final class Statistics {

    private static final Logger log = LoggerFactory.getLogger(Statistics.class);

    /** Tables, partitioned tables and materialized views, qualified and quoted. */
    private static final String IN_SCHEMAS = """
            SELECT format('%I.%I', n.nspname, c.relname)
              FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
             WHERE c.relkind IN ('r', 'p', 'm') AND c.relpersistence = 'p' AND n.nspname = ANY (?)
             ORDER BY pg_catalog.pg_table_size(c.oid) DESC""";

    private Statistics() {
    }

    /**
     * Analyzes every table of {@code schemas} on the target but those named in {@code done} ({@code schema.table}, as
     * the replicator names them), biggest first, on up to {@code workers} connections at once.
     *
     * @return how many tables were analyzed
     */
    static int analyze(Endpoint target, List<String> schemas, Set<String> done, int workers) {
        List<String> tables = new ArrayList<>();
        try (Connection connection = target.connect();
                PreparedStatement statement = connection.prepareStatement(IN_SCHEMAS)) {
            statement.setArray(1, Catalog.textArray(connection, schemas));
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    tables.add(rows.getString(1));
                }
            }
        } catch (SQLException e) {
            throw Catalog.failure("listing the target's tables to gather their statistics", target, e);
        }
        Set<String> skipped = Set.copyOf(quoted(target, done));
        tables.removeIf(skipped::contains);
        run(target, tables, workers);
        return tables.size();
    }

    /** Analyzes the named tables ({@code schema.table}, as the replicator names them) on up to {@code workers} connections. */
    static int analyzeNamed(Endpoint target, Collection<String> names, int workers) {
        List<String> tables = quoted(target, names);
        run(target, tables, workers);
        return tables.size();
    }

    /** The tables as SQL names, from the {@code schema.table} text the replicator uses (which does not quote). */
    private static List<String> quoted(Endpoint target, Collection<String> names) {
        if (names.isEmpty()) {
            return List.of();
        }
        List<String> tables = new ArrayList<>();
        try (Connection connection = target.connect(); PreparedStatement statement = connection.prepareStatement("""
                SELECT format('%I.%I', n.nspname, c.relname)
                  FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
                 WHERE c.relkind IN ('r', 'p', 'm') AND n.nspname || '.' || c.relname = ANY (?)""")) {
            statement.setArray(1, Catalog.textArray(connection, List.copyOf(names)));
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    tables.add(rows.getString(1));
                }
            }
        } catch (SQLException e) {
            throw Catalog.failure("finding the tables to gather statistics on", target, e);
        }
        return tables;
    }

    /**
     * ANALYZE by a role that neither owns the table nor is a superuser (RDS's master user, before PostgreSQL 17 and
     * its MAINTAIN privilege) skips it with a warning instead of failing: said here, with what to do, rather than
     * counted as done. The cutover's preflight warns of such a table again (target_statistics).
     */
    private static void skippedIfWarned(Statement statement, String table, Endpoint target) throws SQLException {
        for (SQLWarning warning = statement.getWarnings(); warning != null; warning = warning.getNextWarning()) {
            if (warning.getMessage() != null && warning.getMessage().contains("skipping")) {
                log.warn("ANALYZE {} on {} was skipped ({}): run it there as the table's owner before the cutover, or"
                        + " grant MAINTAIN on it (PostgreSQL 17) to {}", table, target.describe(), warning.getMessage(),
                        target.user());
            }
        }
        statement.clearWarnings();
    }

    private static void run(Endpoint target, List<String> tables, int workers) {
        if (tables.isEmpty()) {
            return;
        }
        ConcurrentLinkedQueue<String> queue = new ConcurrentLinkedQueue<>(tables);
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<?>> running = new ArrayList<>();
            for (int worker = 0; worker < Math.min(workers, tables.size()); worker++) {
                running.add(threads.submit(() -> {
                    try (Connection connection = target.connect(); Statement statement = connection.createStatement()) {
                        String table;
                        while ((table = queue.poll()) != null) {
                            statement.execute("ANALYZE " + table);
                            skippedIfWarned(statement, table, target);
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> worker : running) {
                worker.get();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StepFailure("interrupted while gathering the target's statistics", true, e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof SQLException sql) {
                throw Catalog.failure("gathering the target's statistics (ANALYZE)", target, sql);
            }
            throw new StepFailure("gathering the target's statistics failed: " + e.getCause(), false, e.getCause());
        }
    }
}
