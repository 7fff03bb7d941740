package dev.cutover.platform.database;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.locks.LockSupport;

import dev.cutover.platform.StepFailure;

/**
 * Whether the applications are shut out of a server: none of their roles may log in and none of their sessions is
 * left. What is read on the source after that (the canary's position, the sequences) cannot change any more.
 *
 * @param rolesThatMayLogIn how many of the application roles may still log in
 * @param sessions          how many sessions of those roles remain, besides the reader's own
 */
public record FenceState(int rolesThatMayLogIn, int sessions) {

    private static final Duration POLL = Duration.ofMillis(2);

    public boolean holds() {
        return rolesThatMayLogIn == 0 && sessions == 0;
    }

    public String describe(List<String> roles) {
        return rolesThatMayLogIn + " of roles " + roles + " may log in, " + sessions + " of their sessions remain";
    }

    public static FenceState read(Connection connection, List<String> roles) throws SQLException {
        try (PreparedStatement fenced = connection.prepareStatement(
                "select (select count(*) from pg_roles where rolname = any (?) and rolcanlogin),"
                        + " (select count(*) from pg_stat_activity where usename = any (?) and pid <> pg_backend_pid())")) {
            Array roleArray = connection.createArrayOf("text", roles.toArray());
            fenced.setArray(1, roleArray);
            fenced.setArray(2, roleArray);
            try (ResultSet rs = fenced.executeQuery()) {
                rs.next();
                return new FenceState(rs.getInt(1), rs.getInt(2));
            }
        }
    }

    /**
     * Returns once the fence holds on {@code connection}'s server, checking every few milliseconds; with no roles
     * there is nothing to wait for.
     *
     * @throws StepFailure (retryable) when it does not hold by {@code deadline}
     */
    public static void await(Connection connection, List<String> roles, Instant deadline, Endpoint server)
            throws SQLException {
        if (roles.isEmpty()) {
            return;
        }
        while (true) {
            FenceState state = read(connection, roles);
            if (state.holds()) {
                return;
            }
            if (Instant.now().isAfter(deadline)) {
                throw new StepFailure(server.describe() + " was not fenced in time (" + state.describe(roles)
                        + "): the sequences are read only once no application can take a value; StopTraffic must"
                        + " succeed first", true);
            }
            LockSupport.parkNanos(POLL.toNanos());
            if (Thread.currentThread().isInterrupted()) {
                throw new StepFailure("interrupted while waiting for the fence on " + server.describe(), true);
            }
        }
    }
}
