package dev.cutover.cutover.metrics;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;

import org.apache.avro.specific.SpecificRecord;

import dev.cutover.events.CutoverCompleted;
import dev.cutover.events.CutoverRejected;
import dev.cutover.events.CutoverRolledBack;
import dev.cutover.events.FullLoadCompleted;
import dev.cutover.events.MigrationReady;
import dev.cutover.events.MigrationStopped;
import dev.cutover.events.TableCopied;
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

    private final MeterRegistry registry;
    private final Map<String, AtomicReference<Double>> copyRates = new ConcurrentHashMap<>();

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

    private AtomicReference<Double> copyRate(String database) {
        return copyRates.computeIfAbsent(database, name -> {
            AtomicReference<Double> rate = new AtomicReference<>(0.0);
            Gauge.builder(COPY_RATE, rate, AtomicReference::get)
                    .description("The last full load's copy rate, in MB/s").tag("database", name).register(registry);
            return rate;
        });
    }
}
