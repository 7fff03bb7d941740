package dev.cutover.sandbox.plain;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import dev.cutover.dns.DnsRecordName;
import dev.cutover.dns.DnsTarget;
import dev.cutover.dns.FlipRequest;
import dev.cutover.dns.Timekeeper;
import dev.cutover.dns.rfc2136.Rfc2136Provider;
import dev.cutover.dns.rfc2136.Rfc2136Settings;
import dev.cutover.dns.rfc2136.TsigSecret;
import dev.cutover.dns.rfc2136.TsigSecretSource;
import dev.cutover.lag.canary.Canary;
import dev.cutover.lag.canary.CanaryWatch;
import dev.cutover.lag.engine.Lsn;
import dev.cutover.platform.database.DatabasePair;
import dev.cutover.platform.database.Endpoint;
import dev.cutover.schema.sequences.SequenceSync;
import dev.cutover.stack.DnsServer;
import dev.cutover.stack.Postgres;

/**
 * The cutover's steps run one after the other in one thread, with JDBC and DNS calls and no Kafka: the seed's
 * script done with our SQL. It is the yardstick of the event-driven design, so every step does what the service
 * that owns it does: the fence and the target's opening repeat the SQL of cutover-service's package-private
 * {@code Fence}; the catch-up proof is lag-monitor's own {@link CanaryWatch}; sequences are schema-service's own
 * {@link SequenceSync}; the flip is dns-switcher's own {@link Rfc2136Provider}. Like the services, each step opens
 * its own connections (one psql call per step in the seed's script), so the difference from the saga is the
 * messaging and nothing else.
 */
public final class PlainCutover {

    /** Between checks for remaining or first sessions: the fence's own 5 ms. */
    private static final Duration POLL = Duration.ofMillis(5);

    /**
     * Where the canary's position is read, as lag-monitor is configured for the native engine.
     *
     * @param subscription the subscription on the target
     * @param slot         its slot on the source
     */
    public record Replication(String subscription, String slot) {
    }

    /** The DNS name, its two addresses and the TTL the flip sets. */
    public record Flip(String record, String sourceAddress, String targetAddress, Duration ttl) {

        FlipRequest request() {
            return new FlipRequest(DnsRecordName.of(record), DnsTarget.parse(sourceAddress), DnsTarget.parse(targetAddress),
                    ttl);
        }
    }

    /** How a plain cutover ended. */
    public enum Status {
        COMPLETED, ROLLED_BACK, FAILED
    }

    /** One step: its name as the saga names it, when it began and how long it took. */
    public record StepTime(String step, Instant startedAt, Duration took) {
    }

    /**
     * What happened. Times are {@code null} when the moment never came.
     *
     * @param status         completed, rolled back (the source serves again) or failed (after the flip: rolled forward)
     * @param steps          every step that ran, in order, compensation included
     * @param failure        what went wrong, if anything
     * @param switchStartedAt the switch began with the DNS flip: new sessions may fail from here
     * @param fenceStartedAt the fence began: the application's sessions on the source end from here
     * @param fencedAt       the last application session on the source was gone
     * @param flippedAt      the DNS server answered the target's address (null when the cutover rolled back)
     * @param openedAt       the application's roles could log in to the target (null when it never opened)
     * @param resumedAt      the first application session was seen on the target
     * @param restoredAt     the source let the application in again after a failure
     */
    public record Result(Status status, List<StepTime> steps, Optional<String> failure, Instant switchStartedAt,
            Instant fenceStartedAt, Instant fencedAt, Instant flippedAt, Instant openedAt, Instant resumedAt,
            Instant restoredAt) {

        /**
         * Fence start to DNS flipped, the figure the saga reports as fenceToFlip: negative, because the flip comes
         * first.
         */
        public Optional<Duration> fenceToFlip() {
            return flippedAt == null || fenceStartedAt == null ? Optional.empty()
                    : Optional.of(Duration.between(fenceStartedAt, flippedAt));
        }

        /** Switch start to the first application session on the target, or to the source restored. */
        public Optional<Duration> downtime() {
            Instant end = resumedAt != null ? resumedAt : restoredAt;
            return end == null ? Optional.empty() : Optional.of(Duration.between(switchStartedAt, end));
        }

        public Optional<Duration> took(String step) {
            return steps.stream().filter(s -> s.step().equals(step)).map(StepTime::took).findFirst();
        }

        /** One line: each step's time, fence to flip and downtime. */
        public String describe() {
            StringBuilder text = new StringBuilder(status.name().toLowerCase());
            steps.forEach(s -> text.append(", ").append(s.step()).append(' ').append(s.took().toMillis()).append(" ms"));
            fenceToFlip().ifPresent(d -> text.append("; fence to flip ").append(d.toMillis()).append(" ms"));
            downtime().ifPresent(d -> text.append("; downtime ").append(d.toMillis()).append(" ms"));
            failure.ifPresent(f -> text.append("; ").append(f));
            return text.toString();
        }
    }

