package dev.cutover.replicator.fallback;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.locks.LockSupport;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.cutover.platform.StepFailure;
import dev.cutover.platform.database.DatabasePair;
import dev.cutover.platform.database.Endpoint;
import dev.cutover.platform.database.Replication;
import dev.cutover.replicator.postgres.Conninfo;
import dev.cutover.replicator.postgres.Failures;
import dev.cutover.replicator.postgres.Lsn;
import dev.cutover.replicator.postgres.Publications;
import dev.cutover.replicator.postgres.Removal;
import dev.cutover.replicator.postgres.Slots;
import dev.cutover.replicator.postgres.Sql;
import dev.cutover.replicator.postgres.Subscriptions;
import dev.cutover.replicator.postgres.TableName;
import dev.cutover.replicator.postgres.Tables;

/**
 * Replication from the target back to the source, in three moves. {@link #prepare}, long before the switch while the
 * target is still locked: a publication of the moved tables and a logical slot on the target, so that from then on
 * the target's WAL is kept for the source. {@link #start}, once the forward subscription is gone: the slot is moved
 * to the target's WAL position read just before it opened, so that nothing the forward subscription applied is sent
 * back (the source has it already, and a duplicate key would stop the subscription), and the source subscribes from
 * there without copying. {@link #remove}, when the cutover went back before the target opened, when the fallback
 * is no longer wanted, or once a fallback has put the source back in service: a slot nobody reads keeps the target's
 * WAL until its disk fills. A fallback, with the target fenced, waits for the source to have everything first
 * ({@link #awaitCatchUp}).
 *
 * <p>cutover's own schema is not published back: the heartbeat and the canary only ever flow forward.
 */
public final class ReverseReplication {

    private static final Logger log = LoggerFactory.getLogger(ReverseReplication.class);

    /** Often enough that the catch-up adds little to a fallback's downtime, rarely enough to cost the target nothing. */
    private static final Duration CATCH_UP_POLL = Duration.ofMillis(20);

    private final Duration slotReleasePatience;

    /** @param slotReleasePatience how long to wait for the target's WAL sender to let go of the slot before ending it */
    public ReverseReplication(Duration slotReleasePatience) {
        this.slotReleasePatience = slotReleasePatience;
    }

    /** Reads what both servers offer; {@link ReversePrerequisites#problems()} judges it. */
    public ReversePrerequisites prerequisites(DatabasePair pair, Replication names) {
        try (Connection from = pair.source().connect(); Connection to = pair.target().connect()) {
            return prerequisites(from, to, names);
        } catch (SQLException e) {
            throw Failures.of("reading the reverse replication's prerequisites",
                    pair.source().describe() + " -> " + pair.target().describe(), e);
        }
    }

    /**
     * Creates the reverse publication (the tables that move, each {@code ONLY}) and then the slot on the target,
     * unless they exist; the publication comes first, so the slot's changes are read with it in place. Before anything
     * is made, the source's server logs in to the target as its subscription would ({@link #probe}), so that a target
     * the source cannot reach is found now and not after the target opened.
     *
     * @param conninfo how the source's apply worker will log in to the target
     */
    public ReverseOutcome.Prepared prepare(DatabasePair pair, Replication names, String conninfo) {
        Endpoint target = pair.target();
        try (Connection from = pair.source().connect(); Connection to = target.connect()) {
            List<String> problems = prerequisites(from, to, names).problems();
            if (!problems.isEmpty()) {
                throw new StepFailure("reverse replication cannot work from " + target.describe() + " back to "
                        + pair.source().describe() + ": " + String.join("; ", problems), false);
            }
            if (Subscriptions.exists(from, names.subscription())) {
                throw new StepFailure("the source " + pair.source().describe() + " already follows the target through"
                        + " the reverse subscription " + names.subscription() + ", an earlier cutover's fallback: drop it"
                        + " (DROP SUBSCRIPTION " + names.subscription() + ") once that fallback is no longer wanted", false);
            }
            probe(from, names, conninfo, pair);
            List<TableName> tables = Tables.list(from, pair.schemasOn(from));
            Optional<Boolean> publication = Publications.existing(to, names.publication());
            if (publication.isEmpty()) {
                Publications.recreate(to, names.publication(), tables, target.describe());
            } else if (!publication.get()) {
                throw new StepFailure("the publication " + names.publication() + " on " + target.describe()
                        + " exists and was not created by cutover: drop it (DROP PUBLICATION " + names.publication()
                        + ") if nobody uses it", false);
            }
            Optional<Slots.Slot> slot = Slots.find(to, names.slot());
            if (slot.isPresent()) {
                return new ReverseOutcome.Prepared(names, slot.get().confirmedLsn().orElseThrow(() -> notLogical(names, target)),
                        false);
            }
            try (PreparedStatement create = to.prepareStatement(
                    "SELECT lsn::text FROM pg_create_logical_replication_slot(?, 'pgoutput')")) {
                create.setString(1, names.slot());
                try (ResultSet row = create.executeQuery()) {
                    row.next();
                    Lsn at = Lsn.parse(row.getString(1));
                    log.info("reverse replication prepared on {}: publication {} of {} tables, slot {} from {}",
                            target.describe(), names.publication(), tables.size(), names.slot(), at);
                    return new ReverseOutcome.Prepared(names, at, true);
                }
            }
        } catch (SQLException e) {
            SQLException safe = new SQLException(Conninfo.redact(e.getMessage(), target), e.getSQLState());
            throw Failures.of("preparing the reverse publication " + names.publication() + " and slot " + names.slot(),
                    target.describe(), safe);
        }
    }

