package dev.cutover.schema.preflight;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import dev.cutover.platform.database.SchemaScope;

/**
 * The cutover's warning about target tables without planner statistics: the migration gathers them with post-data,
 * but a target prepared some other way, or whose statistics were reset since, would plan the application's first
 * queries after the switch blind.
 */
final class TargetStatistics {

    private static final int NAMED = 10;

    /**
     * Tables and materialized views neither analyzed (by hand or by autovacuum, as the statistics system remembers) nor
     * holding any statistics; an empty table analyzed holds none, so both must be missing. The two times are read with
     * the functions {@code pg_stat_all_tables} calls, for these tables only: that view is grouped, so PostgreSQL builds
     * it for every table of the database (the catalog's and TOAST tables too) before joining it to any.
     */
    private static final String WITHOUT = """
            SELECT n.nspname, format('%I.%I', n.nspname, c.relname)
              FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
             WHERE c.relkind IN ('r', 'm') AND c.relpersistence = 'p'
               AND pg_catalog.pg_stat_get_last_analyze_time(c.oid) IS NULL
               AND pg_catalog.pg_stat_get_last_autoanalyze_time(c.oid) IS NULL
               AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_statistic t WHERE t.starelid = c.oid)
               AND """ + SchemaScope.condition("n.nspname") + " ORDER BY 2";

    /** A table or materialized view of the target without planner statistics, by the schema it is in. */
    record Table(String schema, String name) {
    }

    private TargetStatistics() {
    }

    /**
     * The target's tables without statistics in the scope's schemas as the target has them, so that this read needs
     * nothing of the source's; {@link #warning} keeps those of the schemas that move.
     */
    static List<Table> read(Connection target, SchemaScope scope) throws SQLException {
        List<Table> tables = new ArrayList<>();
        try (PreparedStatement statement = target.prepareStatement(WITHOUT)) {
            scope.bind(statement, 1);
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    tables.add(new Table(rows.getString(1), rows.getString(2)));
                }
            }
        }
        return tables;
    }

    /** The warning for those of {@code unanalyzed} in the schemas that move ({@code schemas}, the source's), if any. */
    static Optional<Finding> warning(List<Table> unanalyzed, List<String> schemas) {
        return warning(unanalyzed.stream().filter(table -> schemas.contains(table.schema())).map(Table::name).toList());
    }

    private static Optional<Finding> warning(List<String> tables) {
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
