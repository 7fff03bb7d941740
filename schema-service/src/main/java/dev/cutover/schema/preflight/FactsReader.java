package dev.cutover.schema.preflight;

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

import dev.cutover.schema.pgtools.Catalog;

/** Reads preflight's facts from the source and the target, a handful of queries each. */
final class FactsReader {

    private static final String SERVER = """
            SELECT current_setting('server_version_num')::int / 10000, current_user, current_setting('wal_level'),
                   current_setting('max_replication_slots')::int,
                   (SELECT count(*) FROM pg_catalog.pg_replication_slots)::int,
                   current_setting('max_wal_senders')::int,
                   (SELECT count(*) FROM pg_catalog.pg_stat_activity WHERE backend_type = 'walsender')::int,
                   (SELECT r.rolsuper OR r.rolreplication FROM pg_catalog.pg_roles r WHERE r.rolname = current_user)
                     OR EXISTS (SELECT 1 FROM pg_catalog.pg_roles r
                                 WHERE r.rolname = 'rds_replication' AND pg_catalog.pg_has_role(current_user, r.oid, 'member')),
                   (SELECT count(*) FROM pg_catalog.pg_largeobject_metadata)
            """;

    private static final String TABLES = """
            SELECT format('%I.%I', n.nspname, c.relname), c.relreplident, c.relpersistence = 'u',
                   EXISTS (SELECT 1 FROM pg_catalog.pg_index i WHERE i.indrelid = c.oid AND i.indisprimary)
              FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
             WHERE c.relkind = 'r' AND n.nspname = ANY (?)
             ORDER BY 1
            """;

    private static final String TRANSACTIONS = """
            SELECT pid, usename, datname, extract(epoch FROM now() - xact_start)::float8, backend_xid IS NOT NULL
              FROM pg_catalog.pg_stat_activity
             WHERE xact_start IS NOT NULL AND pid <> pg_catalog.pg_backend_pid() AND backend_type = 'client backend'
             ORDER BY xact_start
            """;

    private static final String PREPARED = """
            SELECT gid, database, extract(epoch FROM now() - prepared)::float8
              FROM pg_catalog.pg_prepared_xacts ORDER BY prepared
            """;

    private static final String ROLES = "SELECT rolname FROM pg_catalog.pg_roles WHERE rolname = ANY (?)";

    private FactsReader() {
    }

    static Facts.Source source(Connection connection, List<String> schemas, List<String> appRoles) throws SQLException {
        try (ResultSet server = connection.createStatement().executeQuery(SERVER)) {
            server.next();
            return new Facts.Source(server.getInt(1), server.getString(2), server.getString(3), server.getInt(4),
                    server.getInt(5), server.getInt(6), server.getInt(7), server.getBoolean(8),
                    tables(connection, schemas), server.getLong(9), transactions(connection), prepared(connection),
                    roles(connection, appRoles), Catalog.extensions(connection));
        }
    }

    static Facts.Target target(Connection connection, List<String> appRoles) throws SQLException {
        return new Facts.Target(Catalog.majorVersion(connection), connection.getCatalog(), roles(connection, appRoles),
                Catalog.strings(connection, "SELECT name FROM pg_catalog.pg_available_extensions"));
    }

    /** Each extension of the database but plpgsql, with the schema it is installed in. */
    static Map<String, String> extensionSchemas(Connection connection) throws SQLException {
        Map<String, String> schemas = new HashMap<>();
        try (ResultSet rows = connection.createStatement().executeQuery("""
                SELECT x.extname, n.nspname FROM pg_catalog.pg_extension x
                  JOIN pg_catalog.pg_namespace n ON n.oid = x.extnamespace WHERE x.extname <> 'plpgsql'""")) {
            while (rows.next()) {
                schemas.put(rows.getString(1), rows.getString(2));
            }
        }
        return schemas;
    }

    private static List<Facts.Table> tables(Connection connection, List<String> schemas) throws SQLException {
        List<Facts.Table> tables = new ArrayList<>();
        try (PreparedStatement statement = connection.prepareStatement(TABLES)) {
            statement.setArray(1, Catalog.textArray(connection, schemas));
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    tables.add(new Facts.Table(rows.getString(1), rows.getString(2).charAt(0), rows.getBoolean(4),
                            rows.getBoolean(3)));
                }
            }
        }
        return tables;
    }

    private static List<Facts.OpenTransaction> transactions(Connection connection) throws SQLException {
        List<Facts.OpenTransaction> transactions = new ArrayList<>();
        try (ResultSet rows = connection.createStatement().executeQuery(TRANSACTIONS)) {
            while (rows.next()) {
                transactions.add(new Facts.OpenTransaction(rows.getInt(1), rows.getString(2), rows.getString(3),
                        seconds(rows.getDouble(4)), rows.getBoolean(5)));
            }
        }
        return transactions;
    }

    private static List<Facts.PreparedTransaction> prepared(Connection connection) throws SQLException {
        List<Facts.PreparedTransaction> prepared = new ArrayList<>();
        try (ResultSet rows = connection.createStatement().executeQuery(PREPARED)) {
            while (rows.next()) {
                prepared.add(new Facts.PreparedTransaction(rows.getString(1), rows.getString(2), seconds(rows.getDouble(3))));
            }
        }
        return prepared;
    }

    private static Set<String> roles(Connection connection, List<String> appRoles) throws SQLException {
        return new HashSet<>(Catalog.stringsFor(connection, ROLES, appRoles));
    }

    private static Duration seconds(double seconds) {
        return Duration.ofMillis(Math.round(seconds * 1000));
    }
}