    private final DatabasePair pair;
    private final Replication replication;
    private final Flip flip;
    private final Rfc2136Provider dns;
    private final Duration stepTimeout;
    private final Clock clock = Clock.systemUTC();

    public PlainCutover(DatabasePair pair, Replication replication, Rfc2136Provider dns, Flip flip, Duration stepTimeout) {
        if (pair.appRoles().isEmpty()) {
            throw new IllegalArgumentException("a cutover needs the application roles to fence");
        }
        this.pair = pair;
        this.replication = replication;
        this.dns = dns;
        this.flip = flip;
        this.stepTimeout = stepTimeout;
    }

    /**
     * A plain cutover of one database of the local stack: the superuser is the admin login on both servers, the DNS
     * name is the stack's and flips from the source's address to the target's.
     */
    public static PlainCutover on(Postgres source, Postgres target, String database, String appRole, DnsServer server,
            Replication replication, Duration ttl, Duration stepTimeout) {
        DatabasePair pair = new DatabasePair(endpoint(source, database), endpoint(target, database), List.of(appRole),
                List.of("public"));
        return new PlainCutover(pair, replication, provider(server),
                new Flip(server.databaseName(), source.host(), target.host(), ttl), stepTimeout);
    }

    /** dns-switcher's provider for the stack's BIND, with dns-switcher's default settings. */
    public static Rfc2136Provider provider(DnsServer server) {
        // The settings must name where a service would read the secret; this program is handed the secret itself,
        // so the named variable is never read.
        Rfc2136Settings settings = Rfc2136Settings.of(server.host(), server.port(), DnsRecordName.of(server.zone()),
                server.tsigKeyName(), server.tsigAlgorithm(), new TsigSecretSource.EnvironmentVariable("CUTOVER_TSIG_SECRET"));
        return new Rfc2136Provider(settings, TsigSecret.parse(server.tsigSecret(), "the stack's DNS server"),
                Timekeeper.system());
    }

    private static Endpoint endpoint(Postgres server, String database) {
        return new Endpoint(server.host(), server.port(), database, server.superuser(), server.password(), null);
    }

