package dev.cutover.sandbox.zoo;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The rows of every table of a database, digested in SQL: one md5 per row over a text form of the row, and one md5
 * per table over its rows' digests in byte order. Written for this test, apart from the replicator's own check, so
 * that the two can be held against each other.
 *
 * <p>Each table is read with {@code ONLY}, so an inheritance parent's rows are its own and a row that landed in the
 * wrong child or partition shows up in both. Partitioned tables hold no rows themselves; their leaves are read.
 * Materialized views are read as they are (neither side refreshes them while the data streams).
 *
 * <p>The text of a row must not depend on the server's version or settings. Floating-point columns are therefore
 * digested as their IEEE bytes ({@code float8send}): PostgreSQL 12 changed how floats print (shortest exact form
 * instead of 15 digits), and both forms differ from the 17 digits JDBC asks for. Floats nested in ranges, composites
 * or geometric values print with {@code extra_float_digits = 0}, which every version since 12 still formats the old
 * way. {@code money} is read as numeric, as its text depends on {@code lc_monetary}; times in UTC.
 */
final class RowDigests {

    private static final String SESSION = """
            set extra_float_digits = 0;
            set timezone = 'UTC';
            set datestyle = 'ISO, MDY';
            set intervalstyle = 'postgres';
            set bytea_output = 'hex'
            """;

    /** The tables whose rows are compared: every table and materialized view of the user's schemas. */
    private static final String TABLES = """
            select c.oid, format('%I.%I', n.nspname, c.relname), c.relkind = 'm'
            from pg_class c join pg_namespace n on n.oid = c.relnamespace
            where c.relkind in ('r', 'm')
              and n.nspname not in ('pg_catalog', 'information_schema', 'cutover')
              and n.nspname not like 'pg\\_toast%' and n.nspname not like 'pg\\_temp%'
              and not exists (select 1 from pg_depend d where d.classid = 'pg_class'::regclass and d.objid = c.oid
                              and d.deptype = 'e')
            order by 2
            """;

    private static final String COLUMNS = """
            select format('%I', a.attname), t.typname, e.typname
            from pg_attribute a join pg_type t on t.oid = a.atttypid left join pg_type e on e.oid = t.typelem and t.typlen = -1
            where a.attrelid = ? and a.attnum > 0 and not a.attisdropped
            order by a.attnum
            """;

    private RowDigests() {
    }

    /** One table's digest: its row count and the md5 of its rows' md5s in byte order. */
    record TableDigest(String table, long rows, String digest, String rowText) {
    }

    /** The digest of every table, by qualified name. */
    static Map<String, TableDigest> read(Connection connection) throws SQLException {
        prepare(connection);
        Map<String, TableDigest> digests = new TreeMap<>();
        for (Map.Entry<String, String> table : rowTexts(connection).entrySet()) {
            String sql = "select count(*), md5(coalesce(string_agg(h, '' order by h collate \"C\"), '')) from (select md5("
                    + table.getValue() + ") h from only " + table.getKey() + " t) s";
            try (Statement s = connection.createStatement(); ResultSet r = s.executeQuery(sql)) {
                r.next();
                digests.put(table.getKey(), new TableDigest(table.getKey(), r.getLong(1), r.getString(2), table.getValue()));
            }
        }
        return digests;
    }

    /** The rows of one table as text, each as often as it occurs, for showing how two sides differ. */
    static List<String> rows(Connection connection, TableDigest table) throws SQLException {
        prepare(connection);
        List<String> rows = new ArrayList<>();
        try (Statement s = connection.createStatement();
                ResultSet r = s.executeQuery("select " + table.rowText() + " from only " + table.table() + " t")) {
            while (r.next()) {
                rows.add(r.getString(1));
            }
        }
        return rows;
    }

