package dev.cutover.lag.canary;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

import org.postgresql.PGConnection;

import dev.cutover.lag.engine.Lsn;

/**
 * Waits on the target for a canary. The apply worker fires an {@code ENABLE ALWAYS} trigger on
 * {@code cutover.canary} that notifies this connection's {@code LISTEN} at the moment the row commits, so
 * detection does not wait for a poll; a short poll remains for the position, which can trail the row by a
 * moment, and in case a notification is lost.
 */
public final class CanaryWatch {

    static final String CHANNEL = "cutover_canary";
    static final String TRIGGER = "cutover_canary_notify";

    /** Wait between checks while the row is not there: the notification usually ends it much sooner. */
    private static final Duration ROW_POLL = Duration.ofMillis(50);
    /** Wait between checks once the row is there and only the position must pass it. */
    private static final Duration POSITION_POLL = Duration.ofMillis(1);

    private final Clock clock;

    public CanaryWatch(Clock clock) {
        this.clock = clock;
    }

    /** What the wait ended with. */
    public sealed interface Outcome {

        /** The row is on the target and the confirmed position passed its LSN. */
        record Observed(Canary canary, Instant writtenAt, Instant seenAt, Lsn targetLsn) implements Outcome {

            /** From the canary's write on the source to its detection here; includes the two servers' clock skew. */
            public Duration latency() {
                Duration latency = Duration.between(writtenAt, seenAt);
                return latency.isNegative() ? Duration.ZERO : latency;
            }
        }

        /**
         * The deadline passed; {@code last} is what the final check saw, {@code lsn} the canary's position if it was
         * known by then.
         */
        record TimedOut(String token, Optional<Lsn> lsn, CatchUpCheck last) implements Outcome {

            public String describe() {
                return last.describe(lsn);
            }
        }
    }

    /**
     * Where to look for the canary's position.
     *
     * @param subscription the native subscription on the target, whose latest_end_lsn is read
     * @param slot         the slot on the source, whose confirmed_flush_lsn is read when the target's report lags
     */
    public record Positions(Optional<String> subscription, Optional<String> slot) {

        public Positions {
            if (subscription.isEmpty() && slot.isEmpty()) {
                throw new IllegalArgumentException("a canary's position needs a subscription or a slot to read: set "
                        + "cutover.lag.databases.<name>.slot to the engine's replication slot on the source");
            }
        }
    }

    /**
     * Makes sure the target notifies on canary rows. The trigger is {@code ENABLE ALWAYS} because replication
     * apply workers run with session_replication_role = replica, which skips ordinary triggers.
     */
    public static void installNotifyTrigger(Connection target) throws SQLException {
        try (PreparedStatement present = target.prepareStatement("""
                select t.tgenabled = 'A' from pg_trigger t
                where t.tgrelid = 'cutover.canary'::regclass and t.tgname = ?
                """)) {
            present.setString(1, TRIGGER);
            try (ResultSet rs = present.executeQuery()) {
                if (rs.next() && rs.getBoolean(1)) {
                    return;
                }
            }
        }
        boolean autoCommit = target.getAutoCommit();
        target.setAutoCommit(false);
        try (Statement statement = target.createStatement()) {
            statement.execute("""
                    create or replace function cutover.notify_canary() returns trigger language plpgsql as $$
                    begin
                        perform pg_notify('%s', new.token);
                        return null;
                    end $$""".formatted(CHANNEL));
            statement.execute("drop trigger if exists " + TRIGGER + " on cutover.canary");
            statement.execute("create trigger " + TRIGGER + " after insert or update on cutover.canary"
                    + " for each row execute procedure cutover.notify_canary()");
            statement.execute("alter table cutover.canary enable always trigger " + TRIGGER);
            target.commit();
        } catch (SQLException e) {
            target.rollback();
            throw e;
        } finally {
            target.setAutoCommit(autoCommit);
        }
    }

    /**
     * Waits until the canary is on the target and its position confirmed, or the deadline passes.
     *
     * @param target a connection to the target used only by this wait (it LISTENs)
     * @param source a connection to the source, for the slot's confirmed position
     */
    public Outcome await(Canary canary, Positions positions, Instant deadline, Connection target, Connection source)
            throws SQLException {
        return await(canary.token(), Optional.of(canary.lsn()), positions, deadline, target, source);
    }

