package dev.cutover.replicator.streaming;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.locks.LockSupport;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.cutover.platform.StepFailure;
import dev.cutover.platform.database.DatabasePair;
import dev.cutover.platform.database.Endpoint;
import dev.cutover.platform.database.PublicationMembership;
import dev.cutover.replicator.postgres.Conninfo;
import dev.cutover.replicator.postgres.Failures;
import dev.cutover.replicator.postgres.Lsn;
import dev.cutover.replicator.postgres.Publications;
import dev.cutover.replicator.postgres.Removal;
import dev.cutover.replicator.postgres.ReplicationNames;
import dev.cutover.replicator.postgres.Slots;
import dev.cutover.replicator.postgres.Sql;
import dev.cutover.replicator.postgres.Subscriptions;
import dev.cutover.replicator.postgres.TableName;
import dev.cutover.replicator.verify.ChangeRecord;
import dev.cutover.replicator.verify.VerifyMode;

/**
 * The target's subscription to the slot the full load created. It neither creates a slot nor copies
 * data: the copy already holds everything up to the slot's consistent point, and the slot holds
 * everything after it, so each change arrives exactly once.
 */
public final class Streaming {

    private static final Logger log = LoggerFactory.getLogger(Streaming.class);

    private static final Duration SYNC_POLL = Duration.ofMillis(500);

    private static final String START_LSN_COMMENT = "created by the cutover replicator; streaming started at ";

    private final Duration slotReleasePatience;
    private final Duration syncPatience;

    /**
     * @param slotReleasePatience how long to wait for the source's WAL sender to let go of the slot before ending it
     * @param syncPatience        how long starting waits for table synchronisation of a resumed load's withheld
     *                            tables before failing with what to look at
     */
    public Streaming(Duration slotReleasePatience, Duration syncPatience) {
        this.slotReleasePatience = slotReleasePatience;
        this.syncPatience = syncPatience;
    }

    /** For loads that withheld nothing: a resumed load's tables still synchronising fail the start at once. */
    public Streaming(Duration slotReleasePatience) {
        this(slotReleasePatience, Duration.ZERO);
    }

    /**
     * Subscribes the target; if cutover's subscription already exists, reports it again unchanged. A resumed load
     * ({@code LoadResume}) recorded on the publication the tables it withheld: they are added back once the
     * subscription exists and copied by PostgreSQL's table synchronisation, and this returns only once every table of
     * the subscription is ready, since until then the slot can be caught up while rows are missing.
     *
     * @param planned the data verification the migration plans: a sampled one has every row changed on the target
     *                recorded from the subscription's start ({@link ChangeRecord}); a full one needs no record, and
     *                none is kept (one extra insert per applied row, for nothing)
     */
    public StreamingStarted start(DatabasePair pair, ReplicationNames names, VerifyMode planned) {
        List<TableName> withheld;
        try (Connection from = pair.source().connect()) {
            withheld = Publications.withheld(from, names.publication());
        } catch (SQLException e) {
            throw Failures.of("reading the publication " + names.publication(), pair.source().describe(), e);
        }
        StreamingStarted started = subscribe(pair, names, withheld, planned);
        if (!withheld.isEmpty()) {
            handOver(pair, names, withheld, syncPatience);
        }
        return started;
    }

