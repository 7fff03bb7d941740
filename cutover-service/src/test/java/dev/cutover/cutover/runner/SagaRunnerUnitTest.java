package dev.cutover.cutover.runner;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;

import org.junit.jupiter.api.Test;

import dev.cutover.cutover.saga.DatabaseName;

class SagaRunnerUnitTest {

    @Test
    void aStartForADatabaseNobodyConfiguredSaysSoAndNamesTheConfiguredOnes() {
        String reason = SagaRunner.unconfigured(new DatabaseName("shop"), Set.of("orders", "billing"), Set.of("orders"));

        assertThat(reason).startsWith("database shop is not configured here; the configured databases are"
                + " [billing, orders] (with a DNS plan: [orders])").doesNotContain("has no DNS plan");
    }

    @Test
    void aStartForAConfiguredDatabaseWithoutADnsPlanSaysWhatToSet() {
        String reason = SagaRunner.unconfigured(new DatabaseName("billing"), Set.of("orders", "billing"),
                Set.of("orders"));

        assertThat(reason).isEqualTo("database billing has no DNS plan: set cutover.saga.dns.billing.record,"
                + " .source-address and .target-address");
    }
}