    /**
     * Waits for a canary that may not be written yet: its position, when not given, is read on the source once the
     * row has reached the target (so it is committed on the source): the source's WAL position then, at or after the
     * canary's commit, the same reading the canary's writer takes after committing it.
     *
     * @param token the canary's token
     * @param known the canary's position when its writer has reported it, else empty
     */
    public Outcome await(String token, Optional<Lsn> known, Positions positions, Instant deadline, Connection target,
            Connection source) throws SQLException {
        PGConnection notifications = target.unwrap(PGConnection.class);
        try (Statement listen = target.createStatement()) {
            listen.execute("listen " + CHANNEL);
        }
        try (PreparedStatement onTarget = target.prepareStatement("""
                with worker as (
                    select st.received_lsn, st.latest_end_lsn from pg_stat_subscription st
                    join pg_subscription s on s.oid = st.subid
                    where s.subname = ? and st.relid is null
                      and s.subdbid = (select oid from pg_database where datname = current_database()))
                select (select written_at from cutover.canary where token = ?),
                       (select received_lsn::text from worker), (select latest_end_lsn::text from worker)
                """);
                Statement flush = target.createStatement();
                PreparedStatement onSource = source.prepareStatement(
                        "select confirmed_flush_lsn::text from pg_replication_slots where slot_name = ?");
                PreparedStatement written = source.prepareStatement(
                        "select pg_current_wal_lsn()::text from cutover.canary where token = ?")) {
            onTarget.setString(1, positions.subscription().orElse(null));
            onTarget.setString(2, token);
            onSource.setString(1, positions.slot().orElse(null));
            written.setString(1, token);
            Optional<Lsn> lsn = known;
            while (true) {
                CatchUpCheck check;
                try (ResultSet rs = onTarget.executeQuery()) {
                    rs.next();
                    check = new CatchUpCheck(
                            Optional.ofNullable(rs.getObject(1, OffsetDateTime.class)).map(OffsetDateTime::toInstant),
                            Optional.ofNullable(Lsn.parseOrNull(rs.getString(2))),
                            Optional.ofNullable(Lsn.parseOrNull(rs.getString(3))), Optional.empty(), false);
                }
                if (check.rowVisible() && lsn.isEmpty()) {
                    lsn = positionOnSourceWhileFlushing(written, flush);
                    check = check.flushed();
                }
                if (lsn.isEmpty()) {
                    // Not on the target yet, or (a row someone put on the target by hand) not on the source: wait on.
                    check = check.withoutRow();
                } else {
                    Canary canary = new Canary(token, lsn.get());
                    if (check.rowVisible() && !check.positionPassed(canary.lsn()) && check.received(canary.lsn())) {
                        flushTarget(flush);
                        check = check.flushed();
                    }
                    if (check.rowVisible() && !check.positionPassed(canary.lsn()) && positions.slot().isPresent()) {
                        check = check.withSlotConfirmed(slotConfirmed(onSource));
                    }
                    if (check.caughtUp(canary)) {
                        // Reported in the source's LSN space, comparable with the canary's LSN: the target's own
                        // WAL position is another numbering altogether.
                        return new Outcome.Observed(canary, check.writtenAt().get(), clock.instant(),
                                check.confirmedPosition().orElse(canary.lsn()));
                    }
                }
                Duration left = Duration.between(clock.instant(), deadline);
                if (left.isNegative() || left.isZero()) {
                    return new Outcome.TimedOut(token, lsn, check);
                }
                Duration pause = check.rowVisible() ? POSITION_POLL : ROW_POLL;
                long waitMs = Math.max(1, Math.min(pause.toMillis(), left.toMillis()));
                // Returns at the first notification, or after waitMs; the notification's payload need not be read.
                notifications.getNotifications((int) waitMs);
            }
        } finally {
            try (Statement unlisten = target.createStatement()) {
                unlisten.execute("unlisten " + CHANNEL);
            }
        }
    }

    /**
     * Makes the target's WAL durable up to now, so the apply of the row just seen is on disk: a commit that holds
     * a transaction id, with synchronous_commit on, flushes all WAL before its own commit record.
     */
    private static void flushTarget(Statement statement) throws SQLException {
        statement.execute("begin; set local synchronous_commit = on; select txid_current(); commit");
    }

    /**
     * {@link #positionOnSource} and {@link #flushTarget} at once: the flush is what a known position asks for next (the
     * row is on the target), and neither needs the other, so the proof waits for one round trip rather than two while
     * every application write waits. The source's reading has ended when this returns or throws: its connection is the
     * caller's.
     */
    private static Optional<Lsn> positionOnSourceWhileFlushing(PreparedStatement written, Statement flush)
            throws SQLException {
        CompletableFuture<Optional<Lsn>> reading = new CompletableFuture<>();
        Thread.ofVirtual().name("canary-position").start(() -> {
            try {
                reading.complete(positionOnSource(written));
            } catch (SQLException | RuntimeException e) {
                reading.completeExceptionally(e);
            }
        });
        SQLException flushFailed = null;
        try {
            flushTarget(flush);
        } catch (SQLException e) {
            flushFailed = e;
        }
        try {
            Optional<Lsn> position = reading.join();
            if (flushFailed != null) {
                throw flushFailed;
            }
            return position;
        } catch (CompletionException e) {
            if (flushFailed != null) {
                flushFailed.addSuppressed(e.getCause());
                throw flushFailed;
            }
            if (e.getCause() instanceof SQLException cause) {
                throw cause;
            }
            throw e.getCause() instanceof RuntimeException cause ? cause : e;
        }
    }

    /** The source's WAL position, read in a snapshot that holds the canary's row, so at or after its commit. */
    private static Optional<Lsn> positionOnSource(PreparedStatement written) throws SQLException {
        try (ResultSet rs = written.executeQuery()) {
            return rs.next() ? Optional.ofNullable(Lsn.parseOrNull(rs.getString(1))) : Optional.empty();
        }
    }

    private static Optional<Lsn> slotConfirmed(PreparedStatement onSource) throws SQLException {
        try (ResultSet rs = onSource.executeQuery()) {
            return rs.next() ? Optional.ofNullable(Lsn.parseOrNull(rs.getString(1))) : Optional.empty();
        }
    }
}
