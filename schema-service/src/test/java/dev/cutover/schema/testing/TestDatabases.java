package dev.cutover.schema.testing;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

import org.postgresql.PGConnection;

import dev.cutover.platform.database.DatabasePair;
import dev.cutover.platform.database.Endpoint;
import dev.cutover.stack.LocalStack;
import dev.cutover.stack.Postgres;

/** A database of the same name on the source and the target of the shared stack, one per test class. */
public final class TestDatabases {

    private TestDatabases() {
    }

    public static DatabasePair create(LocalStack stack, String name, List<String> appRoles) {
        stack.source().createDatabase(name);
        stack.target().createDatabase(name);
        return pair(stack, name, appRoles);
    }

    /** The whole database moves, as it does when cutover.databases.<name>.schemas is not set. */
    public static DatabasePair pair(LocalStack stack, String name, List<String> appRoles) {
        return new DatabasePair(endpoint(stack.source(), name), endpoint(stack.target(), name), appRoles, List.of());
    }

    /** A pair with the scope and role settings given. */
    public static DatabasePair create(LocalStack stack, String name, List<String> excludeSchemas,
            boolean createMissingRoles) {
        DatabasePair pair = create(stack, name, List.of());
        return new DatabasePair(pair.source(), pair.target(), List.of(), List.of(), excludeSchemas, createMissingRoles);
    }

    public static Endpoint endpoint(Postgres server, String database) {
        return new Endpoint(server.host(), server.port(), database, server.superuser(), server.password(), null);
    }

    public static void execute(Endpoint endpoint, String... statements) {
        try (Connection connection = endpoint.connect(); Statement statement = connection.createStatement()) {
            for (String sql : statements) {
                statement.execute(sql);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    public static List<String> strings(Endpoint endpoint, String query) {
        try (Connection connection = endpoint.connect(); ResultSet rows = connection.createStatement().executeQuery(query)) {
            List<String> values = new ArrayList<>();
            while (rows.next()) {
                values.add(rows.getString(1));
            }
            return values;
        } catch (SQLException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    public static long number(Endpoint endpoint, String query) {
        return Long.parseLong(strings(endpoint, query).getFirst());
    }

    /** Copies the rows of every ordinary table (partitions, not their parents) with COPY, as a full load would. */
    public static void copyData(DatabasePair pair) {
        copyTables(pair, strings(pair.source(), """
                SELECT format('%I.%I', n.nspname, c.relname) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                 WHERE c.relkind = 'r' AND n.nspname = 'public' ORDER BY 1"""));
    }

    /** Copies one table's rows from source to target, as table synchronisation would. */
    public static void copyTable(DatabasePair pair, String table) {
        copyTables(pair, List.of(table));
    }

    private static void copyTables(DatabasePair pair, List<String> tables) {
        try (Connection source = pair.source().connect(); Connection target = pair.target().connect()) {
            for (String table : tables) {
                ByteArrayOutputStream rows = new ByteArrayOutputStream();
                source.unwrap(PGConnection.class).getCopyAPI().copyOut("COPY " + table + " TO STDOUT", rows);
                target.unwrap(PGConnection.class).getCopyAPI().copyIn("COPY " + table + " FROM STDIN",
                        new ByteArrayInputStream(rows.toByteArray()));
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e.getMessage(), e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static String resource(String name) {
        try (InputStream in = TestDatabases.class.getResourceAsStream("/dev/cutover/schema/" + name)) {
            if (in == null) {
                throw new IllegalArgumentException("no test resource " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
