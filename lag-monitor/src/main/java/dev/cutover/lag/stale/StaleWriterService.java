package dev.cutover.lag.stale;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Service;

import dev.cutover.events.Metadata;
import dev.cutover.events.StaleWriterDetected;
import dev.cutover.lag.handled.HandledMessages;
import dev.cutover.lag.monitor.LagMonitor;
import dev.cutover.lag.settings.DatabaseLag;
import dev.cutover.lag.settings.LagSettings;
import dev.cutover.platform.MessagePublisher;
import dev.cutover.platform.database.DatabasePair;
import dev.cutover.platform.database.DatabasesSettings;

/**
 * After a fence, watches the source for application writes that still commit there (clients on a stale DNS
 * answer, a role nobody fenced) and reports each burst as {@code StaleWriterDetected}. The heartbeat pauses
 * meanwhile, so every row written outside the {@code cutover} schema is someone else's. Watching ends when the
 * source legitimately serves again (it was restored) or after the configured time.
 */
@Service
public class StaleWriterService implements DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(StaleWriterService.class);

    private final DatabasesSettings databases;
    private final LagSettings lagSettings;
    private final LagMonitor monitor;
    private final MessagePublisher publisher;
    private final Clock clock;
    private final HandledMessages handled = new HandledMessages(1_000);
    private final Map<String, Watch> watches = new ConcurrentHashMap<>();
    private final ScheduledExecutorService scheduler = Executors.newScheduledThreadPool(1,
            Thread.ofPlatform().name("stale-writer-", 0).daemon(true).factory());

    StaleWriterService(DatabasesSettings databases, LagSettings lagSettings, LagMonitor monitor,
            MessagePublisher publisher, Clock clock) {
        this.databases = databases;
        this.lagSettings = lagSettings;
        this.monitor = monitor;
        this.publisher = publisher;
        this.clock = clock;
    }

    /** Starts watching the fenced source; a fence older than the watch time (a replayed event) is left alone. */
    public void fenced(Metadata fence, String fenceLsn) {
        if (handled.handled(String.valueOf(fence.getMessageId()))) {
            return;
        }
        String database = fence.getDatabase();
        DatabaseLag settings = lagSettings.get(database);
        DatabasePair pair = databases.get(database);
        handled.remember(String.valueOf(fence.getMessageId()));
        Instant until = fence.getOccurredAt().plus(settings.staleWriterWatch());
        if (!until.isAfter(clock.instant())) {
            return;
        }
        monitor.pauseHeartbeat(database);
        Watch watch = new Watch(fence, fenceLsn, pair, until);
        Watch previous = watches.put(database, watch);
        if (previous != null) {
            previous.stop();
        }
        long interval = settings.interval().toMillis();
        watch.future = scheduler.scheduleWithFixedDelay(watch::poll, 0, interval, TimeUnit.MILLISECONDS);
        log.info("{}: fenced; watching the source for stale writers until {}", database, until);
    }

    /** The source serves again (rolled back): its writes are legitimate, and the heartbeat resumes. */
    public void sourceServes(Metadata event) {
        String database = event.getDatabase();
        stopWatching(database, "the source serves again");
        if (lagSettings.databases().containsKey(database)) {
            monitor.resumeHeartbeat(database);
        }
    }

    /**
     * The source is about to follow the target through reverse replication (a fallback prepared by the cutover): the
     * rows it takes from then on are the target's, not a stale writer's. Called on {@code StartReverseReplication},
     * which lag-monitor reads as the replicator does, before the source subscribes, and again on its answer. The
     * heartbeat stays paused: nothing flows forward any more.
     */
    public void sourceFollowsTarget(Metadata message) {
        stopWatching(message.getDatabase(), "the source follows the target through reverse replication");
    }

    private void stopWatching(String database, String why) {
        Watch watch = watches.remove(database);
        if (watch != null) {
            watch.stop();
            log.info("{}: {}; stopped watching for stale writers", database, why);
        }
    }

    /** Whether the source of a database is being watched now. */
    public boolean watching(String database) {
        return watches.containsKey(database);
    }

    @Override
    public void destroy() {
        scheduler.shutdownNow();
        watches.values().forEach(Watch::closeSource);
    }

    private final class Watch {

        private final Metadata fence;
        private final String fenceLsn;
        private final DatabasePair pair;
        private final Instant until;
        private volatile ScheduledFuture<?> future;
        private Connection source;
        private WriteCounters baseline;
        private long ownSinceBaseline;

        Watch(Metadata fence, String fenceLsn, DatabasePair pair, Instant until) {
            this.fence = fence;
            this.fenceLsn = fenceLsn;
            this.pair = pair;
            this.until = until;
        }

        void poll() {
            if (clock.instant().isAfter(until)) {
                watches.remove(fence.getDatabase(), this);
                stop();
                return;
            }
            try {
                if (source == null || source.isClosed()) {
                    source = pair.source().connect();
                    baseline = null;
                }
                WriteCounters now = SourceWrites.counters(source);
                if (baseline == null) {
                    baseline = now;
                    return;
                }
                long own = ownSinceBaseline + 1;
                ownSinceBaseline = 0;
                WriteCounters before = baseline;
                baseline = now;
                if (StaleWrite.between(before, now, own, List.of()).isPresent()) {
                    List<Session> sessions = SourceWrites.sessions(source, pair.source().user());
                    ownSinceBaseline = 1;
                    StaleWrite.between(before, now, own, sessions).ifPresent(this::report);
                }
            } catch (SQLException | RuntimeException e) {
                log.warn("{}: cannot watch the source for stale writers: {}", fence.getDatabase(), e.getMessage());
                closeSource();
            }
        }

        private void report(StaleWrite write) {
            log.warn("{}: stale writer on the source after the fence: {}", fence.getDatabase(), write.detail());
            publisher.publish(StaleWriterDetected.newBuilder()
                    .setMetadata(publisher.answering(fence))
                    .setRole(write.role().orElse(null))
                    .setTransactions(write.transactions())
                    .setDetail("fence at " + fenceLsn + ": " + write.detail())
                    .build());
        }

        void stop() {
            ScheduledFuture<?> running = future;
            if (running != null) {
                running.cancel(false);
            }
            // On the watch's own thread, so a poll under way never finds its connection closed under it.
            if (!scheduler.isShutdown()) {
                scheduler.execute(this::closeSource);
            }
        }

        void closeSource() {
            if (source == null) {
                return;
            }
            try {
                source.close();
            } catch (SQLException e) {
                log.debug("closing the watch connection failed", e);
            }
            source = null;
        }

        @Override
        public String toString() {
            return "watch of " + fence.getDatabase() + " until " + until;
        }
    }
}
