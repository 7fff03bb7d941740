package dev.cutover.cutover.migration.runner;

import java.time.Clock;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import dev.cutover.cutover.migration.DnsTtl;
import dev.cutover.cutover.migration.MigrationPolicy;
import dev.cutover.cutover.migration.MigrationEvent;
import dev.cutover.cutover.migration.MigrationId;
import dev.cutover.cutover.runner.DeadlineTicker;
import dev.cutover.cutover.runner.LogRecovery;
import dev.cutover.cutover.runner.SagaSettings;
import dev.cutover.platform.MessagePublisher;

@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(MigrationSettings.class)
class MigrationConfiguration {

    /** Built once at start-up, so a bad setting stops the service before any migration runs. */
    @Bean
    MigrationPolicy migrationPolicy(MigrationSettings settings, SagaSettings sagaSettings) {
        return settings.policy(sagaSettings.operators());
    }

    @Bean
    MigrationRunner migrationRunner(MessagePublisher publisher, MigrationPolicy policy, SagaSettings sagaSettings,
            Clock clock) {
        return new MigrationRunner(publisher, policy, database -> Optional.ofNullable(
                sagaSettings.dns().get(database.value())).map(dns -> new DnsTtl(dns.record(), dns.ttl())), clock);
    }

    @Bean
    LogRecovery<MigrationId, MigrationEvent> migrationRecovery(MigrationRunner saga, KafkaProperties kafka) {
        return new LogRecovery<>("migration-saga", kafka, MigrationCodec::sagaEvent, MigrationCodec::migrationId,
                saga::recover);
    }

    @Bean
    MigrationListener migrationListener(MigrationRunner saga) {
        return new MigrationListener(saga);
    }

    @Bean(destroyMethod = "shutdownNow")
    ScheduledExecutorService migrationClock(MigrationRunner saga, MigrationSettings settings) {
        return DeadlineTicker.start("migration-ticker", settings.tickInterval(), saga::tick);
    }
}
