package dev.cutover.replicator.testing;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;

import dev.cutover.platform.database.DatabasePair;
import dev.cutover.platform.database.Endpoint;
import dev.cutover.stack.Postgres;

/** One database created afresh on two servers of the shared stack, for one test class. */
public record TestDatabase(String name, Postgres source, Postgres target) {

    /** Creates the database on both servers (they may be the same server only with different names). */
    public static TestDatabase create(String name, Postgres source, Postgres target) {
        source.createDatabase(name);
        target.createDatabase(name);
        return new TestDatabase(name, source, target);
    }

    public DatabasePair pair(List<String> schemas) {
        return new DatabasePair(endpoint(source, name), endpoint(target, name), List.of(), schemas);
    }

    /** The {@code cutover.databases.<name>} settings a replicator needs to move {@code schema} of this database. */
    public Map<String, String> settings(String schema) {
        String prefix = "cutover.databases." + name + ".";
        return Map.ofEntries(
                Map.entry(prefix + "source.host", source.host()),
                Map.entry(prefix + "source.port", String.valueOf(source.port())),
                Map.entry(prefix + "source.database", name),
                Map.entry(prefix + "source.user", source.superuser()),
                Map.entry(prefix + "source.password", source.password()),
                Map.entry(prefix + "target.host", target.host()),
                Map.entry(prefix + "target.port", String.valueOf(target.port())),
                Map.entry(prefix + "target.database", name),
                Map.entry(prefix + "target.user", target.superuser()),
                Map.entry(prefix + "target.password", target.password()),
                Map.entry(prefix + "schemas[0]", schema));
    }

    public static Endpoint endpoint(Postgres server, String database) {
        return new Endpoint(server.host(), server.port(), database, server.superuser(), server.password(), null);
    }

    public void onSource(String... statements) {
        execute(source, statements);
    }

    public void onTarget(String... statements) {
        execute(target, statements);
    }

    public void onBoth(String... statements) {
        execute(source, statements);
        execute(target, statements);
    }

    public long countOnTarget(String sql) {
        return count(target, sql);
    }

    public long countOnSource(String sql) {
        return count(source, sql);
    }

    public String textOnSource(String sql) {
        return text(source, sql);
    }

    public String textOnTarget(String sql) {
        return text(target, sql);
    }

    private long count(Postgres server, String sql) {
        return Long.parseLong(text(server, sql));
    }

    private String text(Postgres server, String sql) {
        try (Connection connection = server.connect(name); Statement statement = connection.createStatement();
                ResultSet row = statement.executeQuery(sql)) {
            return row.next() ? row.getString(1) : null;
        } catch (SQLException e) {
            throw new IllegalStateException(sql + ": " + e.getMessage(), e);
        }
    }

    private void execute(Postgres server, String... statements) {
        try (Connection connection = server.connect(name); Statement statement = connection.createStatement()) {
            for (String sql : statements) {
                statement.execute(sql);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }
}
