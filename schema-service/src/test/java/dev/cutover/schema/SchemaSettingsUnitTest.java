package dev.cutover.schema;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;

import org.junit.jupiter.api.Test;

class SchemaSettingsUnitTest {

    @Test
    void anUnsetWorkDirectoryLiesUnderTheTemporaryDirectory() {
        SchemaSettings settings = new SchemaSettings(null, 2, 2, Duration.ofMinutes(5), 0, Duration.ofMinutes(30), null, 100, Duration.ofSeconds(10), Duration.ofSeconds(10));

        assertThat(settings.workDirectory()).startsWithRaw(java.nio.file.Path.of(System.getProperty("java.io.tmpdir")));
    }

    @Test
    void impossibleValuesAreRefusedWithTheSettingToChange() {
        assertThatThrownBy(() -> new SchemaSettings(null, 0, 2, Duration.ofMinutes(5), 0, Duration.ofMinutes(30), null, 100, Duration.ofSeconds(10), Duration.ofSeconds(10)))
                .hasMessageContaining("cutover.schema.post-data-workers");
        assertThatThrownBy(() -> new SchemaSettings(null, 2, 0, Duration.ofMinutes(5), 0, Duration.ofMinutes(30), null, 100, Duration.ofSeconds(10), Duration.ofSeconds(10)))
                .hasMessageContaining("cutover.schema.post-data-tables-at-once");
        assertThatThrownBy(() -> new SchemaSettings(null, 2, 2, Duration.ofMinutes(5), -1, Duration.ofMinutes(30), null, 100, Duration.ofSeconds(10), Duration.ofSeconds(10)))
                .hasMessageContaining("cutover.schema.sequence-margin");
        assertThatThrownBy(() -> new SchemaSettings(null, 2, 2, Duration.ofMinutes(5), 0, Duration.ZERO, null, 100, Duration.ofSeconds(10), Duration.ofSeconds(10)))
                .hasMessageContaining("cutover.schema.tool-timeout");
        assertThatThrownBy(() -> new SchemaSettings(null, 2, 2, Duration.ofMinutes(5), 0, Duration.ofMinutes(30), null, 100,
                Duration.ofSeconds(-1), Duration.ofSeconds(10)))
                .hasMessageContaining("cutover.schema.fence-wait");
        assertThatThrownBy(() -> new SchemaSettings(null, 2, 2, Duration.ofMinutes(5), 0, Duration.ofMinutes(30), null, 100,
                Duration.ofSeconds(10), Duration.ZERO))
                .hasMessageContaining("cutover.schema.canary-round-trip");
    }
}
