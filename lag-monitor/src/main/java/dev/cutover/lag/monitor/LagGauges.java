package dev.cutover.lag.monitor;

import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

import dev.cutover.lag.state.Observation;
import dev.cutover.lag.state.ReplicationState;

/** The latest figures per database as gauges, for dashboards and alerts that scrape /actuator/prometheus. */
public final class LagGauges {

    private final MeterRegistry registry;
    private final ConcurrentMap<String, Latest> latest = new ConcurrentHashMap<>();

    public LagGauges(MeterRegistry registry) {
        this.registry = registry;
    }

    /** Registers the database's gauges before its first reading, as gaps: a dashboard finds every series at once. */
    public void expose(String database) {
        latest.computeIfAbsent(database, this::register);
    }

    /** Figures of the newest reading; NaN where the reading had none, so a graph shows a gap, not a zero. */
    private static final class Latest {
        volatile double lagBytes = Double.NaN;
        volatile double retainedBytes = Double.NaN;
        volatile double heartbeatMs = Double.NaN;
        volatile double applyMs = Double.NaN;
        volatile double stalled = Double.NaN;
        volatile double down = Double.NaN;
        volatile double slotIdleSeconds = Double.NaN;
    }

    void record(String database, Observation observation, ReplicationState state, Duration slotIdleFor) {
        Latest figures = latest.computeIfAbsent(database, this::register);
        switch (observation) {
            case Observation.Unreachable unreachable -> {
                figures.slotIdleSeconds = Double.NaN;
                figures.lagBytes = Double.NaN;
                figures.retainedBytes = Double.NaN;
                figures.heartbeatMs = Double.NaN;
                figures.applyMs = Double.NaN;
            }
            case Observation.Read read -> {
                figures.slotIdleSeconds = slotIdleFor.toMillis() / 1000.0;
                figures.lagBytes = read.sample().slotLagBytes().map(Long::doubleValue).orElse(Double.NaN);
                figures.retainedBytes = read.sample().retainedWalBytes().map(Long::doubleValue).orElse(Double.NaN);
                figures.heartbeatMs = read.sample().heartbeatLagMs().map(Long::doubleValue).orElse(Double.NaN);
                figures.applyMs = read.sample().applyLagMs().map(Long::doubleValue).orElse(Double.NaN);
            }
        }
        figures.stalled = state == ReplicationState.STALLED ? 1 : 0;
        figures.down = state == ReplicationState.DOWN ? 1 : 0;
    }

    private Latest register(String database) {
        Latest figures = new Latest();
        Gauge.builder("cutover.replication.lag.bytes", figures, f -> f.lagBytes).tag("database", database)
                .description("WAL bytes between the source's position and the slot's confirmed one").register(registry);
        Gauge.builder("cutover.replication.retained.bytes", figures, f -> f.retainedBytes).tag("database", database)
                .description("WAL bytes the source keeps for the slot").register(registry);
        Gauge.builder("cutover.replication.heartbeat.ms", figures, f -> f.heartbeatMs).tag("database", database)
                .description("Age of the newest heartbeat row on the target").register(registry);
        Gauge.builder("cutover.replication.apply.ms", figures, f -> f.applyMs).tag("database", database)
                .description("Apply lag as the engine reports it (DMS)").register(registry);
        Gauge.builder("cutover.replication.stalled", figures, f -> f.stalled).tag("database", database)
                .description("1 while replication is stalled").register(registry);
        Gauge.builder("cutover.replication.down", figures, f -> f.down).tag("database", database)
                .description("1 while replication cannot be observed or does not exist").register(registry);
        Gauge.builder("cutover.replication.slot.idle.seconds", figures, f -> f.slotIdleSeconds)
                .tag("database", database)
                .description("How long the slot has had no reader while the source keeps WAL for it; 0 while read")
                .register(registry);
        return figures;
    }
}
