package dev.cutover.replicator.verify;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

import dev.cutover.platform.database.DatabasePair;
import dev.cutover.platform.database.Endpoint;
import dev.cutover.platform.database.LoadTables;
import dev.cutover.platform.database.SchemaScope;
import dev.cutover.replicator.postgres.Failures;
import dev.cutover.replicator.postgres.Sql;
import dev.cutover.replicator.postgres.TableName;

/**
 * The keys of every row changed on the target since streaming began, which a sampled verification compares on top of
 * its sample ({@link VerificationScope.Sampled}). Installed on the target just before the subscription is created, so
 * nothing has changed a loaded table yet; removed when replication stops, when a migration is cleaned up and when a
 * load starts over.
 *
 * <p>Each table keyed by an integer, {@code numeric} or {@code uuid} column gets a trigger, {@code ENABLE ALWAYS} so
 * that it fires in the subscription's apply worker (which runs with {@code session_replication_role = replica}) as in
 * any other session: a row some session changed directly on the target is recorded too. Its function (one per table,
 * so that it reads only the key column, never a wide or TOASTed row) writes the old and new key of each inserted,
 * updated or deleted row into {@code cutover.changed_keys}, and a {@code TRUNCATE} marks the whole table. The function
 * is {@code SECURITY DEFINER}: from PostgreSQL 16 the apply worker runs as each table's owner, who may have no right on
 * the {@code cutover} schema, and a trigger that fails stops apply.
 *
 * <p>Both tables are unlogged: nothing is written to WAL for them, so the record never reaches the source or a
 * subscription to the target (PostgreSQL cannot publish an unlogged table), and a crash of the target empties them. An
 * emptied record names no table, so every table is then compared whole: the record is trusted for a table only while
 * it holds that table's row, with both triggers enabled, and only for the key column the verification cuts ranges of.
 * Text keys are left out because their ranges depend on collations; dates and times because their text form depends on
 * session settings: such tables are compared whole.
 */
public final class ChangeRecord {

    static final String TABLES = "cutover.change_record";
    static final String KEYS = "cutover.changed_keys";
    private static final String FUNCTION_PREFIX = "record_changes_";
    private static final String ROW_TRIGGER = "cutover_changed_keys";
    private static final String TRUNCATE_TRIGGER = "cutover_changed_truncate";

    private ChangeRecord() {
    }

    /** Starts recording on every table of the pair's schemas on the target; forgets an earlier record. */
    public static List<TableName> install(DatabasePair pair) {
        List<String> schemas;
        try (Connection from = pair.source().connect()) {
            schemas = pair.schemasOn(from);
        } catch (SQLException e) {
            throw Failures.of("reading the schemas to record changes in", pair.source().describe(), e);
        }
        Endpoint target = pair.target();
        try (Connection to = target.connect()) {
            to.setAutoCommit(false);
            List<TableName> recorded = new ArrayList<>();
            try (Statement statement = to.createStatement()) {
                drop(to, statement);
                statement.execute("CREATE SCHEMA IF NOT EXISTS cutover");
                statement.execute("CREATE UNLOGGED TABLE " + TABLES + " (relid oid PRIMARY KEY, key_column text NOT NULL,"
                        + " key_type text NOT NULL, truncated boolean NOT NULL DEFAULT false)");
                statement.execute("CREATE UNLOGGED TABLE " + KEYS + " (relid oid NOT NULL, key text NOT NULL,"
                        + " PRIMARY KEY (relid, key))");
                for (LoadTables.LoadTable listed : LoadTables.of(to, schemas)) {
                    if (SchemaScope.CUTOVER_SCHEMA.equals(listed.schema())) {
                        continue;
                    }
                    TableName table = new TableName(listed.schema(), listed.name());
                    Optional<Key> key = recordableKey(to, table);
                    if (key.isPresent()) {
                        record(statement, table, key.get());
                        recorded.add(table);
                    }
                }
            }
            to.commit();
            return recorded;
        } catch (SQLException e) {
            throw Failures.of("installing the record of changed rows (" + KEYS + ")", target.describe(), e);
        }
    }

