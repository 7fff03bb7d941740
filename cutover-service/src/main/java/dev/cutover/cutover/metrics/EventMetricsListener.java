package dev.cutover.cutover.metrics;

import org.apache.avro.specific.SpecificRecord;
import org.springframework.kafka.annotation.KafkaListener;

import dev.cutover.platform.PlatformAutoConfiguration;

/**
 * Every instance reads every event (a group of its own, from the newest) for its metrics: Prometheus scrapes each
 * instance, and a figure must not depend on which one owns a cutover. Nothing is decided here, so no transaction.
 */
class EventMetricsListener {

    private final EventMetrics metrics;

    EventMetricsListener(EventMetrics metrics) {
        this.metrics = metrics;
    }

    @KafkaListener(id = "cutover-metrics", topics = "cutover.events",
            groupId = "cutover-metrics-#{T(java.util.UUID).randomUUID()}",
            properties = "auto.offset.reset=latest", containerPostProcessor = PlatformAutoConfiguration.WITHOUT_TRANSACTIONS)
    void on(Object event) {
        if (event instanceof SpecificRecord record) {
            metrics.record(record);
        }
    }
}