    /**
     * Every way the two sides' rows differ: tables on one side only, and for each table whose digest differs, the
     * rows found on one side only (at most {@code shown} of each, cut to 300 characters).
     */
    static List<String> compare(Connection source, Connection target, int shown) throws SQLException {
        Map<String, TableDigest> left = read(source);
        Map<String, TableDigest> right = read(target);
        List<String> differences = new ArrayList<>();
        TreeSet<String> tables = new TreeSet<>(left.keySet());
        tables.addAll(right.keySet());
        for (String table : tables) {
            TableDigest s = left.get(table);
            TableDigest t = right.get(table);
            if (s == null || t == null) {
                differences.add("rows: " + table + " exists on the " + (s == null ? "target" : "source") + " only"
                        + " (" + (s == null ? t.rows() : s.rows()) + " rows)");
            } else if (!s.digest().equals(t.digest()) || s.rows() != t.rows()) {
                differences.add("rows: " + table + " differs: source " + s.rows() + " rows (" + s.digest() + "), target "
                        + t.rows() + " rows (" + t.digest() + ")" + rowsOnOneSide(rows(source, s), rows(target, t), shown));
            }
        }
        return differences;
    }

    private static String rowsOnOneSide(List<String> source, List<String> target, int shown) {
        Map<String, Integer> balance = new HashMap<>();
        source.forEach(row -> balance.merge(row, 1, Integer::sum));
        target.forEach(row -> balance.merge(row, -1, Integer::sum));
        StringBuilder out = new StringBuilder();
        int[] counts = new int[2];
        balance.entrySet().stream().filter(e -> e.getValue() != 0).sorted(Map.Entry.comparingByKey()).forEach(e -> {
            int side = e.getValue() > 0 ? 0 : 1;
            if (counts[side]++ < shown) {
                String row = e.getKey().length() > 300 ? e.getKey().substring(0, 300) + "..." : e.getKey();
                out.append("\n      ").append(side == 0 ? "source only" : "target only")
                        .append(Math.abs(e.getValue()) > 1 ? " x" + Math.abs(e.getValue()) : "").append(": ").append(row);
            }
        });
        return out.append("\n      (").append(counts[0]).append(" distinct rows on the source only, ").append(counts[1])
                .append(" on the target only)").toString();
    }

    private static void prepare(Connection connection) throws SQLException {
        try (Statement s = connection.createStatement()) {
            s.execute(SESSION);
        }
    }

    /** Each table's row expression: its columns' text, version-neutral, quoted so that NULL and 'NULL' differ. */
    private static Map<String, String> rowTexts(Connection connection) throws SQLException {
        Map<String, Long> tables = new TreeMap<>();
        try (Statement s = connection.createStatement(); ResultSet r = s.executeQuery(TABLES)) {
            while (r.next()) {
                tables.put(r.getString(2), r.getLong(1));
            }
        }
        Map<String, String> texts = new TreeMap<>();
        try (PreparedStatement columns = connection.prepareStatement(COLUMNS)) {
            for (Map.Entry<String, Long> table : tables.entrySet()) {
                columns.setLong(1, table.getValue());
                List<String> parts = new ArrayList<>();
                try (ResultSet r = columns.executeQuery()) {
                    while (r.next()) {
                        parts.add("quote_nullable(" + columnText("t." + r.getString(1), r.getString(2), r.getString(3)) + ")");
                    }
                }
                texts.put(table.getKey(), parts.isEmpty() ? "''" : "concat_ws(',', " + String.join(", ", parts) + ")");
            }
        }
        return texts;
    }

    private static String columnText(String column, String type, String elementType) {
        if (type.equals("float4") || type.equals("float8")) {
            return "encode(float8send(" + column + "::float8), 'hex')";
        }
        if ("float4".equals(elementType) || "float8".equals(elementType)) {
            return "array_dims(" + column + ") || ':' || (select string_agg(coalesce(encode(float8send(x::float8), 'hex'), 'NULL'),"
                    + " ',' order by o) from unnest(" + column + ") with ordinality u(x, o))";
        }
        if (type.equals("money")) {
            return column + "::numeric::text";
        }
        return column + "::text";
    }
}
