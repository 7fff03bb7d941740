package dev.cutover.cutover.metrics;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;

import org.apache.avro.specific.SpecificRecord;

import dev.cutover.events.CutoverCompleted;
import dev.cutover.events.CutoverRejected;
import dev.cutover.events.CutoverRolledBack;
import dev.cutover.events.FullLoadCompleted;
import dev.cutover.events.FullLoadSized;
import dev.cutover.events.MigrationReady;
import dev.cutover.events.MigrationStopped;
import dev.cutover.events.TableCopied;
import dev.cutover.events.TableSize;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

/**
 * Prometheus figures read off the event log, as a dashboard reads it: what each cutover cost (downtime, each step's
 * duration), how they ended, and how fast migrations copy. Names and tags are listed in docs/operations.md, and the
 * Grafana dashboard and alert rules in {@code compose/} use them.
 */
public final class EventMetrics {

    /** Client downtime of every finished cutover, by database and outcome. */
    public static final String DOWNTIME = "cutover.cutover.downtime";
    /** Each step of a completed cutover, by step. */
    public static final String STEP_DURATION = "cutover.cutover.step.duration";
    /** Cutovers by database and outcome: completed, rolled_back, rejected. */
    public static final String CUTOVERS = "cutover.cutovers";
    /** Migrations by database and outcome: ready, stopped. */
    public static final String MIGRATIONS = "cutover.migrations";
    /** Bytes and rows the full loads copied, by database. */
    public static final String COPIED_BYTES = "cutover.migration.copied.bytes";
    public static final String COPIED_ROWS = "cutover.migration.copied.rows";
    /** The last full load's rate of a database, MB/s. */
    public static final String COPY_RATE = "cutover.migration.copy.rate";
    /** What the running (or last) full load of a database copies in all, as measured when it began. */
    public static final String LOAD_PLANNED_BYTES = "cutover.migration.load.planned.bytes";
    public static final String LOAD_PLANNED_TABLES = "cutover.migration.load.planned.tables";
    /** What that load has copied so far: with the planned figures, progress and the time left. */
    public static final String LOAD_DONE_BYTES = "cutover.migration.load.done.bytes";
    public static final String LOAD_DONE_TABLES = "cutover.migration.load.done.tables";

    private final MeterRegistry registry;
    private final Map<String, AtomicReference<Double>> copyRates = new ConcurrentHashMap<>();
    private final Map<String, Load> loads = new ConcurrentHashMap<>();

    /** The figures of a database's current full load, as gauges read them. */
    private static final class Load {
        /** Each table's size as measured when the load began: done and planned count in the same unit. */
        volatile Map<String, Long> sizes = Map.of();
        volatile double plannedBytes;
        volatile double plannedTables;
        volatile double doneBytes;
        volatile double doneTables;
    }

    public EventMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    /** Counts what {@code event} says; events that say nothing measured pass by. */
    public void record(SpecificRecord event) {
        switch (event) {
            case CutoverCompleted completed -> {
                String database = completed.getMetadata().getDatabase();
                downtime(database, "completed", completed.getDowntimeMs());
                completed.getStepDurationsMs().forEach((step, ms) -> Timer.builder(STEP_DURATION)
                        .description("How long each step of a completed cutover took").tag("step", step.toString())
                        .publishPercentileHistogram().register(registry).record(Duration.ofMillis(ms)));
                cutovers(database, "completed");
            }
            case CutoverRolledBack rolledBack -> {
                String database = rolledBack.getMetadata().getDatabase();
                downtime(database, "rolled_back", rolledBack.getDowntimeMs());
                cutovers(database, "rolled_back");
            }
            case CutoverRejected rejected -> cutovers(rejected.getMetadata().getDatabase(), "rejected");
            case MigrationReady ready -> migrations(ready.getMetadata().getDatabase(), "ready");
            case MigrationStopped stopped -> migrations(stopped.getMetadata().getDatabase(), "stopped");
            case TableCopied copied -> {
                String database = copied.getMetadata().getDatabase();
                registry.counter(COPIED_BYTES, "database", database).increment(copied.getBytes());
                registry.counter(COPIED_ROWS, "database", database).increment(copied.getRows());
                Load load = load(database);
                // The table's share as measured (pg_table_size), not the COPY stream's bytes, which count otherwise.
                load.doneBytes += load.sizes.getOrDefault(copied.getTable(), copied.getBytes());
                load.doneTables += 1;
            }
            case FullLoadSized sized -> {
                Load load = load(sized.getMetadata().getDatabase());
                load.sizes = sized.getTables().stream()
                        .collect(Collectors.toMap(TableSize::getTable, TableSize::getBytes, Long::sum));
                load.plannedBytes = load.sizes.values().stream().mapToLong(Long::longValue).sum();
                load.plannedTables = sized.getTables().size();
                load.doneBytes = 0;
                load.doneTables = 0;
            }
            case FullLoadCompleted load -> copyRate(load.getMetadata().getDatabase()).set(load.getMegabytesPerSecond());
            default -> {
            }
        }
    }

    private void downtime(String database, String outcome, long ms) {
        DistributionSummary.builder(DOWNTIME).baseUnit("milliseconds")
                .description("Client downtime of a finished cutover, from the fence to the target opening")
                .tags("database", database, "outcome", outcome).publishPercentileHistogram()
                .register(registry).record(ms);
    }

    private void cutovers(String database, String outcome) {
        registry.counter(CUTOVERS, "database", database, "outcome", outcome).increment();
    }

    private void migrations(String database, String outcome) {
        registry.counter(MIGRATIONS, "database", database, "outcome", outcome).increment();
    }

    private Load load(String database) {
        return loads.computeIfAbsent(database, name -> {
            Load load = new Load();
            Gauge.builder(LOAD_PLANNED_BYTES, load, l -> l.plannedBytes).tag("database", name)
                    .description("Bytes the current full load copies in all (the tables' size on the source)")
                    .register(registry);
            Gauge.builder(LOAD_PLANNED_TABLES, load, l -> l.plannedTables).tag("database", name)
                    .description("Tables the current full load copies").register(registry);
            Gauge.builder(LOAD_DONE_BYTES, load, l -> l.doneBytes).tag("database", name)
                    .description("Bytes the current full load has copied so far").register(registry);
            Gauge.builder(LOAD_DONE_TABLES, load, l -> l.doneTables).tag("database", name)
                    .description("Tables the current full load has copied so far").register(registry);
            return load;
        });
    }

    private AtomicReference<Double> copyRate(String database) {
        return copyRates.computeIfAbsent(database, name -> {
            AtomicReference<Double> rate = new AtomicReference<>(0.0);
            Gauge.builder(COPY_RATE, rate, AtomicReference::get)
                    .description("The last full load's copy rate, in MB/s").tag("database", name).register(registry);
            return rate;
        });
    }
}
