package dev.cutover.cutover.runner;

import java.time.Clock;
import java.util.concurrent.ScheduledExecutorService;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import dev.cutover.cutover.saga.CutoverEvent;
import dev.cutover.cutover.saga.CutoverId;
import dev.cutover.platform.MessagePublisher;

@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(SagaSettings.class)
class SagaConfiguration {

    @Bean
    SagaRunner sagaRunner(MessagePublisher publisher, SagaSettings settings, Clock clock) {
        return new SagaRunner(publisher, settings, clock);
    }

    @Bean
    LogRecovery<CutoverId, CutoverEvent> sagaRecovery(SagaRunner saga, KafkaProperties kafka) {
        return new LogRecovery<>("cutover-saga", kafka, SagaCodec::sagaEvent,
                metadata -> new CutoverId(metadata.getCutoverId()), saga::recover);
    }

    @Bean
    SagaListener sagaListener(SagaRunner saga) {
        return new SagaListener(saga);
    }

    @Bean
    LagListener lagListener(SagaRunner saga) {
        return new LagListener(saga);
    }

    @Bean(destroyMethod = "shutdownNow")
    ScheduledExecutorService sagaClock(SagaRunner saga, SagaSettings settings) {
        return DeadlineTicker.start("saga-ticker", settings.tickInterval(), saga::tick);
    }
}