    /** Stops recording and forgets the record; nothing happens where none is installed. */
    public static void remove(Endpoint target) {
        try (Connection to = target.connect()) {
            to.setAutoCommit(false);
            try (Statement statement = to.createStatement()) {
                drop(to, statement);
            }
            to.commit();
        } catch (SQLException e) {
            throw Failures.of("removing the record of changed rows (" + KEYS + ") and its triggers", target.describe(), e);
        }
    }

    /**
     * What changed in one table since the record was installed, by range.
     *
     * @param ranges each range holding a changed row, with the keys of its changed rows, or with none when more than
     *               the limit changed there (or the table was truncated): the range is then compared whole
     */
    record Changes(Map<Integer, Optional<List<String>>> ranges) {

        Changes {
            ranges = Map.copyOf(ranges);
        }

        /** The ranges to compare whole. */
        Set<Integer> whole() {
            Set<Integer> whole = new TreeSet<>();
            ranges.forEach((range, keys) -> {
                if (keys.isEmpty()) {
                    whole.add(range);
                }
            });
            return whole;
        }
    }

    /**
     * The rows of {@code table} changed since the record was installed; empty when the record cannot vouch for the
     * table (not recorded, a trigger missing or disabled, emptied by a crash, or recorded for another key than
     * {@code ranges} cuts), which is then compared whole.
     *
     * @param limit how many keys of one range to return at most: past it, the range is compared whole
     */
    static Optional<Changes> changes(Connection target, TableName table, KeyRanges ranges, int limit)
            throws SQLException {
        boolean truncated;
        try (PreparedStatement statement = target.prepareStatement("SELECT r.truncated FROM " + TABLES + " r"
                + " WHERE r.relid = to_regclass(?) AND r.key_column = ? AND r.key_type = ?"
                + " AND (SELECT count(*) FROM pg_catalog.pg_trigger t WHERE t.tgrelid = r.relid AND t.tgenabled = 'A'"
                + " AND t.tgname IN ('" + ROW_TRIGGER + "', '" + TRUNCATE_TRIGGER + "')) = 2")) {
            statement.setString(1, table.quoted());
            statement.setString(2, ranges.column());
            statement.setString(3, ranges.type());
            try (ResultSet row = statement.executeQuery()) {
                if (!row.next()) {
                    return Optional.empty();
                }
                truncated = row.getBoolean(1);
            }
        } catch (SQLException e) {
            if ("42P01".equals(e.getSQLState()) || "3F000".equals(e.getSQLState())) {
                return Optional.empty();
            }
            throw e;
        }
        Map<Integer, Optional<List<String>>> changed = new HashMap<>();
        if (truncated) {
            for (int range = 0; range < ranges.count(); range++) {
                changed.put(range, Optional.empty());
            }
            return Optional.of(new Changes(changed));
        }
        Map<Integer, Long> counts = new HashMap<>();
        String bucket = ranges.bucketOf("k.key::" + ranges.type());
        try (PreparedStatement statement = target.prepareStatement("SELECT " + bucket + ", count(*) FROM " + KEYS
                + " k WHERE k.relid = to_regclass(?) GROUP BY 1")) {
            statement.setString(1, table.quoted());
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    counts.put(rows.getInt(1), rows.getLong(2));
                }
            }
        }
        List<Integer> few = new ArrayList<>();
        counts.forEach((range, count) -> {
            if (count > limit) {
                changed.put(range, Optional.empty());
            } else {
                few.add(range);
            }
        });
        if (few.isEmpty()) {
            return Optional.of(new Changes(changed));
        }
        Map<Integer, List<String>> keys = new HashMap<>();
        // Read in a transaction so that the driver fetches the keys in batches instead of all at once.
        boolean autoCommit = target.getAutoCommit();
        target.setAutoCommit(false);
        try (PreparedStatement statement = target.prepareStatement("SELECT " + bucket + ", k.key FROM " + KEYS
                + " k WHERE k.relid = to_regclass(?) AND " + bucket + " = ANY (?)")) {
            statement.setFetchSize(10_000);
            statement.setString(1, table.quoted());
            statement.setArray(2, target.createArrayOf("int4", few.toArray()));
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    keys.computeIfAbsent(rows.getInt(1), range -> new ArrayList<>()).add(rows.getString(2));
                }
            }
        } finally {
            target.commit();
            target.setAutoCommit(autoCommit);
        }
        keys.forEach((range, list) -> changed.put(range, Optional.of(list)));
        return Optional.of(new Changes(changed));
    }

    /** A table's leading primary-key column, if its text form is the same in every session and orders as the type. */
    private record Key(String column, String type) {
    }

    private static Optional<Key> recordableKey(Connection target, TableName table) throws SQLException {
        try (PreparedStatement statement = target.prepareStatement("""
                SELECT a.attname, format_type(a.atttypid, a.atttypmod)
                FROM pg_index i JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = i.indkey[0]
                WHERE i.indrelid = ?::regclass AND i.indisprimary
                  AND a.atttypid IN ('int2'::regtype, 'int4'::regtype, 'int8'::regtype, 'numeric'::regtype,
                                     'uuid'::regtype)""")) {
            statement.setString(1, table.quoted());
            try (ResultSet row = statement.executeQuery()) {
                return row.next() ? Optional.of(new Key(row.getString(1), row.getString(2))) : Optional.empty();
            }
        }
    }

    private static void record(Statement statement, TableName table, Key key) throws SQLException {
        long relid;
        try (ResultSet row = statement.executeQuery("SELECT " + Sql.literal(table.quoted()) + "::regclass::oid")) {
            row.next();
            relid = row.getLong(1);
        }
        String function = "cutover." + FUNCTION_PREFIX + relid;
        String column = Sql.identifier(key.column());
        String insert = "INSERT INTO " + KEYS + " VALUES (" + relid + ", %s." + column + "::text) ON CONFLICT DO NOTHING;";
        statement.execute("CREATE FUNCTION " + function + "() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER"
                + " SET search_path = pg_catalog, pg_temp AS $f$\nBEGIN\n"
                + "    IF TG_OP = 'TRUNCATE' THEN\n"
                + "        UPDATE " + TABLES + " SET truncated = true WHERE relid = " + relid + ";\n"
                + "    ELSIF TG_OP = 'INSERT' THEN\n"
                + "        " + insert.formatted("NEW") + "\n"
                + "    ELSE\n"
                + "        " + insert.formatted("OLD") + "\n"
                + "        IF TG_OP = 'UPDATE' AND NEW." + column + " IS DISTINCT FROM OLD." + column + " THEN\n"
                + "            " + insert.formatted("NEW") + "\n"
                + "        END IF;\n"
                + "    END IF;\n"
                + "    RETURN NULL;\n"
                + "END\n$f$");
        // EXECUTE PROCEDURE: PostgreSQL 11 knows no other spelling.
        statement.execute("CREATE TRIGGER " + ROW_TRIGGER + " AFTER INSERT OR UPDATE OR DELETE ON " + table.quoted()
                + " FOR EACH ROW EXECUTE PROCEDURE " + function + "()");
        statement.execute("CREATE TRIGGER " + TRUNCATE_TRIGGER + " AFTER TRUNCATE ON " + table.quoted()
                + " FOR EACH STATEMENT EXECUTE PROCEDURE " + function + "()");
        statement.execute("ALTER TABLE " + table.quoted() + " ENABLE ALWAYS TRIGGER " + ROW_TRIGGER);
        statement.execute("ALTER TABLE " + table.quoted() + " ENABLE ALWAYS TRIGGER " + TRUNCATE_TRIGGER);
        statement.execute("INSERT INTO " + TABLES + " (relid, key_column, key_type) VALUES (" + relid + ", "
                + Sql.literal(key.column()) + ", " + Sql.literal(key.type()) + ")");
    }

    /** The triggers go with their functions (CASCADE), then the tables: no trigger is ever left writing to nothing. */
    private static void drop(Connection connection, Statement statement) throws SQLException {
        List<String> functions = new ArrayList<>();
        try (PreparedStatement select = connection.prepareStatement("SELECT p.oid::regprocedure::text FROM pg_proc p"
                + " JOIN pg_namespace n ON n.oid = p.pronamespace WHERE n.nspname = 'cutover' AND p.proname LIKE ?")) {
            select.setString(1, FUNCTION_PREFIX.replace("_", "\\_") + "%");
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    functions.add(rows.getString(1));
                }
            }
        }
        for (String function : functions) {
            statement.execute("DROP FUNCTION " + function + " CASCADE");
        }
        statement.execute("DROP TABLE IF EXISTS " + TABLES + ", " + KEYS);
    }
}
