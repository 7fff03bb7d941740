package dev.cutover.platform.database;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.OptionalLong;

/**
 * The tables a full load copies, with their size on the source. One query serves the replicator's load (what it
 * publishes, copies, counts and verifies) and schema-service's plan (what a migration's preflight and dry run say it
 * will move), so the plan cannot name other tables than the load copies.
 *
 * <p>Which tables: every ordinary table ({@code relkind 'r'}) of the schemas in scope and of {@code cutover}. That
 * takes leaf partitions (their rows live there) and leaves out partitioned parents (they hold none), views and
 * materialized views; an inheritance parent and each of its children are tables of their own, each measured alone,
 * as the load copies each with {@code ONLY}.
 */
public final class LoadTables {

    private static final String TABLES = """
            SELECT n.nspname, c.relname, coalesce(pg_catalog.pg_table_size(c.oid), 0),
                   CASE WHEN c.reltuples < 0 OR (c.reltuples = 0 AND c.relpages = 0) THEN NULL
                        ELSE c.reltuples::bigint END
              FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
             WHERE c.relkind = 'r' AND n.nspname = ANY (?)
             ORDER BY 1, 2""";

    /**
     * One table of the load.
     *
     * @param bytes         {@code pg_table_size}: heap, TOAST and free space map; no indexes, which are built, not copied
     * @param estimatedRows {@code pg_class.reltuples} as of the last VACUUM or ANALYZE; empty when the server has no
     *                      estimate (never vacuumed or analysed)
     */
    public record LoadTable(String schema, String name, long bytes, OptionalLong estimatedRows) {

        public LoadTable {
            Objects.requireNonNull(schema, "schema must not be null");
            Objects.requireNonNull(name, "name must not be null");
            Objects.requireNonNull(estimatedRows, "estimatedRows must not be null");
        }

        /** {@code schema.name}, as events and people name the table. */
        public String qualifiedName() {
            return schema + "." + name;
        }
    }

    private LoadTables() {
    }

    /**
     * The load's tables in {@code schemas} (resolved by {@link DatabasePair#schemasOn}) and in {@code cutover}, by
     * schema and name.
     */
    public static List<LoadTable> of(Connection source, List<String> schemas) throws SQLException {
        List<String> all = new ArrayList<>(schemas);
        if (!all.contains(SchemaScope.CUTOVER_SCHEMA)) {
            all.add(SchemaScope.CUTOVER_SCHEMA);
        }
        try (PreparedStatement statement = source.prepareStatement(TABLES)) {
            statement.setArray(1, source.createArrayOf("text", all.toArray()));
            List<LoadTable> tables = new ArrayList<>();
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    long estimate = rows.getLong(4);
                    tables.add(new LoadTable(rows.getString(1), rows.getString(2), rows.getLong(3),
                            rows.wasNull() ? OptionalLong.empty() : OptionalLong.of(estimate)));
                }
            }
            return tables;
        }
    }
}
