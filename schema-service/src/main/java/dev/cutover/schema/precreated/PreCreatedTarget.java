package dev.cutover.schema.precreated;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import dev.cutover.platform.database.DatabasePair;
import dev.cutover.platform.database.Endpoint;
import dev.cutover.schema.pgtools.Catalog;
import dev.cutover.schema.verify.Catalogs;
import dev.cutover.schema.verify.SchemaVerifier;

/**
 * A target whose schema was created beforehand, as teams often do: preflight judges it and pre-data uses it instead
 * of restoring the source's dump, by the same rule, so that what preflight accepted is what pre-data uses.
 */
public final class PreCreatedTarget {

    private static final String TABLES = """
            SELECT format('%I.%I', n.nspname, c.relname)
              FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
             WHERE c.relkind = 'r' AND n.nspname = ANY (?)
             ORDER BY 1
            """;

    /**
     * Row-level security off (post-data's ROW SECURITY entry turns it on again; COPY refuses a table whose row-level
     * security applies to the load's role), then foreign keys (they need the keys they reference), then triggers (a
     * constraint trigger takes its constraint with it), then keys and unvalidated checks (their index goes with them),
     * then the other indexes. Only an object's own copy: a partition's copy of its parent's key, index or trigger goes
     * with the parent's. Rules and policies stay: COPY fires no rule, no policy applies with row-level security off,
     * and post-data skips those the target has by name.
     */
    private static final String POST_DATA = """
            SELECT 0, format('ALTER TABLE %%s DISABLE ROW LEVEL SECURITY', c.oid::regclass)
              FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
             WHERE c.relrowsecurity AND n.nspname = ANY (?)
            UNION ALL
            SELECT 1, format('ALTER TABLE %%s DROP CONSTRAINT %%I', k.conrelid::regclass, k.conname)
              FROM pg_catalog.pg_constraint k JOIN pg_catalog.pg_class c ON c.oid = k.conrelid
              JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
             WHERE k.contype = 'f' AND k.conparentid = 0 AND n.nspname = ANY (?)
            UNION ALL
            SELECT 2, format('DROP TRIGGER %%I ON %%s', t.tgname, t.tgrelid::regclass)
              FROM pg_catalog.pg_trigger t JOIN pg_catalog.pg_class c ON c.oid = t.tgrelid
              JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
             WHERE NOT t.tgisinternal AND %s AND n.nspname = ANY (?)
            UNION ALL
            SELECT 3, format('ALTER TABLE %%s DROP CONSTRAINT %%I', k.conrelid::regclass, k.conname)
              FROM pg_catalog.pg_constraint k JOIN pg_catalog.pg_class c ON c.oid = k.conrelid
              JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
             WHERE (k.contype IN ('p', 'u', 'x') OR (k.contype = 'c' AND NOT k.convalidated))
               AND k.conparentid = 0 AND k.conislocal AND n.nspname = ANY (?)
            UNION ALL
            SELECT 4, format('DROP INDEX %%s', i.indexrelid::regclass)
              FROM pg_catalog.pg_index i JOIN pg_catalog.pg_class c ON c.oid = i.indexrelid
              JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
             WHERE n.nspname = ANY (?)
               AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_constraint k
                                WHERE k.conindid = i.indexrelid AND k.contype IN ('p', 'u', 'x'))
               AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_inherits h WHERE h.inhrelid = i.indexrelid)
               AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_depend d WHERE d.classid = 'pg_class'::regclass
                                  AND d.objid IN (i.indexrelid, i.indrelid) AND d.deptype = 'e')
             ORDER BY 1, 2
            """;

    private PreCreatedTarget() {
    }

    /**
     * The target judged against the source; empty when the target holds nothing of the schemas to move but
     * extensions, so that pre-data creates it all.
     */
    public static Optional<Judgement> judge(DatabasePair pair) {
        Catalogs catalogs = SchemaVerifier.catalogs(pair);
        if (catalogs.target().stream().allMatch(object -> object.kind().equals("EXTENSION"))) {
            return Optional.empty();
        }
        return Optional.of(Judgement.of(catalogs, withRows(pair.target(), catalogs.schemas())));
    }

    /**
     * The statements that set the target's post-data objects aside before the load, in an order that works: foreign
     * keys would refuse the load's TRUNCATE and its tables copied in any order, triggers would fire for every copied
     * row, and indexes slow the copy. Post-data builds them all again from the source's definitions.
     */
    public static List<String> setAside(Endpoint target, List<String> schemas) {
        try (Connection connection = target.connect()) {
            // From 13 on, a partition's copy of its parent's trigger is listed with tgparentid; 11 and 12 mark it internal.
            String notCloned = Catalog.majorVersion(connection) >= 13 ? "t.tgparentid = 0" : "true";
            try (Statement session = connection.createStatement()) {
                // regclass then prints every name with its schema, whatever the script's search_path.
                session.execute("SET search_path = pg_catalog");
            }
            List<String> statements = new ArrayList<>();
            try (PreparedStatement statement = connection.prepareStatement(POST_DATA.formatted(notCloned))) {
                for (int parameter = 1; parameter <= 5; parameter++) {
                    statement.setArray(parameter, Catalog.textArray(connection, schemas));
                }
                try (ResultSet rows = statement.executeQuery()) {
                    while (rows.next()) {
                        statements.add(rows.getString(2) + ";");
                    }
                }
            }
            return statements;
        } catch (SQLException e) {
            throw Catalog.failure("listing the target's indexes, keys and triggers to set aside", target, e);
        }
    }

    private static List<String> withRows(Endpoint target, List<String> schemas) {
        try (Connection connection = target.connect()) {
            List<String> withRows = new ArrayList<>();
            for (String table : Catalog.stringsFor(connection, TABLES, schemas)) {
                try (Statement statement = connection.createStatement();
                        ResultSet row = statement.executeQuery("SELECT EXISTS (SELECT 1 FROM ONLY " + table + ")")) {
                    row.next();
                    if (row.getBoolean(1)) {
                        withRows.add(table);
                    }
                }
            }
            return withRows;
        } catch (SQLException e) {
            throw Catalog.failure("looking for rows in the target's tables", target, e);
        }
    }
}