    private StreamingStarted subscribe(DatabasePair pair, ReplicationNames names, List<TableName> withheld,
            VerifyMode planned) {
        Endpoint source = pair.source();
        Endpoint target = pair.target();
        Lsn start;
        List<TableName> withheldButPublished;
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
            List<TableName> published = withheld.isEmpty() ? List.of() : Publications.tables(from, names.publication());
            withheldButPublished = withheld.stream().filter(published::contains).toList();
        } catch (SQLException e) {
            throw Failures.of("reading the slot " + names.slot(), source.describe(), e);
        }
        try (Connection to = target.connect()) {
            Optional<Lsn> startedAt = startLsnOfExisting(to, names.subscription(), start);
            if (startedAt.isPresent()) {
                log.info("the subscription {} exists already on {}", names.subscription(), target.describe());
                return new StreamingStarted(names.slot(), names.subscription(), startedAt.get());
            }
            if (!withheldButPublished.isEmpty()) {
                // Subscribed now, the subscription would take them as ready and apply changes to rows they lack.
                throw new StepFailure("the publication " + names.publication() + " on " + source.describe()
                        + " names " + withheldButPublished + ", which the resumed load withheld until the"
                        + " subscription exists: take them out (ALTER PUBLICATION " + names.publication()
                        + " DROP TABLE ...) and send StartStreaming again, or start the load over", false);
            }
            switch (planned) {
                case SAMPLED -> {
                    // Before the subscription applies anything: the verification compares every range changed after this.
                    List<TableName> recorded = ChangeRecord.install(pair);
                    log.info("recording the rows changed on {} in {} of its tables", target.describe(), recorded.size());
                }
                // A record left by an earlier migration would miss what this subscription changes.
                case FULL -> ChangeRecord.remove(target);
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
     * The withheld tables back in the publication, then a refresh that hands each to a table synchronisation worker:
     * it copies the table at a snapshot of its own and follows it until the apply worker takes over. Between the two,
     * {@link PublicationMembership#settle} waits out the transactions open across the change, which an unpatched
     * source would decode with the tables cached as unpublished. Each part is skipped when already done, so a repeated
     * command only waits.
     */
    private static void handOver(DatabasePair pair, ReplicationNames names, List<TableName> withheld,
            Duration patience) {
        Endpoint source = pair.source();
        Endpoint target = pair.target();
        boolean refreshed;
        try (Connection to = target.connect()) {
            refreshed = subscribed(to, names.subscription()).keySet().containsAll(withheld);
        } catch (SQLException e) {
            throw Failures.of("reading the subscription " + names.subscription(), target.describe(), e);
        }
        if (!refreshed) {
            try (Connection from = source.connect()) {
                List<TableName> published = Publications.tables(from, names.publication());
                List<TableName> missing = withheld.stream().filter(table -> !published.contains(table)).toList();
                if (!missing.isEmpty()) {
                    try (Statement statement = from.createStatement()) {
                        statement.execute("ALTER PUBLICATION " + Sql.identifier(names.publication()) + " ADD TABLE "
                                + Publications.only(missing));
                    }
                }
                PublicationMembership.settle(from, names.publication(),
                        withheld.stream().map(table -> "ONLY " + table.quoted()).toList(), patience);
            } catch (SQLException e) {
                throw Failures.of("adding the withheld tables back to the publication " + names.publication(),
                        source.describe(), e);
            }
        }
        try (Connection to = target.connect()) {
            if (!refreshed) {
                try (Statement statement = to.createStatement()) {
                    statement.execute("ALTER SUBSCRIPTION " + Sql.identifier(names.subscription())
                            + " REFRESH PUBLICATION WITH (copy_data = true)");
                }
                log.info("the subscription {} synchronises {} tables the resumed load withheld: {}",
                        names.subscription(), withheld.size(), withheld);
            }
            awaitReady(to, names.subscription(), patience, target);
        } catch (SQLException e) {
            SQLException safe = new SQLException(Conninfo.redact(e.getMessage(), source), e.getSQLState());
            throw Failures.of("synchronising the withheld tables through " + names.subscription(),
                    target.describe(), safe);
        }
        try (Connection from = source.connect()) {
            Publications.recordWithheld(from, names.publication(), List.of());
        } catch (SQLException e) {
            throw Failures.of("clearing the withheld tables recorded on the publication " + names.publication(),
                    source.describe(), e);
        }
    }

    private static void awaitReady(Connection target, String subscription, Duration patience, Endpoint where)
            throws SQLException {
        Instant deadline = Instant.now().plus(patience);
        Map<TableName, String> notReady = notReady(subscribed(target, subscription));
        while (!notReady.isEmpty() && Instant.now().isBefore(deadline)) {
            LockSupport.parkNanos(SYNC_POLL.toNanos());
            notReady = notReady(subscribed(target, subscription));
        }
        if (!notReady.isEmpty()) {
            throw new StepFailure("after " + patience + " the subscription " + subscription + " on "
                    + where.describe() + " has not synchronised every table yet (state i: waiting for a worker,"
                    + " d: copying, f/s: catching up): " + notReady + ". Table synchronisation copies"
                    + " max_sync_workers_per_subscription tables at once; a worker that fails starts again and says why"
                    + " in the target's server log (and pg_stat_subscription_stats.sync_error_count on 15+); each needs"
                    + " a free slot and WAL sender on the source (max_replication_slots, max_wal_senders). Send"
                    + " StartStreaming again to keep waiting: what is done is not done twice", true);
        }
    }

    private static Map<TableName, String> notReady(Map<TableName, String> states) {
        Map<TableName, String> waiting = new TreeMap<>();
        states.forEach((table, state) -> {
            if (!"r".equals(state)) {
                waiting.put(table, state);
            }
        });
        return waiting;
    }

    /** The subscription's tables and the state of each in {@code pg_subscription_rel} ('r' once ready). */
    private static Map<TableName, String> subscribed(Connection target, String subscription) throws SQLException {
        Map<TableName, String> states = new TreeMap<>();
        try (PreparedStatement statement = target.prepareStatement("""
                SELECT n.nspname, c.relname, r.srsubstate::text
                FROM pg_subscription_rel r JOIN pg_subscription s ON s.oid = r.srsubid
                JOIN pg_class c ON c.oid = r.srrelid JOIN pg_namespace n ON n.oid = c.relnamespace
                WHERE s.subname = ? AND s.subdbid = (SELECT oid FROM pg_database WHERE datname = current_database())""")) {
            statement.setString(1, subscription);
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    states.put(new TableName(rows.getString(1), rows.getString(2)), rows.getString(3));
                }
            }
        }
        return states;
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
        // Nothing is left to verify against the source, and the application on the target need not pay for it.
        ChangeRecord.remove(target);
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
