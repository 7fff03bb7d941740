package dev.cutover.schema;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.springframework.util.unit.DataSize;

import dev.cutover.schema.section.BuildMemory;

class SchemaSettingsUnitTest {

    private static final DataSize GB = DataSize.ofGigabytes(1);

    private static SchemaSettings withMemory(DataSize maintenanceWorkMem) {
        return new SchemaSettings(null, 2, 2, Duration.ofMinutes(5), 0, Duration.ofMinutes(30), null, 100,
                Duration.ofSeconds(10), Duration.ofSeconds(10), maintenanceWorkMem);
    }

    @Test
    void anUnsetWorkDirectoryLiesUnderTheTemporaryDirectory() {
        SchemaSettings settings = new SchemaSettings(null, 2, 2, Duration.ofMinutes(5), 0, Duration.ofMinutes(30), null, 100, Duration.ofSeconds(10), Duration.ofSeconds(10), GB);

        assertThat(settings.workDirectory()).startsWithRaw(java.nio.file.Path.of(System.getProperty("java.io.tmpdir")));
    }

    @Test
    void impossibleValuesAreRefusedWithTheSettingToChange() {
        assertThatThrownBy(() -> new SchemaSettings(null, 0, 2, Duration.ofMinutes(5), 0, Duration.ofMinutes(30), null, 100, Duration.ofSeconds(10), Duration.ofSeconds(10), GB))
                .hasMessageContaining("cutover.schema.post-data-workers");
        assertThatThrownBy(() -> new SchemaSettings(null, 2, 0, Duration.ofMinutes(5), 0, Duration.ofMinutes(30), null, 100, Duration.ofSeconds(10), Duration.ofSeconds(10), GB))
                .hasMessageContaining("cutover.schema.post-data-tables-at-once");
        assertThatThrownBy(() -> new SchemaSettings(null, 2, 2, Duration.ofMinutes(5), -1, Duration.ofMinutes(30), null, 100, Duration.ofSeconds(10), Duration.ofSeconds(10), GB))
                .hasMessageContaining("cutover.schema.sequence-margin");
        assertThatThrownBy(() -> new SchemaSettings(null, 2, 2, Duration.ofMinutes(5), 0, Duration.ZERO, null, 100, Duration.ofSeconds(10), Duration.ofSeconds(10), GB))
                .hasMessageContaining("cutover.schema.tool-timeout");
        assertThatThrownBy(() -> new SchemaSettings(null, 2, 2, Duration.ofMinutes(5), 0, Duration.ofMinutes(30), null, 100,
                Duration.ofSeconds(-1), Duration.ofSeconds(10), GB))
                .hasMessageContaining("cutover.schema.fence-wait");
        assertThatThrownBy(() -> new SchemaSettings(null, 2, 2, Duration.ofMinutes(5), 0, Duration.ofMinutes(30), null, 100,
                Duration.ofSeconds(10), Duration.ZERO, GB))
                .hasMessageContaining("cutover.schema.canary-round-trip");
    }

    @Test
    void postDataConnectionsSortInTheConfiguredMemoryOrInTheServersOwnForZero() {
        assertThat(withMemory(GB).buildMemory()).isEqualTo(new BuildMemory(1024 * 1024));
        assertThat(withMemory(DataSize.ofBytes(0)).buildMemory()).isEqualTo(BuildMemory.SERVER_SETTINGS);
    }

    @Test
    void postDataMemoryBelowWhatPostgresqlAcceptsIsRefusedWithTheSettingToChange() {
        assertThatThrownBy(() -> withMemory(DataSize.ofKilobytes(512)))
                .hasMessageContaining("cutover.schema.post-data-maintenance-work-mem")
                .hasMessageContaining("1MB");
        assertThatThrownBy(() -> withMemory(null))
                .hasMessageContaining("cutover.schema.post-data-maintenance-work-mem");
    }
}
