package dev.cutover.cutover.runner;

import java.time.Clock;
import java.util.concurrent.ScheduledExecutorService;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.context.ApplicationListener;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.config.ContainerPostProcessor;
import org.springframework.kafka.core.ProducerFactory;
import org.springframework.kafka.listener.AbstractMessageListenerContainer;
import org.springframework.kafka.listener.DefaultAfterRollbackProcessor;

import dev.cutover.cutover.saga.Cutover;
import dev.cutover.cutover.saga.CutoverDecider;
import dev.cutover.cutover.saga.CutoverEvent;
import dev.cutover.cutover.saga.CutoverId;
import dev.cutover.platform.MessagePublisher;
import dev.cutover.platform.StepFailedRecoverer;
import dev.cutover.platform.database.DatabasesSettings;

@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(SagaSettings.class)
class SagaConfiguration {

    private static final Logger log = LoggerFactory.getLogger(SagaConfiguration.class);

    private static final String GROUP = "cutover-saga";

    @Bean
    SagaProjection<CutoverId, Cutover, CutoverEvent> cutoverProjection(KafkaProperties kafka) {
        return new SagaProjection<>(GROUP, kafka, new SagaProjection.Kind<CutoverId, Cutover, CutoverEvent>(
                SagaCodec::sagaEvent, metadata -> new CutoverId(metadata.getCutoverId()), new Cutover.NotStarted(),
                CutoverDecider::evolve, Cutover::isActive));
    }

    /** The ops API's view: every cutover, whichever instance owns it. */
    @Bean
    CutoverQueries cutoverQueries(SagaProjection<CutoverId, Cutover, CutoverEvent> cutoverProjection) {
        return cutoverProjection::state;
    }

    @Bean
    PartitionWriters cutoverWriters(KafkaProperties kafka) {
        return new PartitionWriters(GROUP, kafka);
    }

    @Bean
    SagaRunner sagaRunner(MessagePublisher publisher, PartitionWriters cutoverWriters,
            SagaProjection<CutoverId, Cutover, CutoverEvent> cutoverProjection, SagaSettings settings,
            DatabasesSettings databases, Clock clock) {
        return new SagaRunner(publisher, cutoverWriters, cutoverProjection, settings, databases.databases().keySet(),
                clock);
    }

    /** Applied to the listener's container by {@link #cutoverSagaContainer}. */
    @Bean
    SagaPartitions cutoverSagaPartitions(KafkaProperties kafka,
            SagaProjection<CutoverId, Cutover, CutoverEvent> cutoverProjection, PartitionWriters cutoverWriters,
            SagaRunner saga) {
        return new SagaPartitions(GROUP, kafka, cutoverProjection, cutoverWriters, saga);
    }

    /**
     * Named in {@link SagaListener}'s {@code containerPostProcessor}: the saga's partitions, only the messages it acts
     * on (each decision comes back to the saga as a poll of its own messages, which would otherwise commit an empty
     * transaction while the answers the saga waits for queue behind it), and how each poll ended, with its own
     * transactions and error handling to learn it ({@link SagaPolls}).
     */
    @Bean
    ContainerPostProcessor<Object, Object, AbstractMessageListenerContainer<Object, Object>> cutoverSagaContainer(
            SagaPartitions cutoverSagaPartitions, SagaPolls polls,
            DefaultAfterRollbackProcessor<Object, Object> cutoverAfterRollbackProcessor) {
        return container -> {
            cutoverSagaPartitions.postProcess(container);
            container.setBatchInterceptor(polls);
            @SuppressWarnings("unchecked")
            var producers = (ProducerFactory<Object, Object>) container.getContainerProperties()
                    .getKafkaAwareTransactionManager().getProducerFactory();
            container.getContainerProperties().setKafkaAwareTransactionManager(polls.transactions(producers));
            container.setCommonErrorHandler(polls.errors());
            container.setAfterRollbackProcessor(polls.rollbacks(cutoverAfterRollbackProcessor));
        };
    }

    /**
     * The first cutover of a process decides as fast as the next ones ({@link SagaWarmUp}). Never fatal: a warm-up
     * that fails only leaves that cost where it was.
     */
    @Bean
    ApplicationListener<ApplicationReadyEvent> sagaWarmUp(SagaRunner saga) {
        return ready -> {
            try {
                saga.warmUp();
            } catch (RuntimeException e) {
                log.warn("the saga's warm-up failed, so the first cutover pays for the first run of its code: {}",
                        e.getMessage(), e);
            }
        };
    }

    @Bean
    SagaListener sagaListener(SagaRunner saga, StepFailedRecoverer stepFailedRecoverer) {
        return new SagaListener(saga, stepFailedRecoverer);
    }

    @Bean
    LagListener lagListener(SagaRunner saga) {
        return new LagListener(saga);
    }

    /**
     * Named in {@link LagListener}'s {@code containerPostProcessor}: a lag report is an observation, several a second,
     * read by a group of one instance from the latest offset; what it decides commits through the partition's writer.
     * Committing its offset in a Kafka transaction of its own would only load the broker.
     */
    @Bean
    ContainerPostProcessor<Object, Object, AbstractMessageListenerContainer<Object, Object>> lagReportsWithoutTransactions() {
        return container -> {
            container.getContainerProperties().setKafkaAwareTransactionManager(null);
            container.getContainerProperties().setTransactionManager(null);
        };
    }

    @Bean
    SagaPolls sagaPolls(SagaRunner saga, SagaSettings settings, Clock clock) {
        return new SagaPolls(saga, settings.answerHold(), clock);
    }

    /** Answers held past their bound are decided first, so that a deadline is decided on every answer heard. */
    @Bean(destroyMethod = "shutdownNow")
    ScheduledExecutorService sagaClock(SagaRunner saga, SagaPolls sagaPolls, SagaSettings settings) {
        return DeadlineTicker.start("saga-ticker", settings.tickInterval(), () -> {
            try {
                sagaPolls.releaseOverdue();
            } catch (RuntimeException e) {
                // A ticker that throws is never run again: no deadline would fire after it.
                log.error("held answers could not be released, tried again at the next tick: {}", e.getMessage(), e);
            }
            saga.tick();
        });
    }
}
