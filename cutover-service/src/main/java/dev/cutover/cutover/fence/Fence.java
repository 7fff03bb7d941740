package dev.cutover.cutover.fence;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.cutover.platform.StepFailure;
import dev.cutover.platform.database.DatabasePair;
import dev.cutover.platform.database.Endpoint;
import dev.cutover.platform.database.FenceState;
import dev.cutover.platform.database.ServerUnavailable;
import dev.cutover.platform.database.WarmConnections;

/**
 * The seed's Python script, one step a method: every method is idempotent, so a repeated command does
 * no harm. Roles are locked with NOLOGIN rather than a password change, because a new password stops
 * nothing while old sessions live on; sessions are then terminated until none remain.
 */
class Fence implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Fence.class);

    /** Between looks for the first application session on the opened target: every millisecond here is downtime. */
    private static final Duration POLL = Duration.ofMillis(5);
    /** PostgreSQL's SQLSTATE for an object that does not exist, here a role. */
    private static final String UNDEFINED_OBJECT = "42704";
    /** Between attempts to reach a target that is restarting or cut off. */
    private static final Duration RECONNECT_PAUSE = Duration.ofMillis(100);

    /** The most readying waits for the start-ups under way on a server. */
    private static final Duration READY_WAIT = Duration.ofSeconds(5);

    private final Clock clock;
    private final SessionSweep sweep;
    /** The fence, the canary and the opening run back to back while applications wait: no login each. */
    private final WarmConnections connections = new WarmConnections();

    Fence(Clock clock) {
        this.clock = clock;
        this.sweep = new SessionSweep(clock);
    }

    @Override
    public void close() {
        connections.close();
    }

    /** The fence's time, by which it judges how old a command is. */
    Instant now() {
        return clock.instant();
    }

    /**
     * Makes the next fence of {@code pair} run on what is already loaded and logged in: an idle administrative
     * connection to the source and to the target (the first also loads the driver), and every statement the fence,
     * the canary and the opening run, each run once with nothing to act on (no role is locked, no session ended,
     * nothing written). The first {@code StopTraffic} of a process was measured at 1.4 s on a busy host when it did this
     * itself, while ALTER ROLE took 0.09 ms.
     *
     * @throws SQLException when a server cannot be reached: the fence would then log in itself, and say so
     */
    void ready(DatabasePair pair) throws SQLException {
        for (Endpoint endpoint : List.of(pair.source(), pair.target())) {
            try (WarmConnections.Lease lease = connections.lease(endpoint)) {
                Connection connection = lease.connection();
                List<String> none = List.of();
                requireExisting(connection, none);
                quoteIdent(connection, "cutover");
                existing(connection, none);
                // With no role, it ends nothing and waits only for the start-ups under way: a few milliseconds.
                sweep.endAll(connection, none, clock.instant().plus(READY_WAIT), endpoint);
                FenceState.read(connection, none);
                currentLsn(connection);
                positionWhileLocked(connection, none);
                firstSession(connection, none);
            }
        }
    }

    record Stopped(String fenceLsn, List<String> roles, int terminatedSessions, Duration took) {
    }

    record Canary(String token, String lsn) {
    }

    /**
     * Locks the app roles on the source, ends their sessions, and reads the WAL position after the last of them, in the
     * sweep's round that found none left.
     */
    Stopped stopTraffic(DatabasePair pair, Duration timeout) {
        Instant start = clock.instant();
        List<String> roles = requireRoles(pair);
        connections.warm(pair.target());
        try (WarmConnections.Lease lease = connections.lease(pair.source())) {
            Connection source = lease.connection();
            setLogin(source, roles, false);
            Instant locked = clock.instant();
            SessionSweep.Swept swept = sweep.endAll(source, roles, start.plus(timeout), pair.source());
            Stopped stopped = new Stopped(swept.lsn(), roles, swept.ended(), Duration.between(start, clock.instant()));
            log.info("fenced {}: roles locked after {} ms, {} session(s) ended and {} backend(s) in a transaction or"
                    + " logging in awaited in {} round(s), {} ms in all", pair.source().describe(),
                    Duration.between(start, locked).toMillis(), swept.ended(), swept.loggingIn(), swept.rounds(),
                    stopped.took().toMillis());
            return stopped;
        } catch (SQLException e) {
            throw failure("stop traffic on the source", pair.source(), e);
        }
    }

    /**
     * Writes a row that replication must carry to the target. It is written after the last app session
     * is gone, so when it arrives, every acknowledged application write has arrived before it. The saga sends
     * this command together with {@code StopTraffic}, which this participant carries out first; the fence is
     * checked here again, so a canary is never written while the application can still write.
     */
    Canary writeCanary(DatabasePair pair, String token) {
        List<String> roles = requireRoles(pair);
        try (WarmConnections.Lease lease = connections.lease(pair.source())) {
            Connection source = lease.connection();
            requireFenced(source, roles, pair.source());
            try (PreparedStatement insert = source.prepareStatement(
                    "insert into cutover.canary (token) values (?) on conflict (token) do nothing")) {
                insert.setString(1, token);
                insert.executeUpdate();
            }
            return new Canary(token, currentLsn(source));
        } catch (SQLException e) {
            throw failure("write the canary on the source", pair.source(), e);
        }
    }

    /**
     * The target opened.
     *
     * @param walPosition the target's WAL insert position read just before the roles could log in, in the same
     *                    session: everything replication applied there is before it, every application write after
     *                    it, so reverse replication starts there. Empty when a role could already log in (an earlier
     *                    {@code OpenTarget} opened it), because writes may have been made before this reading, or
     *                    when the database prepares no fallback ({@code fallback.prepare} off).
     */
    record Opened(List<String> roles, Optional<String> walPosition) {
    }

    /** Lets the app roles log in to the target, reading its WAL position just before. */
    Opened openTarget(DatabasePair pair) {
        List<String> roles = requireRoles(pair);
        try (WarmConnections.Lease lease = connections.lease(pair.target())) {
            Connection target = lease.connection();
            // Only a cutover that prepares a fallback pays this round trip while the application waits.
            Optional<String> position = pair.fallback().prepare() ? positionWhileLocked(target, roles) : Optional.empty();
            setLogin(target, roles, true);
            return new Opened(roles, position);
        } catch (SQLException e) {
            throw failure("open the target", pair.target(), e);
        }
    }

    /** Locks the app roles out of the target again and ends any session that got in. */
    List<String> lockTarget(DatabasePair pair, Duration timeout) {
        List<String> roles = requireRoles(pair);
        try (Connection target = pair.target().connect()) {
            setLogin(target, roles, false);
            sweep.endAll(target, roles, clock.instant().plus(timeout), pair.target());
            return roles;
        } catch (SQLException e) {
            throw failure("lock the target", pair.target(), e);
        }
    }

    /** Lets the app roles log in to the source again: the rollback that makes the source serve. */
    List<String> restoreSource(DatabasePair pair) {
        // Best effort by design: a role that does not exist cannot be locked out either, and refusing to restore
        // the others because of it would keep the source closed.
        return withRoles(pair.source(), pair, true, "restore the source", true);
    }

    /**
     * Waits for the first application session on the target: the moment traffic resumed. A target that restarts or
     * cannot be reached meanwhile is waited for within the same timeout: the clients cannot come back before it does.
     */
    Instant awaitFirstSession(DatabasePair pair, Duration timeout) {
        List<String> roles = requireRoles(pair);
        Instant deadline = clock.instant().plus(timeout);
        boolean told = false;
        while (true) {
            try (Connection target = pair.target().connect();
                    PreparedStatement sessions = sessionsQuery(target, roles)) {
                while (!anySession(sessions)) {
                    checkDeadline(pair, roles, timeout, deadline);
                    pause();
                }
                return clock.instant();
            } catch (SQLException e) {
                if (!ServerUnavailable.is(e) || clock.instant().isAfter(deadline)) {
                    throw failure("watch for application sessions on the target", pair.target(), e);
                }
                if (!told) {
                    log.info("the target {} is not available while waiting for the first application session ({});"
                            + " trying again until {}", pair.target().describe(), e.getMessage(), deadline);
                    told = true;
                }
                sleep(RECONNECT_PAUSE);
            }
        }
    }

    private void checkDeadline(DatabasePair pair, List<String> roles, Duration timeout, Instant deadline) {
        if (clock.instant().isAfter(deadline)) {
            throw new StepFailure("no application session reached the target " + pair.target().describe()
                    + " within " + timeout + ": check that clients resolve the new DNS answer and that roles "
                    + roles + " can log in", true);
        }
    }

    private static boolean firstSession(Connection connection, List<String> roles) throws SQLException {
        try (PreparedStatement sessions = sessionsQuery(connection, roles)) {
            return anySession(sessions);
        }
    }

    /** Prepared once per wait, not once per poll: the wait polls every few milliseconds while clients come back. */
    private static PreparedStatement sessionsQuery(Connection connection, List<String> roles) throws SQLException {
        PreparedStatement sessions = connection.prepareStatement(
                "select exists (select 1 from pg_stat_activity where usename = any (?) and pid <> pg_backend_pid())");
        sessions.setArray(1, connection.createArrayOf("text", roles.toArray()));
        return sessions;
    }

    private static boolean anySession(PreparedStatement sessions) throws SQLException {
        try (ResultSet rs = sessions.executeQuery()) {
            rs.next();
            return rs.getBoolean(1);
        }
    }

    private List<String> withRoles(Endpoint endpoint, DatabasePair pair, boolean login, String what,
            boolean skipMissing) {
        List<String> roles = requireRoles(pair);
        try (WarmConnections.Lease lease = connections.lease(endpoint)) {
            Connection connection = lease.connection();
            List<String> present = skipMissing ? existing(connection, roles) : roles;
            setLogin(connection, present, login);
            return present;
        } catch (SQLException e) {
            throw failure(what, endpoint, e);
        }
    }

    /**
     * The WAL insert position (not the write position, which may lag behind commits already made), or empty when one
     * of the roles can log in already. One round trip.
     */
    private static Optional<String> positionWhileLocked(Connection target, List<String> roles) throws SQLException {
        try (PreparedStatement read = target.prepareStatement("select pg_current_wal_insert_lsn()::text,"
                + " coalesce(bool_or(rolcanlogin), false) from pg_roles where rolname = any (?)")) {
            read.setArray(1, target.createArrayOf("text", roles.toArray()));
            try (ResultSet rs = read.executeQuery()) {
                rs.next();
                return rs.getBoolean(2) ? Optional.empty() : Optional.of(rs.getString(1));
            }
        }
    }

    private static List<String> existing(Connection connection, List<String> roles) throws SQLException {
        try (PreparedStatement exists = connection.prepareStatement(
                "select rolname from pg_roles where rolname = any (?)")) {
            exists.setArray(1, connection.createArrayOf("text", roles.toArray()));
            List<String> found = new java.util.ArrayList<>();
            try (ResultSet rs = exists.executeQuery()) {
                while (rs.next()) {
                    found.add(rs.getString(1));
                }
            }
            return roles.stream().filter(found::contains).toList();
        }
    }

    /**
     * Changes every role or none: all are checked to exist first, so a missing role can never leave the
     * server half fenced (some roles locked, the step failed, and the undo failing on the same role).
     */
    /**
     * Sets every role's LOGIN in one round trip and one transaction: the statements go out together with one Sync, so
     * the server runs them as one implicit transaction, and a role that does not exist changes none of them.
     */
    private static void setLogin(Connection connection, List<String> roles, boolean login) throws SQLException {
        if (roles.isEmpty()) {
            return;
        }
        StringBuilder alter = new StringBuilder();
        for (String role : roles) {
            alter.append("alter role ").append(quoteIdent(connection, role)).append(login ? " login" : " nologin")
                    .append(";");
        }
        try (Statement statement = connection.createStatement()) {
            statement.execute(alter.toString());
        } catch (SQLException e) {
            if (UNDEFINED_OBJECT.equals(e.getSQLState())) {
                // Named by a second look, off the path that succeeds.
                requireExisting(connection, roles);
            }
            throw e;
        }
    }

    private static void requireExisting(Connection connection, List<String> roles) throws SQLException {
        try (PreparedStatement exists = connection.prepareStatement("select 1 from pg_roles where rolname = ?")) {
            for (String role : roles) {
                exists.setString(1, role);
                try (ResultSet rs = exists.executeQuery()) {
                    if (!rs.next()) {
                        throw new StepFailure("role " + role + " does not exist on " + connection.getMetaData().getURL()
                                + ": create it, or fix cutover.databases.<name>.app-roles", false);
                    }
                }
            }
        }
    }

    private static void requireFenced(Connection connection, List<String> roles, Endpoint endpoint) throws SQLException {
        FenceState state = FenceState.read(connection, roles);
        if (!state.holds()) {
            throw new StepFailure("the canary was not written: " + endpoint.describe() + " is not fenced ("
                    + state.describe(roles) + "); StopTraffic must succeed first", false);
        }
    }

    private static String currentLsn(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement();
                ResultSet rs = statement.executeQuery("select pg_current_wal_lsn()::text")) {
            rs.next();
            return rs.getString(1);
        }
    }

    private static String quoteIdent(Connection connection, String name) throws SQLException {
        try (PreparedStatement quote = connection.prepareStatement("select quote_ident(?)")) {
            quote.setString(1, name);
            try (ResultSet rs = quote.executeQuery()) {
                rs.next();
                return rs.getString(1);
            }
        }
    }

    private static List<String> requireRoles(DatabasePair pair) {
        if (pair.appRoles().isEmpty()) {
            throw new StepFailure("no application roles are configured: set cutover.databases.<name>.app-roles", false);
        }
        return pair.appRoles();
    }

    private static StepFailure failure(String what, Endpoint endpoint, SQLException e) {
        boolean retryable = ServerUnavailable.is(e);
        String hint = "42501".equals(e.getSQLState())
                ? ": the admin user needs CREATEROLE (or superuser) to lock roles and pg_signal_backend to end sessions"
                : "";
        return new StepFailure("cannot " + what + " at " + endpoint.describe() + ": " + e.getMessage() + hint, retryable, e);
    }

    private static void pause() {
        sleep(POLL);
    }

    private static void sleep(Duration pause) {
        try {
            Thread.sleep(pause);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StepFailure("interrupted while waiting", true);
        }
    }
}
