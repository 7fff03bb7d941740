package dev.cutover.cutover.runner;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

import dev.cutover.cutover.saga.DatabaseName;
import dev.cutover.cutover.saga.ReplicationState;
import dev.cutover.events.LagReported;
import dev.cutover.platform.KafkaProbe;

class SagaRunnerUnitTest {

    @Test
    void aStartForADatabaseNobodyConfiguredSaysSoAndNamesTheConfiguredOnes() {
        String reason = SagaRunner.unconfigured(new DatabaseName("shop"), Set.of("orders", "billing"), Set.of("orders"));

        assertThat(reason).startsWith("database shop is not configured here; the configured databases are"
                + " [billing, orders] (with a DNS plan: [orders])").doesNotContain("has no DNS plan");
    }

    @Test
    void aLagReportKeepsTheStateLagMonitorNamed() {
        for (String state : List.of("STREAMING", "CATCHING_UP", "STALLED", "DOWN", "SOMETHING_NEWER")) {
            LagReported report = LagReported.newBuilder().setMetadata(KafkaProbe.metadata("orders", null, null))
                    .setEngine("NATIVE").setState(state).setSlotLagBytes(0L).build();

            assertThat(SagaCodec.lag(report).state()).isEqualTo(new ReplicationState(state));
        }
    }

    @Test
    void aStartForAConfiguredDatabaseWithoutADnsPlanSaysWhatToSet() {
        String reason = SagaRunner.unconfigured(new DatabaseName("billing"), Set.of("orders", "billing"),
                Set.of("orders"));

        assertThat(reason).isEqualTo("database billing has no DNS plan: set cutover.saga.dns.billing.record,"
                + " .source-address and .target-address");
    }
}
