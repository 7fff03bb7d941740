package dev.cutover.cutover.fence;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.locks.LockSupport;

import dev.cutover.platform.StepFailure;
import dev.cutover.platform.database.Endpoint;

/**
 * Ends every session of the application roles on a server whose roles were just set to NOLOGIN, and returns once none
 * is left and none can still appear.
 *
 * <p>A session can appear after NOLOGIN has committed: a backend checks {@code rolcanlogin} while it logs in, but shows
 * up in {@code pg_stat_activity} with its role only at the end of its start-up, milliseconds later (longer on a busy
 * host). One that passed the check just before the commit is invisible to a sweep that runs then, and would write after
 * the fence if the sweep stopped at "none visible". Such a backend is inside its start-up transaction, so it holds a
 * virtual transaction id lock ({@code pg_locks}) from before the commit. The sweep therefore notes, right after NOLOGIN,
 * every backend that holds one and is not yet visible with a role, and waits until each has either become visible (and
 * is ended if it is an application's) or left its start-up. Backends that begin logging in after the commit read the
 * role afresh and are refused, so nothing else can appear.
 *
 * <p>Each round is two short statements (the start-ups still pending, then end and count the visible sessions, whose
 * snapshot is taken after the first read), and rounds follow each other after a pause of
 * {@value #PAUSE_MICROS} µs: a terminated session leaves {@code pg_stat_activity} within a millisecond or so, and every
 * round while one lingers is downtime.
 */
final class SessionSweep {

    private static final long PAUSE_MICROS = 500;

    /** Backends in a transaction (start-up included), other than this one. */
    private static final String IN_TRANSACTION = "select coalesce(array_agg(pid), '{}') from pg_locks"
            + " where locktype = 'virtualxid' and pid is not null and pid <> pg_backend_pid()";

    /** Of the pids given, those still in a transaction: a start-up not finished yet, or a session at work. */
    private static final String STILL_IN_TRANSACTION = "select coalesce(array_agg(distinct pid), '{}') from pg_locks"
            + " where locktype = 'virtualxid' and pid = any (?)";

    /**
     * Ends the visible sessions of the roles, tells which of the pids given are visible with a role (or are not a
     * client backend at all): those are no longer logging in, and reads the WAL position after the look, so that the
     * round that finds none left needs no further round trip for it.
     */
    private static final String END_VISIBLE = """
            select coalesce(array_agg(pid) filter (where case when usename = any (?) then pg_terminate_backend(pid)
                       else false end), '{}'),
                   count(*) filter (where usename = any (?)),
                   coalesce(array_agg(pid) filter (where pid = any (?)
                       and (usename is not null or backend_type is distinct from 'client backend')), '{}'),
                   pg_current_wal_lsn()::text
            from pg_stat_activity
            where pid <> pg_backend_pid()
            """;

    private final Clock clock;

    SessionSweep(Clock clock) {
        this.clock = clock;
    }

    /**
     * What a sweep did.
     *
     * @param ended     sessions ended, each counted once however many rounds it took to leave
     * @param loggingIn backends that were in a transaction, start-ups among them, when the sweep began
     * @param rounds    rounds it took
     * @param lsn       the server's WAL position read by the round that found none left: every ended session's
     *                  writes are before it
     */
    record Swept(int ended, int loggingIn, int rounds, String lsn) {
    }

    /** @throws StepFailure (retryable) when sessions remain or start-ups are pending at {@code deadline} */
    Swept endAll(Connection connection, List<String> roles, Instant deadline, Endpoint endpoint) throws SQLException {
        Set<Integer> ended = new HashSet<>();
        Set<Integer> loggingIn = pids(connection, IN_TRANSACTION, null);
        int atStart = loggingIn.size();
        int rounds = 0;
        try (PreparedStatement stillInTransaction = connection.prepareStatement(STILL_IN_TRANSACTION);
                PreparedStatement endVisible = connection.prepareStatement(END_VISIBLE)) {
            Array roleArray = connection.createArrayOf("text", roles.toArray());
            while (true) {
                rounds++;
                if (!loggingIn.isEmpty()) {
                    loggingIn.retainAll(pids(connection, stillInTransaction, loggingIn));
                }
                endVisible.setArray(1, roleArray);
                endVisible.setArray(2, roleArray);
                endVisible.setArray(3, connection.createArrayOf("int4", loggingIn.toArray()));
                int visible;
                String lsn;
                try (ResultSet rs = endVisible.executeQuery()) {
                    rs.next();
                    ended.addAll(integers(rs.getArray(1)));
                    visible = rs.getInt(2);
                    loggingIn.removeAll(integers(rs.getArray(3)));
                    lsn = rs.getString(4);
                }
                if (visible == 0 && loggingIn.isEmpty()) {
                    return new Swept(ended.size(), atStart, rounds, lsn);
                }
                if (clock.instant().isAfter(deadline)) {
                    throw new StepFailure(visible + " session(s) of " + roles + " remain on " + endpoint.describe()
                            + " after pg_terminate_backend, and " + loggingIn.size() + " backend(s) " + loggingIn
                            + " that began logging in before NOLOGIN have not finished: check for a role with the same"
                            + " name reconnecting as a superuser, or a client stuck while logging in, or raise the step"
                            + " timeout", true);
                }
                LockSupport.parkNanos(PAUSE_MICROS * 1_000);
                if (Thread.currentThread().isInterrupted()) {
                    throw new StepFailure("interrupted while ending the sessions of " + roles + " on "
                            + endpoint.describe(), true);
                }
            }
        }
    }

    private static Set<Integer> pids(Connection connection, String query, Set<Integer> among) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(query)) {
            return pids(connection, statement, among);
        }
    }

    private static Set<Integer> pids(Connection connection, PreparedStatement statement, Set<Integer> among)
            throws SQLException {
        if (among != null) {
            statement.setArray(1, connection.createArrayOf("int4", among.toArray()));
        }
        try (ResultSet rs = statement.executeQuery()) {
            rs.next();
            return integers(rs.getArray(1));
        }
    }

    private static Set<Integer> integers(Array array) throws SQLException {
        Set<Integer> values = new HashSet<>();
        for (Object value : (Object[]) array.getArray()) {
            values.add(((Number) value).intValue());
        }
        return values;
    }
}
