package dev.cutover.cutover.runner;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import org.junit.jupiter.api.Test;

import dev.cutover.cutover.saga.Cutover;
import dev.cutover.cutover.saga.CutoverDecider;
import dev.cutover.cutover.saga.CutoverEvent;
import dev.cutover.cutover.saga.CutoverId;
import dev.cutover.cutover.saga.CutoverMessage;
import dev.cutover.cutover.saga.DatabaseName;
import dev.cutover.cutover.saga.DnsPlan;
import dev.cutover.cutover.saga.Operator;
import dev.cutover.cutover.saga.Progress;
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

    @Test
    void eachConfiguredDatabaseWithoutADnsPlanIsNamedAtStartUpWithWhatToSet() {
        assertThat(SagaRunner.withoutDnsPlan(Set.of("orders", "billing", "audit"), Set.of("orders"))).containsExactly(
                "database audit has no DNS plan: its migration runs, but a cutover of it is refused until"
                        + " cutover.saga.dns.audit.record, .source-address and .target-address are set",
                "database billing has no DNS plan: its migration runs, but a cutover of it is refused until"
                        + " cutover.saga.dns.billing.record, .source-address and .target-address are set");
        assertThat(SagaRunner.withoutDnsPlan(Set.of("orders"), Set.of("orders"))).isEmpty();
    }

    @Test
    void aLagReportObservedSinceThePreflightBeganOpensTheGateAsTheChecksPass() {
        Instant began = Instant.parse("2026-12-06T10:00:00Z");
        Cutover checking = new Cutover.Preflight(progress(began), false);
        Cutover passed = new Cutover.Preflight(progress(began), true);

        assertThat(SagaRunner.lagHeardDuringPreflight(checking, passed, Optional.of(lag(began.plusMillis(300)))))
                .isPresent();
        assertThat(SagaRunner.lagHeardDuringPreflight(checking, passed, Optional.of(lag(began.minusMillis(1)))))
                .as("observed before this cutover began: the next report decides").isEmpty();
        assertThat(SagaRunner.lagHeardDuringPreflight(passed, passed, Optional.of(lag(began.plusMillis(300)))))
                .as("the gate already waits for reports as they come").isEmpty();
        assertThat(SagaRunner.lagHeardDuringPreflight(checking, checking, Optional.of(lag(began.plusMillis(300)))))
                .isEmpty();
        assertThat(SagaRunner.lagHeardDuringPreflight(checking, passed, Optional.empty())).isEmpty();
    }

    private static Progress progress(Instant began) {
        CutoverId id = new CutoverId("orders-1");
        DatabaseName database = new DatabaseName("orders");
        Cutover started = CutoverDecider.evolve(new Cutover.NotStarted(), new CutoverEvent.CutoverStarted(id, database,
                new Operator("alice"), false, "test", new DnsPlan("db.orders.example.", "127.0.0.2", "127.0.0.3"),
                began));
        return ((Cutover.Preflight) started).progress();
    }

    private static CutoverMessage.LagReported lag(Instant observedAt) {
        return new CutoverMessage.LagReported(0, Duration.ofMillis(40), new ReplicationState("STREAMING"), observedAt);
    }
}