    /**
     * Subscribes the source to the target's reverse publication from {@code from}, the target's WAL position read
     * just before it opened: the slot is moved there first, so the subscription neither copies nor replays anything
     * the forward subscription applied. Refused while the forward subscription still exists on the target (each side
     * would send the other's changes back) or while an application role may log in to the source (its writes would
     * collide with the target's). A repeated command finds the subscription and changes nothing.
     *
     * @param forward   the forward replication, whose subscription must be gone from the target
     * @param appRoles  the roles applications log in as, which must stay locked on the source
     * @param conninfo  how the source's apply worker logs in to the target ({@link Conninfo#of} by default)
     */
    public ReverseOutcome.Started start(DatabasePair pair, Replication names, Replication forward, Lsn from,
            String conninfo) {
        Endpoint source = pair.source();
        Endpoint target = pair.target();
        try (Connection to = target.connect(); Connection back = source.connect()) {
            if (Subscriptions.exists(back, names.subscription())) {
                log.info("the reverse subscription {} exists already on {}", names.subscription(), source.describe());
                return new ReverseOutcome.Started(names, from, true);
            }
            if (Subscriptions.exists(to, forward.subscription())) {
                throw new StepFailure("the forward subscription " + forward.subscription() + " still exists on "
                        + target.describe() + ": stop forward replication first (StopReplication), or both servers"
                        + " would send each other's changes back", true);
            }
            List<String> open = loginRoles(back, pair.appRoles());
            if (!open.isEmpty()) {
                throw new StepFailure("the application roles " + open + " may log in to the source " + source.describe()
                        + ", whose tables would then take writes the target's changes collide with: lock them"
                        + " (ALTER ROLE ... NOLOGIN) before reverse replication starts", false);
            }
            if (Publications.existing(to, names.publication()).isEmpty()) {
                throw new StepFailure("the target " + target.describe() + " has no publication " + names.publication()
                        + ": reverse replication was not prepared by this cutover's preflight", false);
            }
            Slots.Slot slot = Slots.find(to, names.slot()).orElseThrow(() -> new StepFailure("the target "
                    + target.describe() + " has no slot " + names.slot() + ": reverse replication was not prepared by"
                    + " this cutover's preflight, or the slot was dropped, and the target's writes since it opened"
                    + " can no longer be sent back", false));
            Lsn position = slot.confirmedLsn().orElseThrow(() -> notLogical(names, target));
            if (position.compareTo(from) > 0) {
                throw new StepFailure("the slot " + names.slot() + " on " + target.describe() + " was read up to "
                        + position + ", past " + from + " where the target opened: writes made on the target in"
                        + " between would never reach the source. Do not fall back through it", false);
            }
            advance(to, names.slot(), from);
            try (Statement statement = back.createStatement()) {
                statement.execute("CREATE SUBSCRIPTION " + Sql.identifier(names.subscription())
                        + " CONNECTION " + Sql.literal(conninfo)
                        + " PUBLICATION " + Sql.identifier(names.publication())
                        + " WITH (create_slot = false, slot_name = " + Sql.literal(names.slot()) + ", copy_data = false)");
            }
            log.info("the source {} follows the target {} from {} (subscription {}, slot {})", source.describe(),
                    target.describe(), from, names.subscription(), names.slot());
            return new ReverseOutcome.Started(names, from, false);
        } catch (SQLException e) {
            SQLException safe = new SQLException(Conninfo.redact(e.getMessage(), target), e.getSQLState());
            throw Failures.of("starting the reverse subscription " + names.subscription(),
                    target.describe() + " -> " + source.describe(), safe);
        }
    }

