package dev.cutover.lag.monitor;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.cutover.lag.engine.LagReader;
import dev.cutover.lag.engine.LagSample;
import dev.cutover.lag.engine.ReplicationEngine;
import dev.cutover.lag.heartbeat.Heartbeat;
import dev.cutover.lag.settings.DatabaseLag;
import dev.cutover.lag.slot.IdleSlotWatch;
import dev.cutover.lag.slot.SlotIdle;
import dev.cutover.lag.state.Assessment;
import dev.cutover.lag.state.LagTracker;
import dev.cutover.lag.state.Observation;
import dev.cutover.platform.database.DatabasePair;
import dev.cutover.platform.database.Replication;

/**
 * Observes one database: beats, reads, judges. Keeps one connection to each side and opens them again after
 * any failure, so a server that comes back is seen again at the next interval. Used by one thread at a time.
 */
final class DatabaseMonitor implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(DatabaseMonitor.class);

    private final String database;
    private final DatabasePair pair;
    private final DatabaseLag settings;
    private final LagReader reader;
    private final Clock clock;
    private final AtomicBoolean heartbeatOn;
    /** Whether the heartbeat's age on the subscriber says anything: not for the reverse replication, which leaves it out. */
    private final boolean measuresHeartbeat;
    private LagTracker tracker;
    private IdleSlotWatch slotWatch;
    private Connection source;
    private Connection target;
    private boolean missingHeartbeatTableLogged;

    DatabaseMonitor(String database, DatabasePair pair, DatabaseLag settings, Clock clock) {
        this(database, pair, settings, LagReader.of(settings.replicationEngine(pair.replication().resolve(database))),
                settings.heartbeat(), true, clock);
    }

    private DatabaseMonitor(String database, DatabasePair pair, DatabaseLag settings, LagReader reader, boolean heartbeat,
            boolean measuresHeartbeat, Clock clock) {
        this.database = database;
        this.pair = pair;
        this.settings = settings;
        this.reader = reader;
        this.clock = clock;
        this.heartbeatOn = new AtomicBoolean(heartbeat);
        this.measuresHeartbeat = measuresHeartbeat;
        this.tracker = LagTracker.start(settings.thresholds());
        this.slotWatch = IdleSlotWatch.start(settings.slotIdleWarning());
    }

    /**
     * The reverse replication a cutover with {@code fallback.prepare} leaves: the target publishes through its slot, the
     * source subscribes. The same reading the other way round, with the same thresholds, and no heartbeat: cutover's
     * own schema is not published back.
     */
    static DatabaseMonitor reverse(String database, DatabasePair pair, DatabaseLag settings, Clock clock) {
        Replication names = Replication.reverse(database);
        DatabasePair backwards = new DatabasePair(pair.target(), pair.source(), pair.appRoles(), pair.schemas());
        return new DatabaseMonitor(database, backwards, settings,
                LagReader.of(new ReplicationEngine.Native(names.subscription(), names.slot())), false, false, clock);
    }

    String database() {
        return database;
    }

    DatabaseLag settings() {
        return settings;
    }

    /** Reads once and judges the reading against the ones before. */
    synchronized Judged observeOnce() {
        Observation observation = observe(clock.instant());
        Assessment assessment = tracker.observe(observation);
        tracker = assessment.next();
        Optional<SlotIdle> slotIdle = judgeSlot(observation);
        return new Judged(observation, assessment, slotIdle, slotWatch.idleFor(observation.at()));
    }

    /**
     * @param slotIdle    the warning about a slot without a reader, on the one reading that crosses the limit
     * @param slotIdleFor how long the slot has had no reader while keeping WAL; zero when it has one
     */
    record Judged(Observation observation, Assessment assessment, Optional<SlotIdle> slotIdle, Duration slotIdleFor) {
    }

    private Optional<SlotIdle> judgeSlot(Observation observation) {
        // An unreadable source says nothing about the slot: the episode under way neither ends nor grows a warning.
        if (!(observation instanceof Observation.Read read)) {
            return Optional.empty();
        }
        IdleSlotWatch.Verdict verdict = slotWatch.observe(read.sample().source().slot(), read.sample().at());
        slotWatch = verdict.next();
        return verdict.warning();
    }

    /** Stops writing heartbeats, e.g. after the fence, when any write on the source must be an application's. */
    void pauseHeartbeat() {
        heartbeatOn.set(false);
    }

    void resumeHeartbeat() {
        heartbeatOn.set(settings.heartbeat());
    }

    boolean heartbeatOn() {
        return heartbeatOn.get();
    }

    private Observation observe(Instant at) {
        try {
            connect();
            if (heartbeatOn.get()) {
                beat();
            }
            LagSample sample = reader.read(source, target, at);
            return new Observation.Read(measuresHeartbeat ? sample.withHeartbeatLagMs(Heartbeat.lagOnTarget(target))
                    : sample);
        } catch (SQLException | RuntimeException e) {
            close();
            return new Observation.Unreachable(at, e.getMessage());
        }
    }

    private void beat() throws SQLException {
        try {
            Heartbeat.beat(source);
        } catch (SQLException e) {
            if (!Heartbeat.isMissingTable(e)) {
                throw e;
            }
            if (!missingHeartbeatTableLogged) {
                missingHeartbeatTableLogged = true;
                log.warn("{}: cutover.heartbeat does not exist on {}; heartbeat lag stays empty until schema-service "
                        + "creates it", database, pair.source().describe());
            }
        }
    }

    private void connect() throws SQLException {
        if (source == null || source.isClosed()) {
            source = pair.source().connect();
        }
        if (target == null || target.isClosed()) {
            target = pair.target().connect();
        }
    }

    @Override
    public synchronized void close() {
        closeQuietly(source);
        closeQuietly(target);
        source = null;
        target = null;
    }

    private static void closeQuietly(Connection connection) {
        if (connection == null) {
            return;
        }
        try {
            connection.close();
        } catch (SQLException e) {
            log.debug("closing a broken connection failed", e);
        }
    }
}