    /**
     * Runs the whole cutover; on a failure before the target opens, undoes what was done so the source serves again.
     * The steps are the saga's, in its order, one after the other: the flip first, then the fence, the canary, the
     * sequences and the catch-up. DNS moves while the target is still locked, so a flip whose outcome is unknown can
     * be undone losing no write.
     */
    public Result run() {
        List<StepTime> steps = new ArrayList<>();
        Instant switchStartedAt = clock.instant();
        Instant fenceStartedAt = null;
        Instant fencedAt = null;
        Instant flippedAt = null;
        String step = "FLIP_DNS";
        try {
            timed(steps, step, () -> dns.flip(flip.request()));
            flippedAt = clock.instant();
            step = "STOP_TRAFFIC";
            fenceStartedAt = clock.instant();
            // The fence LSN is what the saga records in TrafficStopped; the canary's own LSN is what the proof needs.
            timed(steps, step, this::stopTraffic);
            fencedAt = clock.instant();
            step = "WRITE_CANARY";
            Canary canary = timed(steps, step, this::writeCanary);
            step = "SYNC_SEQUENCES";
            timed(steps, step, () -> new SequenceSync().sync(pair, 0));
            step = "AWAIT_CATCH_UP";
            timed(steps, step, () -> awaitCatchUp(canary));
        } catch (RuntimeException e) {
            StringBuilder failure = new StringBuilder(step + " failed: " + e.getMessage());
            Instant restoredAt = compensate(steps, failure);
            return new Result(restoredAt != null ? Status.ROLLED_BACK : Status.FAILED, List.copyOf(steps),
                    Optional.of(failure.toString()), switchStartedAt, fenceStartedAt, fencedAt, null, null, null,
                    restoredAt);
        }
        // Past the point of no return once the target may take writes: the saga only rolls forward from here, so a
        // target that does not open or a missing session is a failure to report, not a reason to go back.
        step = "OPEN_TARGET";
        Instant openedAt = null;
        try {
            timed(steps, step, () -> setLogin(pair.target(), true));
            openedAt = clock.instant();
            step = "AWAIT_TRAFFIC";
            Instant resumedAt = timed(steps, step, this::awaitFirstSession);
            return new Result(Status.COMPLETED, List.copyOf(steps), Optional.empty(), switchStartedAt, fenceStartedAt,
                    fencedAt, flippedAt, openedAt, resumedAt, null);
        } catch (RuntimeException e) {
            return new Result(Status.FAILED, List.copyOf(steps), Optional.of(step + " failed: " + e.getMessage()),
                    switchStartedAt, fenceStartedAt, fencedAt, flippedAt, openedAt, null, null);
        }
    }

    /**
     * The saga's compensation, in its order: send DNS back (the flip comes first, so it may have happened), then let
     * the application into the source again. The target was never opened, so it needs no locking. Returns when the source was
     * restored, or {@code null} when it was not; what went wrong is added to {@code failure}.
     */
    private Instant compensate(List<StepTime> steps, StringBuilder failure) {
        try {
            // Compare-and-swap from the target back to the source: a no-op when the flip never landed.
            timed(steps, "REVERT_DNS", () -> dns.flip(flip.request().reversed()));
        } catch (RuntimeException e) {
            // The target was never opened, so whatever the name points at, only the source can take writes:
            // restoring it is safe, and the name is for an operator to fix.
            failure.append("; REVERT_DNS failed: ").append(e.getMessage());
        }
        try {
            timed(steps, "RESTORE_SOURCE", () -> setLogin(pair.source(), true));
            return clock.instant();
        } catch (RuntimeException e) {
            failure.append("; RESTORE_SOURCE failed: ").append(e.getMessage());
            return null;
        }
    }

    /** Locks the app roles out of the source, ends their sessions until none is left, and reads the fence LSN. */
    private String stopTraffic() {
        try (Connection source = pair.source().connect()) {
            alterLogin(source, false);
            terminateUntilNoneRemain(source);
            return currentLsn(source);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot fence " + pair.source().describe() + ": " + e.getMessage(), e);
        }
    }

    /** The canary row, written after the last session is gone, and the WAL position after its commit. */
    private Canary writeCanary() {
        String token = UUID.randomUUID().toString();
        try (Connection source = pair.source().connect();
                PreparedStatement insert = source.prepareStatement(
                        "insert into cutover.canary (token) values (?) on conflict (token) do nothing")) {
            insert.setString(1, token);
            insert.executeUpdate();
            return new Canary(token, Lsn.parse(currentLsn(source)));
        } catch (SQLException e) {
            throw new IllegalStateException("cannot write the canary on " + pair.source().describe() + ": " + e.getMessage(), e);
        }
    }

    /** lag-monitor's proof: the row on the target and its position confirmed, on connections of its own. */
    private CanaryWatch.Outcome.Observed awaitCatchUp(Canary canary) {
        CanaryWatch.Positions positions = new CanaryWatch.Positions(Optional.of(replication.subscription()),
                Optional.of(replication.slot()));
        try (Connection target = pair.target().connect(); Connection source = pair.source().connect()) {
            CanaryWatch.installNotifyTrigger(target);
            CanaryWatch.Outcome outcome = new CanaryWatch(clock).await(canary, positions, clock.instant().plus(stepTimeout),
                    target, source);
            return switch (outcome) {
                case CanaryWatch.Outcome.Observed observed -> observed;
                case CanaryWatch.Outcome.TimedOut timedOut -> throw new IllegalStateException("canary " + canary.token()
                        + " was not confirmed on the target within " + stepTimeout + ": " + timedOut.last().describe(canary));
            };
        } catch (SQLException e) {
            throw new IllegalStateException("cannot watch for the canary: " + e.getMessage(), e);
        }
    }

