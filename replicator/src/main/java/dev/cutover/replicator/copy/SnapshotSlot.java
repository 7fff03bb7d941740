package dev.cutover.replicator.copy;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.postgresql.PGProperty;

import dev.cutover.platform.StepFailure;
import dev.cutover.platform.database.Endpoint;
import dev.cutover.replicator.postgres.Failures;
import dev.cutover.replicator.postgres.Lsn;
import dev.cutover.replicator.postgres.Sql;

/**
 * A replication connection that created a logical slot and exported its snapshot. The snapshot can be
 * imported only while this connection is open and idle, so it is closed once every worker has it.
 */
final class SnapshotSlot implements AutoCloseable {

    private final Connection connection;
    private final ExportedSnapshot snapshot;

    private SnapshotSlot(Connection connection, ExportedSnapshot snapshot) {
        this.connection = connection;
        this.snapshot = snapshot;
    }

    /**
     * Creates the slot. Creation waits until every transaction that holds a transaction id at its start
     * has ended; after {@code timeout} it is cancelled and the failure names those transactions.
     */
    static SnapshotSlot create(Endpoint source, String slot, Duration timeout) {
        return create(source, slot, timeout, "cutover-replicator");
    }

    /** @param applicationName the connection's {@code application_name}, which {@code pg_stat_activity} shows */
    static SnapshotSlot create(Endpoint source, String slot, Duration timeout, String applicationName) {
        Connection connection = open(source, applicationName);
        try {
            ExportedSnapshot snapshot = createSlot(connection, source, slot, timeout);
            return new SnapshotSlot(connection, snapshot);
        } catch (RuntimeException e) {
            closeQuietly(connection);
            throw e;
        }
    }

    ExportedSnapshot snapshot() {
        return snapshot;
    }

    @Override
    public void close() {
        closeQuietly(connection);
    }

    private static Connection open(Endpoint source, String applicationName) {
        Properties properties = new Properties();
        PGProperty.USER.set(properties, source.user());
        PGProperty.PASSWORD.set(properties, source.resolvePassword());
        PGProperty.REPLICATION.set(properties, "database");
        // The walsender speaks only the simple query protocol.
        PGProperty.PREFER_QUERY_MODE.set(properties, "simple");
        PGProperty.ASSUME_MIN_SERVER_VERSION.set(properties, "10");
        PGProperty.CONNECT_TIMEOUT.set(properties, 10);
        PGProperty.APPLICATION_NAME.set(properties, applicationName);
        try {
            return DriverManager.getConnection(source.jdbcUrl(), properties);
        } catch (SQLException e) {
            throw Failures.of("opening a replication connection", source.describe(), e);
        }
    }

    private static ExportedSnapshot createSlot(Connection connection, Endpoint source, String slot, Duration timeout) {
        Statement statement;
        try {
            statement = connection.createStatement();
        } catch (SQLException e) {
            throw Failures.of("creating the replication slot " + slot, source.describe(), e);
        }
        // Works from 9.6 to 17; the parenthesised options of 15+ are not understood before 15.
        String command = "CREATE_REPLICATION_SLOT " + Sql.identifier(slot) + " LOGICAL pgoutput EXPORT_SNAPSHOT";
        CompletableFuture<ExportedSnapshot> created = CompletableFuture.supplyAsync(() -> {
            try (ResultSet row = statement.executeQuery(command)) {
                row.next();
                return new ExportedSnapshot(row.getString("slot_name"), Lsn.parse(row.getString("consistent_point")),
                        row.getString("snapshot_name"));
            } catch (SQLException e) {
                throw Failures.of("creating the replication slot " + slot, source.describe(), e);
            }
        });
        try {
            return created.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            String blockers = blockers(source);
            cancel(statement, created);
            throw new StepFailure("creating the replication slot " + slot + " on " + source.describe() + " waited "
                    + timeout.toSeconds() + " s for transactions that were open when it started: " + blockers
                    + ". A slot can only start after every transaction open at its start has ended: commit or end"
                    + " them (SELECT pg_terminate_backend(pid)) and retry, or raise cutover.replicator.slot-creation-timeout",
                    true);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException failure) {
                throw failure;
            }
            throw new IllegalStateException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            cancel(statement, created);
            throw new StepFailure("interrupted while creating the replication slot " + slot, true, e);
        }
    }

    /** The sessions whose open transactions (with a transaction id) hold up slot creation, oldest first. */
    private static String blockers(Endpoint source) {
        List<String> found = new ArrayList<>();
        try (Connection connection = source.connect();
                PreparedStatement statement = connection.prepareStatement("""
                        SELECT pid, usename, state, date_trunc('second', now() - xact_start)::text, left(query, 80)
                        FROM pg_stat_activity
                        WHERE backend_xid IS NOT NULL AND pid <> pg_backend_pid() AND backend_type = 'client backend'
                        ORDER BY xact_start""");
                ResultSet rows = statement.executeQuery()) {
            while (rows.next()) {
                found.add("pid " + rows.getInt(1) + " (user " + rows.getString(2) + ", " + rows.getString(3)
                        + ", transaction open for " + rows.getString(4) + ", last query: " + rows.getString(5) + ")");
            }
            try (Statement prepared = connection.createStatement();
                    ResultSet rows2 = prepared.executeQuery("SELECT gid, owner, prepared::text FROM pg_prepared_xacts")) {
                while (rows2.next()) {
                    found.add("prepared transaction '" + rows2.getString(1) + "' (owner " + rows2.getString(2)
                            + ", prepared at " + rows2.getString(3) + "; end it with COMMIT PREPARED or ROLLBACK PREPARED)");
                }
            }
        } catch (SQLException e) {
            return "(could not list them: " + e.getMessage() + ")";
        }
        return found.isEmpty() ? "none are open any more" : String.join("; ", found);
    }

    private static void cancel(Statement statement, CompletableFuture<?> running) {
        try {
            statement.cancel();
            running.handle((result, failure) -> null).get(10, TimeUnit.SECONDS);
        } catch (SQLException | ExecutionException | TimeoutException e) {
            // The connection is closed next either way, which ends the command on the server.
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void closeQuietly(Connection connection) {
        try {
            connection.close();
        } catch (SQLException e) {
            // Closing ends the session; nothing is left to undo if the server already dropped it.
        }
    }
}
