package dev.cutover.sandbox.client;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.SplittableRandom;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/**
 * One application thread: paced to its share of the rate, one autocommit transaction at a time, each retried until
 * it is acknowledged or the run ends.
 */
final class Worker implements Runnable {

    /**
     * A worker that falls further behind its schedule than this many slots (after an outage, or a stall of the
     * machine) starts again from now rather than bursting to catch up, so the rate never exceeds the one asked for.
     */
    private static final int MAX_SLOTS_BEHIND = 1;

    private final ConnectionSource connections;
    private final SessionStarts sessions;
    private final ClientSettings settings;
    private final FailureCauses causes;
    private final Progress progress;
    private final BooleanSupplier running;
    private final SplittableRandom random;
    private final long intervalNanos;
    private final long firstSlotNanos;
    private final String insertSql;
    private final String updateSql;

    final WorkerLog log;

    Worker(int number, int instance, ConnectionSource connections, ClientSettings settings, FailureCauses causes, Progress progress, BooleanSupplier running, long startNanos) {
        this.log = new WorkerLog(instance);
        this.connections = connections;
        this.sessions = new SessionStarts(connections.sessionsAreTheServers());
        this.settings = settings;
        this.causes = causes;
        this.progress = progress;
        this.running = running;
        this.random = new SplittableRandom(number * 7919L + startNanos);
        this.intervalNanos = Math.round(1e9 * settings.workers() / settings.transactionsPerSecond());
        // Spreads the workers' slots over one interval so that together they send at an even pace, not in bursts of 8.
        this.firstSlotNanos = startNanos + intervalNanos * number / settings.workers();
        // inet_server_addr() in the same statement tells which server committed it, at no extra round trip, and
        // exactly for this transaction rather than for whatever the connection was when it was opened.
        this.insertSql = "INSERT INTO " + settings.table() + " (service_id, template_id, status) VALUES (?, ?, ?) "
                + "RETURNING id, host(inet_server_addr())";
        this.updateSql = "UPDATE " + settings.table() + " SET status = ?, updated_at = now() WHERE id = ? "
                + "RETURNING host(inet_server_addr())";
    }

    @Override
    public void run() {
        long slot = firstSlotNanos;
        while (running.getAsBoolean()) {
            waitUntil(slot);
            int rows = log.rowIds.size();
            if (rows > 0 && random.nextDouble() < settings.updateShare()) {
                update(random.nextInt(rows));
            } else {
                insert();
            }
            slot += intervalNanos;
            long now = System.nanoTime();
            if (now - slot > MAX_SLOTS_BEHIND * intervalNanos) {
                slot = now;
            }
        }
    }

    private void insert() {
        int serviceId = 1 + random.nextInt(50);
        int templateId = 1 + random.nextInt(500);
        while (true) {
            long began = System.nanoTime();
            try (Connection connection = connections.connection();
                    PreparedStatement insert = connection.prepareStatement(insertSql)) {
                insert.setInt(1, serviceId);
                insert.setInt(2, templateId);
                insert.setString(3, NotificationStatus.CREATED.value());
                long session = sessions.of(connection);
                long sent = System.nanoTime();
                try (ResultSet returned = insert.executeQuery()) {
                    returned.next();
                    long id = returned.getLong(1);
                    Server server = settings.serverAt(returned.getString(2));
                    long acked = System.nanoTime();
                    log.insertAcked(began, sent, session, acked, id, server);
                    progress.acked(server, acked);
                    return;
                }
            } catch (SQLException failure) {
                // An insert that may have committed before its connection broke is simply not acknowledged: the
                // retry takes a new id, and the report only holds the client to what it was told.
                if (!failedAndRetrying(failure, began)) {
                    return;
                }
            }
        }
    }

    private void update(int row) {
        long id = log.rowIds.get(row);
        NotificationStatus status = NotificationStatus.ofOrdinal(log.rowStatuses.get(row)).next();
        while (true) {
            long began = System.nanoTime();
            try (Connection connection = connections.connection();
                    PreparedStatement update = connection.prepareStatement(updateSql)) {
                update.setString(1, status.value());
                update.setLong(2, id);
                long session = sessions.of(connection);
                long sent = System.nanoTime();
                try (ResultSet returned = update.executeQuery()) {
                    if (!returned.next()) {
                        // The server committed an update of nothing: the row the client was told was inserted is
                        // not there. Not an acknowledgement of a write; the row check reports the missing row.
                        log.updatesFindingNoRow++;
                        progress.updateFoundNoRow();
                        return;
                    }
                    Server server = settings.serverAt(returned.getString(1));
                    long acked = System.nanoTime();
                    log.updateAcked(began, sent, session, acked, row, status, server);
                    progress.acked(server, acked);
                    return;
                }
            } catch (SQLException failure) {
                if (!failedAndRetrying(failure, began)) {
                    // The run ended with this update unacknowledged; it may still have committed, so either value
                    // is a correct final status for the row.
                    log.inDoubt(row, status);
                    return;
                }
            }
        }
    }

    private boolean failedAndRetrying(SQLException failure, long began) {
        long now = System.nanoTime();
        connections.failed();
        FailureKind kind = FailureKind.of(failure);
        log.failed(began, now, kind, causes.indexOf(failure));
        progress.failed(kind);
        if (!running.getAsBoolean()) {
            return false;
        }
        waitUntil(now + settings.retryDelay().toNanos());
        return running.getAsBoolean();
    }

    /** Parks until the deadline, or until the run ends: {@link RehearsalClient#stop()} unparks every worker. */
    private void waitUntil(long deadline) {
        long remaining;
        while (running.getAsBoolean() && (remaining = deadline - System.nanoTime()) > 0) {
            LockSupport.parkNanos(remaining);
        }
    }
}