    /** The fence's watcher: the first session of an app role on the target is the moment traffic resumed. */
    private Instant awaitFirstSession() {
        Instant deadline = clock.instant().plus(stepTimeout);
        try (Connection target = pair.target().connect();
                PreparedStatement sessions = target.prepareStatement(
                        "select min(backend_start) from pg_stat_activity where usename = any (?) and pid <> pg_backend_pid()")) {
            sessions.setArray(1, roles(target));
            while (true) {
                try (ResultSet rs = sessions.executeQuery()) {
                    rs.next();
                    if (rs.getTimestamp(1) != null) {
                        return clock.instant();
                    }
                }
                if (clock.instant().isAfter(deadline)) {
                    throw new IllegalStateException("no application session reached " + pair.target().describe()
                            + " within " + stepTimeout);
                }
                pause();
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot watch for sessions on " + pair.target().describe() + ": " + e.getMessage(), e);
        }
    }

    private Void setLogin(Endpoint endpoint, boolean login) {
        try (Connection connection = endpoint.connect()) {
            alterLogin(connection, login);
            return null;
        } catch (SQLException e) {
            throw new IllegalStateException("cannot change the app roles on " + endpoint.describe() + ": " + e.getMessage(), e);
        }
    }

    private void alterLogin(Connection connection, boolean login) throws SQLException {
        try (PreparedStatement quote = connection.prepareStatement(
                "select quote_ident(rolname) from pg_roles where rolname = ?");
                Statement alter = connection.createStatement()) {
            for (String role : pair.appRoles()) {
                quote.setString(1, role);
                try (ResultSet rs = quote.executeQuery()) {
                    if (!rs.next()) {
                        throw new IllegalStateException("role " + role + " does not exist on " + connection.getMetaData().getURL());
                    }
                    alter.execute("alter role " + rs.getString(1) + (login ? " login" : " nologin"));
                }
            }
        }
    }

    /** pg_terminate_backend only signals; a session is gone when it leaves pg_stat_activity. */
    private void terminateUntilNoneRemain(Connection connection) throws SQLException {
        Instant deadline = clock.instant().plus(stepTimeout);
        try (PreparedStatement terminate = connection.prepareStatement(
                "select count(*) filter (where pg_terminate_backend(pid)) from pg_stat_activity"
                        + " where usename = any (?) and pid <> pg_backend_pid()");
                PreparedStatement remaining = connection.prepareStatement(
                        "select count(*) from pg_stat_activity where usename = any (?) and pid <> pg_backend_pid()")) {
            Array roles = roles(connection);
            terminate.setArray(1, roles);
            remaining.setArray(1, roles);
            while (true) {
                terminate.executeQuery().close();
                try (ResultSet rs = remaining.executeQuery()) {
                    rs.next();
                    if (rs.getInt(1) == 0) {
                        return;
                    }
                }
                if (clock.instant().isAfter(deadline)) {
                    throw new IllegalStateException("sessions of " + pair.appRoles() + " remain after pg_terminate_backend");
                }
                pause();
            }
        }
    }

    private Array roles(Connection connection) throws SQLException {
        return connection.createArrayOf("text", pair.appRoles().toArray());
    }

    private static String currentLsn(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement();
                ResultSet rs = statement.executeQuery("select pg_current_wal_lsn()::text")) {
            rs.next();
            return rs.getString(1);
        }
    }

    private <T> T timed(List<StepTime> steps, String step, java.util.function.Supplier<T> action) {
        Instant start = clock.instant();
        long begin = System.nanoTime();
        try {
            return action.get();
        } finally {
            steps.add(new StepTime(step, start, Duration.ofNanos(System.nanoTime() - begin)));
        }
    }

    private static void pause() {
        try {
            Thread.sleep(POLL);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting", e);
        }
    }
}
