package dev.cutover.lag.settings;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.springframework.util.unit.DataSize;

import dev.cutover.lag.engine.EngineKind;
import dev.cutover.lag.engine.ReplicationEngine;
import dev.cutover.platform.database.Replication;

class DatabaseLagUnitTest {

    @Test
    void nativeReplicationWithoutNamesOfItsOwnReadsTheReplicationEveryServiceShares() {
        Replication adopted = new Replication("team_pub", "team_slot", "team_sub", true).resolve("app");

        ReplicationEngine engine = nativeLag(null, null).replicationEngine(adopted);

        assertThat(engine).isEqualTo(new ReplicationEngine.Native("team_sub", "team_slot"));
    }

    @Test
    void theMigrationsOwnNamesAreTheDefault() {
        ReplicationEngine engine = nativeLag(null, null).replicationEngine(Replication.unset().resolve("app"));

        assertThat(engine).isEqualTo(new ReplicationEngine.Native("cutover_sub_app", "cutover_slot_app"));
    }

    @Test
    void theLagMonitorsOwnSubscriptionStillOverridesWithItsSlotNamedAfterItAsBefore() {
        Replication shared = Replication.unset().resolve("app");

        assertThat(nativeLag("own_sub", null).replicationEngine(shared))
                .isEqualTo(new ReplicationEngine.Native("own_sub", "own_sub"));
        assertThat(nativeLag(null, "own_slot").replicationEngine(shared))
                .isEqualTo(new ReplicationEngine.Native("cutover_sub_app", "own_slot"));
    }

    @Test
    void aSlotIdleWarningWithinOneIntervalIsRefusedAtStartUp() {
        assertThatThrownBy(() -> new DatabaseLag(EngineKind.NATIVE, Duration.ofSeconds(1), Duration.ofSeconds(10),
                DataSize.ofMegabytes(1), Duration.ofSeconds(5), true, null, null, "public", null, Duration.ofHours(1),
                Duration.ofSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("slot-idle-warning (PT1S) must exceed interval (PT1S)");
    }

    private static DatabaseLag nativeLag(String subscription, String slot) {
        return new DatabaseLag(EngineKind.NATIVE, Duration.ofSeconds(1), Duration.ofSeconds(10), DataSize.ofMegabytes(1),
                Duration.ofSeconds(5), true, subscription, slot, "public", null, Duration.ofHours(1), Duration.ofMinutes(10));
    }
}
