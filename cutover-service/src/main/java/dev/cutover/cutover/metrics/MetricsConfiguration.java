package dev.cutover.cutover.metrics;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.config.ContainerPostProcessor;
import org.springframework.kafka.listener.AbstractMessageListenerContainer;

import io.micrometer.core.instrument.MeterRegistry;

@Configuration(proxyBeanMethods = false)
class MetricsConfiguration {

    @Bean
    EventMetrics eventMetrics(MeterRegistry registry) {
        return new EventMetrics(registry);
    }

    @Bean
    EventMetricsListener eventMetricsListener(EventMetrics metrics) {
        return new EventMetricsListener(metrics);
    }

    /** Named in {@link EventMetricsListener}'s {@code containerPostProcessor}: reading for metrics commits nothing. */
    @Bean
    ContainerPostProcessor<Object, Object, AbstractMessageListenerContainer<Object, Object>> metricsWithoutTransactions() {
        return container -> {
            container.getContainerProperties().setKafkaAwareTransactionManager(null);
            container.getContainerProperties().setTransactionManager(null);
        };
    }
}
