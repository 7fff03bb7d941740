package dev.cutover.lag.monitor;

import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

import io.micrometer.core.instrument.MeterRegistry;

import dev.cutover.events.Metadata;
import dev.cutover.lag.settings.DatabaseLag;
import dev.cutover.lag.settings.LagSettings;
import dev.cutover.lag.state.Observation;
import dev.cutover.lag.state.ReplicationState;
import dev.cutover.platform.MessagePublisher;
import dev.cutover.platform.database.DatabasesSettings;

/**
 * Reads every configured database each interval and publishes what it saw: {@code LagReported} always (and for a
 * database whose cutovers prepare a fallback, another one for the reverse replication while it exists),
 * {@code ReplicationStalled} and {@code ReplicationRecovered} when a stall begins or ends, {@code ReplicationSlotIdle}
 * once per episode in which the slot has no reader for longer than allowed.
 */
@Component
public class LagMonitor implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(LagMonitor.class);

    private final Map<String, DatabaseMonitor> monitors = new TreeMap<>();
    /** The reverse replication of the databases whose cutovers prepare a fallback, read alongside the forward one. */
    private final Map<String, DatabaseMonitor> reverse = new TreeMap<>();
    private final Map<String, ReplicationState> states = new ConcurrentHashMap<>();
    private final MessagePublisher publisher;
    private final LagGauges gauges;
    private ScheduledExecutorService scheduler;
    /** Databases configured for the services but not for this one: a cutover of one is rejected for want of reports. */
    private final Set<String> unobserved = new TreeSet<>();

    LagMonitor(LagSettings lagSettings, DatabasesSettings databases, MessagePublisher publisher, MeterRegistry registry,
            Clock clock) {
        this.publisher = publisher;
        this.gauges = new LagGauges(registry);
        lagSettings.databases().forEach((name, settings) -> {
            monitors.put(name, new DatabaseMonitor(name, databases.get(name), settings, clock));
            if (databases.get(name).fallback().prepare()) {
                reverse.put(name, DatabaseMonitor.reverse(name, databases.get(name), settings, clock));
            }
            gauges.expose(name);
        });
        unobserved.addAll(databases.databases().keySet());
        unobserved.removeAll(monitors.keySet());
    }

    @Override
    public synchronized void start() {
        scheduler = Executors.newScheduledThreadPool(Math.max(1, monitors.size()), Thread.ofPlatform()
                .name("lag-monitor-", 0).daemon(true).factory());
        monitors.values().forEach(monitor -> {
            long interval = monitor.settings().interval().toMillis();
            scheduler.scheduleAtFixedRate(() -> tick(monitor), 0, interval, TimeUnit.MILLISECONDS);
        });
        log.info("observing replication of {}", monitors.keySet());
        if (!unobserved.isEmpty()) {
            log.warn("not observing {}: configured under cutover.databases but not under cutover.lag.databases (set"
                    + " cutover.lag.databases.<name>.engine for each), so a cutover of them is rejected for want of"
                    + " lag reports", unobserved);
        }
    }

    @Override
    public synchronized void stop() {
        if (scheduler != null) {
            scheduler.shutdownNow();
            try {
                scheduler.awaitTermination(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            scheduler = null;
        }
        monitors.values().forEach(DatabaseMonitor::close);
        reverse.values().forEach(DatabaseMonitor::close);
    }

    @Override
    public synchronized boolean isRunning() {
        return scheduler != null;
    }

    /** The state last reported for a database; empty before its first reading. */
    public Optional<ReplicationState> state(String database) {
        return Optional.ofNullable(states.get(database));
    }

    /** After the fence every write on the source must be an application's, so our own heartbeat stops. */
    public void pauseHeartbeat(String database) {
        monitor(database).pauseHeartbeat();
    }

    public void resumeHeartbeat(String database) {
        monitor(database).resumeHeartbeat();
    }

    public boolean heartbeatOn(String database) {
        return monitor(database).heartbeatOn();
    }

    private DatabaseMonitor monitor(String database) {
        DatabaseMonitor monitor = monitors.get(database);
        if (monitor == null) {
            throw new IllegalArgumentException("database '" + database + "' is not observed here: add "
                    + "cutover.lag.databases." + database + ".engine; observed: " + monitors.keySet());
        }
        return monitor;
    }

    /**
     * Reads a database's replication now, off the schedule, and reports it as caused by {@code cause}: a cutover's
     * gate waits for a reading taken since its preflight began, which would otherwise come up to one interval later
     * (decision 116). Does nothing for a database not observed here, or before the monitor starts.
     */
    public void reportNow(String database, Metadata cause) {
        DatabaseMonitor monitor = monitors.get(database);
        ScheduledExecutorService running;
        synchronized (this) {
            running = scheduler;
        }
        if (monitor == null || running == null) {
            return;
        }
        running.execute(() -> report(monitor, publisher.observing(database, cause)));
    }

    private void tick(DatabaseMonitor monitor) {
        report(monitor, metadata(monitor));
        DatabaseMonitor back = reverse.get(monitor.database());
        if (back != null) {
            tickReverse(back);
        }
    }

    /** One reading, judged and published; one at a time per database, as each judgement builds on the one before. */
    private void report(DatabaseMonitor monitor, Metadata metadata) {
        synchronized (monitor) {
            reportOnce(monitor, metadata);
        }
    }

    private void reportOnce(DatabaseMonitor monitor, Metadata metadata) {
        // A failure must not end the schedule: the next interval tries again.
        try {
            DatabaseMonitor.Judged judged = monitor.observeOnce();
            ReplicationState state = judged.assessment().state();
            ReplicationState before = states.put(monitor.database(), state);
            gauges.record(monitor.database(), judged.observation(), state, judged.slotIdleFor());
            if (state != before && state == ReplicationState.DOWN
                    && judged.observation() instanceof Observation.Unreachable unreachable) {
                log.warn("{}: cannot read replication figures: {}", monitor.database(), unreachable.reason());
            }
            DatabaseLag settings = monitor.settings();
            publisher.publish(LagReports.lagReported(metadata, settings.engine(), judged.observation(), state,
                    LagReports.FORWARD));
            judged.assessment().change().ifPresent(change -> {
                log.warn("{}: {}", monitor.database(), change);
                publisher.publish(LagReports.change(metadata(monitor), change));
            });
            judged.slotIdle().ifPresent(idle -> {
                log.warn("{}: {}", monitor.database(), idle);
                publisher.publish(LagReports.slotIdle(metadata(monitor), idle));
            });
        } catch (RuntimeException e) {
            log.warn("{}: could not report lag: {}", monitor.database(), e.getMessage(), e);
        }
    }

    /**
     * Reports the reverse replication only while it exists (the source's subscription is there): before the tidy-up
     * starts it and after a fallback removes it there is nothing to report, not a replication that is down. Its
     * stalls show in its state; {@code ReplicationStalled} and {@code ReplicationRecovered} stay the forward
     * replication's, which their readers take them for. A reverse slot nobody reads is warned of as any slot is.
     */
    private void tickReverse(DatabaseMonitor monitor) {
        try {
            DatabaseMonitor.Judged judged = monitor.observeOnce();
            if (!(judged.observation() instanceof Observation.Read read) || read.sample().target().isEmpty()) {
                return;
            }
            publisher.publish(LagReports.lagReported(metadata(monitor), monitor.settings().engine(), judged.observation(),
                    judged.assessment().state(), LagReports.REVERSE));
            judged.slotIdle().ifPresent(idle -> {
                log.warn("{}: reverse replication: {}", monitor.database(), idle);
                publisher.publish(LagReports.slotIdle(metadata(monitor), idle));
            });
        } catch (RuntimeException e) {
            log.warn("{}: could not report the reverse replication's lag: {}", monitor.database(), e.getMessage(), e);
        }
    }

    private Metadata metadata(DatabaseMonitor monitor) {
        return publisher.originating(monitor.database(), null, null);
    }
}
