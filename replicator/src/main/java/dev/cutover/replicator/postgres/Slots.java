package dev.cutover.replicator.postgres;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.locks.LockSupport;

/** Replication slots on the source: finding and dropping cutover's, so none is left retaining WAL. */
public final class Slots {

    private static final Duration POLL = Duration.ofMillis(100);

    private Slots() {
    }

    /**
     * A slot as the source reports it.
     *
     * @param activePid    the WAL sender streaming from it, if one is
     * @param confirmedLsn how far its consumer has confirmed (for a slot nobody used yet: its consistent point)
     */
    public record Slot(String name, Optional<Integer> activePid, Optional<Lsn> confirmedLsn) {
    }

    public static Optional<Slot> find(Connection source, String name) throws SQLException {
        try (PreparedStatement statement = source.prepareStatement(
                "SELECT active_pid, confirmed_flush_lsn::text FROM pg_replication_slots WHERE slot_name = ?")) {
            statement.setString(1, name);
            try (ResultSet row = statement.executeQuery()) {
                if (!row.next()) {
                    return Optional.empty();
                }
                int pid = row.getInt(1);
                Optional<Integer> active = row.wasNull() ? Optional.empty() : Optional.of(pid);
                return Optional.of(new Slot(name, active, Optional.ofNullable(row.getString(2)).map(Lsn::parse)));
            }
        }
    }

    /**
     * Drops the slot if it exists. A slot still in use is waited for up to {@code patience} (a WAL sender
     * notices a disabled subscription within moments), then its WAL sender is terminated.
     *
     * @return whether a slot was dropped
     */
    /**
     * Whether the slot is still there and has not moved from {@code consistentPoint}, as during the load that created
     * it: gone, or at another point, it belongs to a load that is over (failed, aborted, followed by another).
     */
    public static boolean standsAt(Connection source, String name, Lsn consistentPoint) throws SQLException {
        return find(source, name).flatMap(Slot::confirmedLsn).filter(consistentPoint::equals).isPresent();
    }

    public static boolean drop(Connection source, String name, Duration patience) throws SQLException {
        Instant deadline = Instant.now().plus(patience);
        Optional<Slot> slot = find(source, name);
        while (slot.isPresent() && slot.get().activePid().isPresent() && Instant.now().isBefore(deadline)) {
            LockSupport.parkNanos(POLL.toNanos());
            slot = find(source, name);
        }
        if (slot.isEmpty()) {
            return false;
        }
        if (slot.get().activePid().isPresent()) {
            try (PreparedStatement terminate = source.prepareStatement("SELECT pg_terminate_backend(?)")) {
                terminate.setInt(1, slot.get().activePid().get());
                terminate.execute();
            }
        }
        try (PreparedStatement drop = source.prepareStatement(
                "SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots WHERE slot_name = ?")) {
            drop.setString(1, name);
            for (int attempt = 0; ; attempt++) {
                try {
                    drop.execute();
                    return true;
                } catch (SQLException e) {
                    // A terminated WAL sender releases the slot a moment after it exits.
                    if (!"55006".equals(e.getSQLState()) || attempt >= 50) {
                        throw e;
                    }
                    LockSupport.parkNanos(POLL.toNanos());
                }
            }
        }
    }
}
