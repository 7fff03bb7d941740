package dev.cutover.replicator.streaming;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Optional;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.cutover.platform.StepFailure;
import dev.cutover.platform.database.DatabasePair;
import dev.cutover.platform.database.Endpoint;
import dev.cutover.replicator.postgres.Conninfo;
import dev.cutover.replicator.postgres.Failures;
import dev.cutover.replicator.postgres.Lsn;
import dev.cutover.replicator.postgres.Publications;
import dev.cutover.replicator.postgres.Removal;
import dev.cutover.replicator.postgres.ReplicationNames;
import dev.cutover.replicator.postgres.Slots;
import dev.cutover.replicator.postgres.Sql;
import dev.cutover.replicator.postgres.Subscriptions;

/**
 * The target's subscription to the slot the full load created. It neither creates a slot nor copies
 * data: the copy already holds everything up to the slot's consistent point, and the slot holds
 * everything after it, so each change arrives exactly once.
 */
public final class Streaming {

    private static final Logger log = LoggerFactory.getLogger(Streaming.class);

    private static final String START_LSN_COMMENT = "created by the cutover replicator; streaming started at ";

    private final Duration slotReleasePatience;

    /** @param slotReleasePatience how long to wait for the source's WAL sender to let go of the slot before ending it */
    public Streaming(Duration slotReleasePatience) {
        this.slotReleasePatience = slotReleasePatience;
    }

    /** Subscribes the target; if cutover's subscription already exists, reports it again unchanged. */
    public StreamingStarted start(DatabasePair pair, ReplicationNames names) {
        Endpoint source = pair.source();
        Endpoint target = pair.target();
        Lsn start;
        try (Connection from = source.connect()) {
            Slots.Slot slot = Slots.find(from, names.slot()).orElseThrow(() -> new StepFailure("the source "
                    + source.describe() + " has no replication slot " + names.slot() + ": run CopyData first,"
                    + " which creates it together with the snapshot it copies", false));
            start = slot.confirmedLsn().orElseThrow(() -> new StepFailure("the slot " + names.slot()
                    + " on " + source.describe() + " is not a logical slot: drop it and run CopyData again", false));
            if (Publications.existing(from, names.publication()).isEmpty()) {
                throw new StepFailure("the source " + source.describe() + " has no publication "
                        + names.publication() + ": run CopyData again, which creates it", false);
            }
        } catch (SQLException e) {
            throw Failures.of("reading the slot " + names.slot(), source.describe(), e);
        }
        try (Connection to = target.connect()) {
            Optional<Lsn> startedAt = startLsnOfExisting(to, names.subscription(), start);
            if (startedAt.isPresent()) {
                log.info("the subscription {} exists already on {}", names.subscription(), target.describe());
                return new StreamingStarted(names.slot(), names.subscription(), startedAt.get());
            }
            try (Statement statement = to.createStatement()) {
                statement.execute("CREATE SUBSCRIPTION " + Sql.identifier(names.subscription())
                        + " CONNECTION " + Sql.literal(Conninfo.of(source))
                        + " PUBLICATION " + Sql.identifier(names.publication())
                        + " WITH (create_slot = false, slot_name = " + Sql.literal(names.slot())
                        + ", copy_data = false)");
                // The slot's position moves on as changes are applied; a repeated command must still name the start.
                statement.execute("COMMENT ON SUBSCRIPTION " + Sql.identifier(names.subscription()) + " IS "
                        + Sql.literal(START_LSN_COMMENT + start));
            }
            log.info("the subscription {} on {} streams from {} at {}", names.subscription(), target.describe(),
                    source.describe(), start);
            return new StreamingStarted(names.slot(), names.subscription(), start);
        } catch (SQLException e) {
            // The message can hold the statement, and the statement holds the password.
            SQLException safe = new SQLException(Conninfo.redact(e.getMessage(), source), e.getSQLState());
            throw Failures.of("creating the subscription " + names.subscription(), target.describe(), safe);
        }
    }

    /**
     * Ends the configured subscription without touching the slot through it (so a dead source cannot block it), then
     * drops the slot and cutover's own publication on the source when asked to. Each object is looked up first and
     * reported as found: one that is not there is {@link Removal#NOT_PRESENT}, never dropped.
     */
    public StreamingStopped stop(DatabasePair pair, ReplicationNames names, boolean dropSlot) {
        Endpoint source = pair.source();
        Endpoint target = pair.target();
        Removal subscription;
        try (Connection to = target.connect()) {
            subscription = Subscriptions.drop(to, names.subscription());
        } catch (SQLException e) {
            throw Failures.of("dropping the subscription " + names.subscription(), target.describe(), e);
        }
        try (Connection from = source.connect()) {
            if (dropSlot) {
                Removal slot = Slots.drop(from, names.slot(), slotReleasePatience) ? Removal.DROPPED : Removal.NOT_PRESENT;
                return new StreamingStopped(names, subscription, slot, Publications.dropIfOurs(from, names.publication()));
            }
            Removal slot = Slots.find(from, names.slot()).isPresent() ? Removal.KEPT : Removal.NOT_PRESENT;
            Removal publication = Publications.existing(from, names.publication()).isPresent()
                    ? Removal.KEPT : Removal.NOT_PRESENT;
            return new StreamingStopped(names, subscription, slot, publication);
        } catch (SQLException e) {
            throw Failures.of("dropping the replication slot " + names.slot() + " (it retains WAL until dropped:"
                    + " SELECT pg_drop_replication_slot('" + names.slot() + "'))", source.describe(), e);
        }
    }

    /** The start LSN recorded on cutover's subscription, if it exists; the slot's position if nothing was recorded. */
    private static Optional<Lsn> startLsnOfExisting(Connection target, String name, Lsn slotPosition) throws SQLException {
        try (PreparedStatement statement = target.prepareStatement("""
                SELECT coalesce(obj_description(oid, 'pg_subscription'), '') FROM pg_subscription
                WHERE subname = ? AND subdbid = (SELECT oid FROM pg_database WHERE datname = current_database())""")) {
            statement.setString(1, name);
            try (ResultSet row = statement.executeQuery()) {
                if (!row.next()) {
                    return Optional.empty();
                }
                String comment = row.getString(1);
                return Optional.of(comment.startsWith(START_LSN_COMMENT)
                        ? Lsn.parse(comment.substring(START_LSN_COMMENT.length())) : slotPosition);
            }
        }
    }
}
