package dev.cutover.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;

class ClientSettingsUnitTest {

    @Test
    void theTwoSettingsAreEnoughAndTheHoldIsFiveSeconds() {
        ClientSettings settings = new ClientSettings("kafka:9092", "app", null, null);

        assertThat(settings.holdTimeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(settings.kafka()).isEmpty();
    }

    @Test
    void withoutKafkaTheMessageSaysWhichSettingToSet() {
        assertThatThrownBy(() -> new ClientSettings(" ", "app", null, Map.of()))
                .hasMessageContaining("cutover.client.bootstrap-servers is not set");
    }

    @Test
    void withoutTheDatabasesNameTheMessageSaysWhereTheNameComesFrom() {
        assertThatThrownBy(() -> ClientSettings.of("kafka:9092", null))
                .hasMessageContaining("cutover.client.database is not set")
                .hasMessageContaining("cutover.databases.<name>");
    }

    @Test
    void aHoldOfNothingOrOfMoreThanAMinuteIsRefused() {
        ClientSettings settings = ClientSettings.of("kafka:9092", "app");

        assertThatThrownBy(() -> settings.withHoldTimeout(Duration.ZERO)).hasMessageContaining("cutover.client.hold-timeout");
        assertThatThrownBy(() -> settings.withHoldTimeout(Duration.ofMinutes(2))).hasMessageContaining("at most 1 minute");
    }
}
