package dev.cutover.sandbox.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import dev.cutover.cutover.metrics.EventMetrics;
import dev.cutover.events.CutoverCompleted;
import dev.cutover.events.CutoverRejected;
import dev.cutover.events.CutoverRolledBack;
import dev.cutover.events.FullLoadCompleted;
import dev.cutover.events.FullLoadSized;
import dev.cutover.events.MetadataFactory;
import dev.cutover.events.MigrationReady;
import dev.cutover.events.MigrationStopped;
import dev.cutover.events.TableCopied;
import dev.cutover.lag.monitor.LagGauges;
import dev.cutover.platform.StepFailedRecoverer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

/**
 * The Grafana dashboard and the Prometheus alert rules in compose/ name metrics as Prometheus scrapes them from the
 * services: a renamed meter must not leave an empty panel or an alert that never fires.
 */
class DashboardMetricsUnitTest {

    private static final Pattern METRIC = Pattern.compile("\\bcutover_[a-z_]+");

    @Test
    void everyMetricTheDashboardAndTheAlertRulesUseIsOneTheServicesExpose() throws IOException {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        new LagGauges(registry).expose("app");
        EventMetrics events = new EventMetrics(registry);
        MetadataFactory metadata = new MetadataFactory("cutover-service", Clock.systemUTC());
        events.record(CutoverCompleted.newBuilder().setMetadata(metadata.forCutover("app", "c1")).setDowntimeMs(90)
                .setStepDurationsMs(Map.of("STOP_TRAFFIC", 30L)).build());
        events.record(CutoverRolledBack.newBuilder().setMetadata(metadata.forCutover("app", "c2")).setReason("r")
                .setDowntimeMs(900).build());
        events.record(CutoverRejected.newBuilder().setMetadata(metadata.forCutover("app", "c3")).setOperator("ops")
                .setReason("r").build());
        events.record(MigrationReady.newBuilder().setMetadata(metadata.forMigration("app", "m1")).build());
        events.record(MigrationStopped.newBuilder().setMetadata(metadata.forMigration("app", "m2")).setFailedStep("FULL_LOAD").setReason("r")
                .setOperatorAction("a").build());
        events.record(TableCopied.newBuilder().setMetadata(metadata.forMigration("app", "m1")).setTable("public.a")
                .setRows(1).setBytes(8).setDurationMs(1).build());
        events.record(FullLoadSized.newBuilder().setMetadata(metadata.forMigration("app", "m1")).build());
        events.record(FullLoadCompleted.newBuilder().setMetadata(metadata.forMigration("app", "m1")).setSlot("s")
                .setTables(1).setRows(1).setBytes(8).setDurationMs(1).setMegabytesPerSecond(1).build());
        registry.counter(StepFailedRecoverer.STEP_FAILURES, "command", "FlipDns").increment();
        registry.counter(StepFailedRecoverer.DEAD_LETTERS, "topic", "cutover.events").increment();

        Set<String> exposed = names(registry.scrape());
        Set<String> used = names(Files.readString(Path.of("../compose/prometheus/alerts.yml"))
                + Files.readString(Path.of("../compose/grafana/dashboards/cutover.json")));

        assertThat(used).hasSizeGreaterThan(10);
        assertThat(exposed).containsAll(used);
    }

    private static Set<String> names(String text) {
        Set<String> names = new TreeSet<>();
        Matcher matcher = METRIC.matcher(text);
        while (matcher.find()) {
            names.add(matcher.group());
        }
        return names;
    }
}
