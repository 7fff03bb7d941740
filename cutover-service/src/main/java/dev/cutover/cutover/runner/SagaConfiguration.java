package dev.cutover.cutover.runner;

import java.time.Clock;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.context.ApplicationListener;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

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
            DatabasesSettings databases, ObjectProvider<MigrationsInFlight> migrations, Clock clock) {
        Set<String> fallback = databases.databases().entrySet().stream()
                .filter(database -> database.getValue().fallback().prepare()).map(Map.Entry::getKey)
                .collect(Collectors.toUnmodifiableSet());
        return new SagaRunner(publisher, cutoverWriters, cutoverProjection, settings, databases.databases().keySet(),
                fallback, migrations.getIfAvailable(() -> MigrationsInFlight.NONE), clock);
    }

    /** The loop's rebalance listener calls it: which partitions, and so which cutovers, this instance owns. */
    @Bean
    SagaPartitions cutoverSagaPartitions(KafkaProperties kafka,
            SagaProjection<CutoverId, Cutover, CutoverEvent> cutoverProjection, PartitionWriters cutoverWriters,
            SagaRunner saga) {
        return new SagaPartitions(GROUP, kafka, cutoverProjection, cutoverWriters, saga);
    }

    /**
     * Everything the saga decides, decided on one thread of its own, started and stopped with the application; stopped
     * when the context is destroyed too, as after a start-up that failed once the loop had started.
     */
    @Bean(destroyMethod = "stop")
    SagaLoop cutoverSagaLoop(SagaRunner saga, SagaPartitions cutoverSagaPartitions, PartitionWriters cutoverWriters,
            StepFailedRecoverer stepFailedRecoverer, KafkaProperties kafka, SagaSettings settings, Clock clock,
            ObjectProvider<LocalParticipants> local) {
        return new SagaLoop(GROUP, saga, cutoverSagaPartitions, cutoverWriters, stepFailedRecoverer, kafka, settings,
                clock, local.getIfAvailable(() -> LocalParticipants.NONE));
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

    /**
     * A database configured without a DNS plan migrates, but its cutover is refused: said as the service starts, not
     * when the cutover is started once the migration is ready.
     */
    @Bean
    ApplicationListener<ApplicationReadyEvent> dnsPlansAtStartUp(DatabasesSettings databases, SagaSettings settings) {
        return ready -> SagaRunner.withoutDnsPlan(databases.databases().keySet(), settings.dns().keySet())
                .forEach(log::warn);
    }

    @Bean
    LagListener lagListener(SagaLoop cutoverSagaLoop) {
        return new LagListener(cutoverSagaLoop);
    }
}
