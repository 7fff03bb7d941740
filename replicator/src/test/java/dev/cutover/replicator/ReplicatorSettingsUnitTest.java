package dev.cutover.replicator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.springframework.util.unit.DataSize;

import dev.cutover.replicator.verify.VerificationScope;
import dev.cutover.replicator.verify.VerifyMode;

class ReplicatorSettingsUnitTest {

    @Test
    void noWorkersIsRefusedNamingTheProperty() {
        assertThatThrownBy(() -> new ReplicatorSettings(0, DataSize.ofMegabytes(256), Duration.ofSeconds(60),
                Duration.ofSeconds(10), 100_000, Duration.ofHours(24), VerifyMode.FULL, 0.05))
                .hasMessageContaining("cutover.replicator.workers");
    }

    @Test
    void aZeroSlotTimeoutIsRefusedWithAnExample() {
        assertThatThrownBy(() -> new ReplicatorSettings(4, DataSize.ofMegabytes(256), Duration.ZERO,
                Duration.ofSeconds(10), 100_000, Duration.ofHours(24), VerifyMode.FULL, 0.05))
                .hasMessageContaining("cutover.replicator.slot-creation-timeout").hasMessageContaining("60s");
    }

    @Test
    void aZeroTableSyncTimeoutIsRefusedWithAnExample() {
        assertThatThrownBy(() -> new ReplicatorSettings(4, DataSize.ofMegabytes(256), Duration.ofSeconds(60),
                Duration.ofSeconds(10), 100_000, Duration.ZERO, VerifyMode.FULL, 0.05))
                .hasMessageContaining("cutover.replicator.table-sync-timeout").hasMessageContaining("24h");
    }

    @Test
    void loadOptionsCarryTheThresholdInBytes() {
        ReplicatorSettings settings = new ReplicatorSettings(3, DataSize.ofMegabytes(1), Duration.ofSeconds(5),
                Duration.ofSeconds(10), 10, Duration.ofHours(24), VerifyMode.FULL, 0.05);

        assertThat(settings.loadOptions().splitThreshold()).isEqualTo(1024 * 1024);
        assertThat(settings.loadOptions().workers()).isEqualTo(3);
    }

    @Test
    void aSampleFractionAboveOneIsRefusedWithAnExample() {
        assertThatThrownBy(() -> new ReplicatorSettings(4, DataSize.ofMegabytes(256), Duration.ofSeconds(60),
                Duration.ofSeconds(10), 100_000, Duration.ofHours(24), VerifyMode.SAMPLED, 5))
                .hasMessageContaining("cutover.replicator.verify-sample-fraction").hasMessageContaining("0.05");
    }

    @Test
    void aVerificationThatDoesNotSayIsFullUnlessTheSettingAsksForTheSample() {
        ReplicatorSettings full = new ReplicatorSettings(4, DataSize.ofMegabytes(256), Duration.ofSeconds(60),
                Duration.ofSeconds(10), 100_000, Duration.ofHours(24), VerifyMode.FULL, 0.1);
        ReplicatorSettings sampled = new ReplicatorSettings(4, DataSize.ofMegabytes(256), Duration.ofSeconds(60),
                Duration.ofSeconds(10), 100_000, Duration.ofHours(24), VerifyMode.SAMPLED, 0.1);

        assertThat(full.verificationScope(null, 7)).isEqualTo(new VerificationScope.Full());
        assertThat(full.verificationScope(VerifyMode.SAMPLED, 7)).isEqualTo(new VerificationScope.Sampled(0.1, 7));
        assertThat(sampled.verificationScope(null, 7)).isEqualTo(new VerificationScope.Sampled(0.1, 7));
        assertThat(sampled.verificationScope(VerifyMode.FULL, 7)).isEqualTo(new VerificationScope.Full());
    }
}