    /**
     * Drops the reverse subscription on the source (detached from its slot first, so a target that is down cannot
     * block it), then the slot and cutover's reverse publication on the target, each looked up first.
     */
    public ReverseOutcome.Removed remove(DatabasePair pair, Replication names) {
        Removal subscription;
        try (Connection back = pair.source().connect()) {
            subscription = Subscriptions.drop(back, names.subscription());
        } catch (SQLException e) {
            throw Failures.of("dropping the reverse subscription " + names.subscription(), pair.source().describe(), e);
        }
        try (Connection to = pair.target().connect()) {
            Removal slot = Slots.drop(to, names.slot(), slotReleasePatience) ? Removal.DROPPED : Removal.NOT_PRESENT;
            return new ReverseOutcome.Removed(names, subscription, slot, Publications.dropIfOurs(to, names.publication()));
        } catch (SQLException e) {
            throw Failures.of("dropping the reverse slot " + names.slot() + " (it retains WAL until dropped: SELECT"
                    + " pg_drop_replication_slot('" + names.slot() + "'))", pair.target().describe(), e);
        }
    }

    /**
     * A fallback's catch-up, with the target fenced: reads the target's WAL insert position (every write an application
     * made there is before it), then waits until the reverse slot is confirmed at or past it, which the source's apply
     * worker confirms only for what it has applied and flushed. Its WAL sender moves an idle slot on to the end of what
     * it read, so a target that takes no more writes is caught up with as soon as the source has the last of them.
     *
     * @throws StepFailure when the slot has not got there within {@code timeout}, saying where it stands: a stalled or
     *                     disabled reverse subscription, or a source that cannot keep up
     */
    public ReverseOutcome.CaughtUp awaitCatchUp(DatabasePair pair, Replication names, Duration timeout) {
        Endpoint target = pair.target();
        Instant deadline = Instant.now().plus(timeout);
        try (Connection to = target.connect()) {
            Lsn written;
            try (Statement statement = to.createStatement();
                    ResultSet row = statement.executeQuery("SELECT pg_current_wal_insert_lsn()::text")) {
                row.next();
                written = Lsn.parse(row.getString(1));
            }
            while (true) {
                Slots.Slot slot = Slots.find(to, names.slot()).orElseThrow(() -> new StepFailure("the target "
                        + target.describe() + " has no slot " + names.slot() + ": the source does not follow it, so a"
                        + " fallback would lose the target's writes", false));
                Lsn confirmed = slot.confirmedLsn().orElseThrow(() -> notLogical(names, target));
                if (confirmed.compareTo(written) >= 0) {
                    log.info("the source {} has everything the target {} wrote up to {} (slot {} confirmed {})",
                            pair.source().describe(), target.describe(), written, names.slot(), confirmed);
                    return new ReverseOutcome.CaughtUp(names, written, confirmed);
                }
                if (Instant.now().isAfter(deadline)) {
                    throw new StepFailure("the reverse slot " + names.slot() + " on " + target.describe()
                            + " is confirmed up to " + confirmed + ", short of " + written + " where the fenced target"
                            + " stopped, after " + timeout + (slot.activePid().isEmpty() ? ": no WAL sender reads it, so"
                            + " the reverse subscription " + names.subscription() + " on the source is disabled or"
                            + " cannot connect (see the source's log); enable it, then fall back again"
                            : ": the source applies the target's changes too slowly; fall back again once its lag is"
                            + " small"), true);
                }
                LockSupport.parkNanos(CATCH_UP_POLL.toNanos());
            }
        } catch (SQLException e) {
            throw Failures.of("awaiting the reverse slot " + names.slot(), target.describe(), e);
        }
    }

