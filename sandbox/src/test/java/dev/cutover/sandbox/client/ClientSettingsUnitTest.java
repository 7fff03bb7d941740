package dev.cutover.sandbox.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class ClientSettingsUnitTest {

    private final ClientSettings defaults = ClientSettings.defaults("db.cutover.test", 5432, "app", "app", "secret");

    @Test
    void theDefaultsAreTheSeedsApplicationConnectingByName() {
        assertThat(defaults.jdbcUrl()).isEqualTo("jdbc:postgresql://db.cutover.test:5432/app");
        assertThat(defaults.workers()).isEqualTo(8);
        assertThat(defaults.poolSize()).isEqualTo(8);
        assertThat(defaults.transactionsPerSecond()).isEqualTo(1_000);
        assertThat(defaults.connectionTimeout()).isEqualTo(Duration.ofMillis(250));
    }

    @Test
    void anAddressInsteadOfADnsNameIsRefusedBecauseAFlipCouldNotMoveIt() {
        assertThatThrownBy(() -> ClientSettings.defaults("127.0.0.2", 5432, "app", "app", "secret"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("must be a DNS name");
    }

    @Test
    void aPoolSmallerThanTheWorkersIsRefused() {
        assertThatThrownBy(() -> new ClientSettings("db.cutover.test", 5432, "app", "app", "secret", 8, 4, 1_000, 0.5,
                Duration.ofMillis(250), Duration.ofMillis(10), "127.0.0.2", "127.0.0.3", null, Duration.ofSeconds(1), "notifications"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("poolSize (4) must be at least workers (8)");
    }

    @Test
    void aDnsCacheTtlInFractionsOfASecondIsRefusedBecauseTheJvmCountsWholeSeconds() {
        assertThatThrownBy(() -> defaults.withDns(null, Duration.ofMillis(500)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("whole seconds");
    }

    @Test
    void aConnectionTimeoutBelowHikarisMinimumIsRefused() {
        assertThatThrownBy(() -> defaults.withConnectionTimeout(Duration.ofMillis(100)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("at least 250 ms");
    }

    @Test
    void anUpdateAlwaysMovesARowToAnotherStatusSoThatALostUpdateIsVisible() {
        for (NotificationStatus status : NotificationStatus.values()) {
            assertThat(status.next()).isNotEqualTo(status).isNotEqualTo(NotificationStatus.CREATED);
        }
    }
}
