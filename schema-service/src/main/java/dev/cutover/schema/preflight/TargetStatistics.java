package dev.cutover.schema.preflight;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;

import dev.cutover.schema.pgtools.Catalog;

/**
 * The cutover's warning about target tables without planner statistics: the migration gathers them with post-data,
 * but a target prepared some other way, or whose statistics were reset since, would plan the application's first
 * queries after the switch blind.
 */
final class TargetStatistics {

    private static final int NAMED = 10;

    /**
     * Tables and materialized views neither analyzed (by hand or by autovacuum, as the statistics views remember) nor
     * holding any statistics; an empty table analyzed holds none, so both must be missing.
     */
    private static final String WITHOUT = """
            SELECT format('%I.%I', n.nspname, c.relname)
              FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
              LEFT JOIN pg_catalog.pg_stat_all_tables s ON s.relid = c.oid
             WHERE c.relkind IN ('r', 'm') AND c.relpersistence = 'p' AND n.nspname = ANY (?)
               AND s.last_analyze IS NULL AND s.last_autoanalyze IS NULL
               AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_statistic t WHERE t.starelid = c.oid)
             ORDER BY 1""";

    private TargetStatistics() {
    }

    static Optional<Finding> check(Connection target, List<String> schemas) throws SQLException {
        return warning(Catalog.stringsFor(target, WITHOUT, schemas));
    }

    static Optional<Finding> warning(List<String> tables) {
        if (tables.isEmpty()) {
            return Optional.empty();
        }
        List<String> named = tables.subList(0, Math.min(NAMED, tables.size()));
        String more = tables.size() > NAMED ? " and " + (tables.size() - NAMED) + " more" : "";
        return Optional.of(new Finding(Severity.WARNING, "target_statistics", String.join(", ", named) + more,
                tables.size() + " table(s) on the target have no planner statistics: the application's first queries"
                        + " after the switch would be planned blind",
                "on the target, before the cutover: ANALYZE " + String.join(", ", named)
                        + (more.isEmpty() ? "" : ", ...") + " (or vacuumdb --analyze-only for the whole database)"));
    }
}