    /**
     * What a cutover that went back before the target opened leaves: the slot and publication its preflight made,
     * dropped, unless a reverse subscription on the source uses them (an earlier cutover's fallback, which this one
     * must not break): then everything is {@link Removal#KEPT}.
     */
    public ReverseOutcome.Removed removeUnstarted(DatabasePair pair, Replication names) {
        try (Connection back = pair.source().connect()) {
            if (Subscriptions.exists(back, names.subscription())) {
                log.info("the reverse subscription {} runs on {}: its slot and publication are kept",
                        names.subscription(), pair.source().describe());
                return new ReverseOutcome.Removed(names, Removal.KEPT, Removal.KEPT, Removal.KEPT);
            }
        } catch (SQLException e) {
            throw Failures.of("looking for the reverse subscription " + names.subscription(), pair.source().describe(), e);
        }
        return remove(pair, names);
    }

    /**
     * Has the source's server connect to the target with {@code conninfo}, as the reverse subscription will: a
     * subscription that makes no slot may be created inside a transaction, and it connects to the publisher while it
     * is created; the transaction is rolled back, so nothing is left, whatever happens to this process.
     */
    private static void probe(Connection source, Replication names, String conninfo, DatabasePair pair)
            throws SQLException {
        boolean autoCommit = source.getAutoCommit();
        source.setAutoCommit(false);
        try (Statement statement = source.createStatement()) {
            statement.execute("CREATE SUBSCRIPTION " + Sql.identifier(names.subscription()) + " CONNECTION "
                    + Sql.literal(conninfo) + " PUBLICATION " + Sql.identifier(names.publication())
                    + " WITH (connect = true, enabled = false, create_slot = false, slot_name = NONE, copy_data = false)");
        } catch (SQLException e) {
            throw new StepFailure("the source's server " + pair.source().describe() + " cannot log in to the target"
                    + " as its reverse subscription would (" + Conninfo.redact(e.getMessage(), pair.target()) + "): allow"
                    + " the source's address in the target's pg_hba.conf and its firewall, or set"
                    + " cutover.databases.<name>.fallback.target-conninfo to an address and login the source can use",
                    false, e);
        } finally {
            source.rollback();
            source.setAutoCommit(autoCommit);
        }
    }

    private static ReversePrerequisites prerequisites(Connection source, Connection target, Replication names)
            throws SQLException {
        int sourceVersion = Integer.parseInt(setting(source, "server_version_num"));
        try (PreparedStatement statement = target.prepareStatement("""
                SELECT current_setting('server_version_num')::int, current_setting('wal_level'),
                       EXISTS (SELECT 1 FROM pg_replication_slots WHERE slot_name = ?),
                       current_setting('max_replication_slots')::int - (SELECT count(*) FROM pg_replication_slots),
                       current_setting('max_wal_senders')::int - (SELECT count(*) FROM pg_stat_replication)""")) {
            statement.setString(1, names.slot());
            try (ResultSet row = statement.executeQuery()) {
                row.next();
                return new ReversePrerequisites(sourceVersion, row.getInt(1), row.getString(2), row.getBoolean(3),
                        row.getInt(4), row.getInt(5));
            }
        }
    }

    private static String setting(Connection connection, String name) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement("SELECT current_setting(?)")) {
            statement.setString(1, name);
            try (ResultSet row = statement.executeQuery()) {
                row.next();
                return row.getString(1);
            }
        }
    }

    private static void advance(Connection target, String slot, Lsn to) throws SQLException {
        try (PreparedStatement statement = target.prepareStatement(
                "SELECT end_lsn::text FROM pg_replication_slot_advance(?, ?::pg_lsn)")) {
            statement.setString(1, slot);
            statement.setString(2, to.toString());
            try (ResultSet row = statement.executeQuery()) {
                row.next();
                Lsn reached = Lsn.parse(row.getString(1));
                if (reached.compareTo(to) < 0) {
                    throw new StepFailure("the slot " + slot + " moved only to " + reached + ", short of " + to
                            + " (the target has not flushed that far yet): retry", true);
                }
            }
        }
    }

    private static List<String> loginRoles(Connection source, List<String> roles) throws SQLException {
        var open = new ArrayList<String>();
        try (PreparedStatement statement = source.prepareStatement(
                "SELECT rolcanlogin FROM pg_roles WHERE rolname = ?")) {
            for (String role : roles) {
                statement.setString(1, role);
                try (ResultSet row = statement.executeQuery()) {
                    if (row.next() && row.getBoolean(1)) {
                        open.add(role);
                    }
                }
            }
        }
        return open;
    }

    private static StepFailure notLogical(Replication names, Endpoint target) {
        return new StepFailure("the slot " + names.slot() + " on " + target.describe() + " is not a logical slot:"
                + " drop it and prepare reverse replication again", false);
    }
}
