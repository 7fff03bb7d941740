package dev.cutover.cutover.runner;

import org.springframework.kafka.annotation.KafkaListener;

import dev.cutover.events.LagReported;
import dev.cutover.platform.PlatformAutoConfiguration;

/**
 * Lag reports for the sagas that wait on lag. Every instance reads every report (its own group,
 * from the newest), because lag is keyed by database, not by cutover, and only the latest matters;
 * the saga's loop decides it, for the cutovers this instance owns.
 */
class LagListener {

    private final SagaLoop saga;

    LagListener(SagaLoop saga) {
        this.saga = saga;
    }

    @KafkaListener(id = "cutover-saga-lag", topics = "replication.lag",
            groupId = "cutover-saga-lag-#{T(java.util.UUID).randomUUID()}",
            properties = "auto.offset.reset=latest", containerPostProcessor = PlatformAutoConfiguration.WITHOUT_TRANSACTIONS)
    void on(LagReported report) {
        saga.lagReported(report);
    }
}
