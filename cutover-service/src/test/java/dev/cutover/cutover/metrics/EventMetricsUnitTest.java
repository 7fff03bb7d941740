package dev.cutover.cutover.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import dev.cutover.events.CutoverCompleted;
import dev.cutover.events.CutoverRolledBack;
import dev.cutover.events.FullLoadCompleted;
import dev.cutover.events.FullLoadSized;
import dev.cutover.events.Metadata;
import dev.cutover.events.MetadataFactory;
import dev.cutover.events.StepStarted;
import dev.cutover.events.TableCopied;
import dev.cutover.events.TableSize;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

class EventMetricsUnitTest {

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final EventMetrics metrics = new EventMetrics(registry);
    private final MetadataFactory metadata = new MetadataFactory("cutover-service", Clock.systemUTC());

    @Test
    void aCompletedCutoverRecordsItsDowntimeEachStepAndItsOutcome() {
        metrics.record(CutoverCompleted.newBuilder().setMetadata(cutover()).setDowntimeMs(120)
                .setStepDurationsMs(Map.of("STOP_TRAFFIC", 40L, "OPEN_TARGET", 20L)).build());

        assertThat(registry.get(EventMetrics.DOWNTIME).tags("database", "app", "outcome", "completed").summary()
                .totalAmount()).isEqualTo(120);
        assertThat(registry.get(EventMetrics.STEP_DURATION).tag("step", "STOP_TRAFFIC").timer()
                .totalTime(TimeUnit.MILLISECONDS)).isEqualTo(40);
        assertThat(registry.get(EventMetrics.CUTOVERS).tags("database", "app", "outcome", "completed").counter()
                .count()).isEqualTo(1);
    }

    @Test
    void aRollbackCountsApartWithTheDowntimeItCaused() {
        metrics.record(CutoverRolledBack.newBuilder().setMetadata(cutover()).setReason("catch-up timed out")
                .setDowntimeMs(5000).build());

        assertThat(registry.get(EventMetrics.CUTOVERS).tags("outcome", "rolled_back").counter().count()).isEqualTo(1);
        assertThat(registry.get(EventMetrics.DOWNTIME).tags("outcome", "rolled_back").summary().max()).isEqualTo(5000);
    }

    @Test
    void copiedTablesAddUpAndTheLastFullLoadGivesTheRate() {
        metrics.record(TableCopied.newBuilder().setMetadata(migration()).setTable("public.a").setRows(10).setBytes(800)
                .setDurationMs(5).build());
        metrics.record(TableCopied.newBuilder().setMetadata(migration()).setTable("public.b").setRows(5).setBytes(200)
                .setDurationMs(5).build());
        metrics.record(FullLoadCompleted.newBuilder().setMetadata(migration()).setSlot("s").setTables(2).setRows(15)
                .setBytes(1000).setDurationMs(10).setMegabytesPerSecond(57.5).build());

        assertThat(registry.get(EventMetrics.COPIED_BYTES).tag("database", "app").counter().count()).isEqualTo(1000);
        assertThat(registry.get(EventMetrics.COPIED_ROWS).tag("database", "app").counter().count()).isEqualTo(15);
        assertThat(registry.get(EventMetrics.COPY_RATE).tag("database", "app").gauge().value()).isEqualTo(57.5);
    }

    @Test
    void aFullLoadsProgressIsWhatItCopiedOfWhatItMeasuredAsItBegan() {
        metrics.record(FullLoadSized.newBuilder().setMetadata(migration()).setTables(List.of(
                TableSize.newBuilder().setTable("public.a").setBytes(800).build(),
                TableSize.newBuilder().setTable("public.b").setBytes(1200).build())).build());
        metrics.record(TableCopied.newBuilder().setMetadata(migration()).setTable("public.a").setRows(10).setBytes(650)
                .setDurationMs(5).build());

        assertThat(registry.get(EventMetrics.LOAD_PLANNED_BYTES).gauge().value()).isEqualTo(2000);
        assertThat(registry.get(EventMetrics.LOAD_PLANNED_TABLES).gauge().value()).isEqualTo(2);
        assertThat(registry.get(EventMetrics.LOAD_DONE_BYTES).gauge().value()).isEqualTo(800);
        assertThat(registry.get(EventMetrics.LOAD_DONE_TABLES).gauge().value()).isEqualTo(1);
    }

    @Test
    void eventsThatMeasureNothingPassBy() {
        metrics.record(StepStarted.newBuilder().setMetadata(cutover()).setStep("FLIP_DNS").build());

        assertThat(registry.getMeters()).isEmpty();
    }

    private Metadata cutover() {
        return metadata.forCutover("app", "app-1");
    }

    private Metadata migration() {
        return metadata.forMigration("app", "app-migration-1");
    }
}
