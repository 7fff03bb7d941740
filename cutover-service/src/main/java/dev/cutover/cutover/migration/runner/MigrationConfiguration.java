package dev.cutover.cutover.migration.runner;

import java.time.Clock;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.config.ContainerPostProcessor;
import org.springframework.kafka.listener.AbstractMessageListenerContainer;

import dev.cutover.cutover.migration.DnsTtl;
import dev.cutover.cutover.migration.Migration;
import dev.cutover.cutover.migration.MigrationDecider;
import dev.cutover.cutover.migration.MigrationEvent;
import dev.cutover.cutover.migration.MigrationId;
import dev.cutover.cutover.migration.MigrationPolicy;
import dev.cutover.cutover.runner.DeadlineTicker;
import dev.cutover.cutover.runner.MigrationsInFlight;
import dev.cutover.cutover.runner.PartitionWriters;
import dev.cutover.cutover.runner.SagaPartitions;
import dev.cutover.cutover.runner.SagaProjection;
import dev.cutover.cutover.runner.SagaSettings;
import dev.cutover.platform.ActedOnOnly;
import dev.cutover.platform.MessagePublisher;
import dev.cutover.platform.database.DatabasesSettings;
import dev.cutover.platform.database.Replication;

@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(MigrationSettings.class)
class MigrationConfiguration {

    private static final String GROUP = "migration-saga";

    /** Built once at start-up, so a bad setting stops the service before any migration runs. */
    @Bean
    MigrationPolicy migrationPolicy(MigrationSettings settings, SagaSettings sagaSettings) {
        return settings.policy(sagaSettings.operators());
    }

    @Bean
    SagaProjection<MigrationId, Migration, MigrationEvent> migrationProjection(KafkaProperties kafka) {
        return new SagaProjection<>(GROUP, kafka, new SagaProjection.Kind<MigrationId, Migration, MigrationEvent>(
                MigrationCodec::sagaEvent, MigrationCodec::migrationId, new Migration.NotStarted(),
                MigrationDecider::evolve, Migration::isActive));
    }

    /** The ops API's view: every migration, whichever instance owns it. */
    @Bean
    MigrationQueries migrationQueries(SagaProjection<MigrationId, Migration, MigrationEvent> migrationProjection) {
        return migrationProjection::state;
    }

    @Bean
    PartitionWriters migrationWriters(KafkaProperties kafka) {
        return new PartitionWriters(GROUP, kafka);
    }

    @Bean
    MigrationRunner migrationRunner(MessagePublisher publisher, PartitionWriters migrationWriters,
            SagaProjection<MigrationId, Migration, MigrationEvent> migrationProjection, MigrationPolicy policy,
            SagaSettings sagaSettings, DatabasesSettings databases, Clock clock) {
        return new MigrationRunner(publisher, migrationWriters, migrationProjection, policy, database ->
                Optional.ofNullable(sagaSettings.dns().get(database.value()))
                        .map(dns -> new DnsTtl(dns.record(), dns.ttl())),
                database -> adopted(databases, database.value()), clock);
    }

    /** A cutover's start is refused while a migration of its database runs, as the migration saga's log shows it. */
    @Bean
    MigrationsInFlight migrationsInFlight(SagaProjection<MigrationId, Migration, MigrationEvent> migrationProjection) {
        return database -> migrationProjection.active(database).map(id -> "migration " + id.value() + " of "
                + database.value() + " is " + migrationProjection.state(id).map(MigrationConfiguration::where)
                        .orElse("running"));
    }

    private static String where(Migration migration) {
        return switch (migration) {
            case Migration.Running running -> "at " + running.step();
            case Migration.AwaitingRetry retry -> "about to try " + retry.step() + " again";
            default -> "running";
        };
    }

    /** "subscription billing_sub, publication billing_pub" when the database's replication is adopted. */
    static Optional<String> adopted(DatabasesSettings databases, String database) {
        if (!databases.databases().containsKey(database)) {
            return Optional.empty();
        }
        Replication replication = databases.replication(database);
        return replication.adopted() ? Optional.of("cutover.databases." + database + ".replication: subscription "
                + replication.subscription() + ", publication " + replication.publication()) : Optional.empty();
    }

    /** Applied to the listener's container by {@link #migrationSagaContainer}. */
    @Bean
    SagaPartitions migrationSagaPartitions(KafkaProperties kafka,
            SagaProjection<MigrationId, Migration, MigrationEvent> migrationProjection,
            PartitionWriters migrationWriters, MigrationRunner saga) {
        return new SagaPartitions(GROUP, kafka, migrationProjection, migrationWriters, saga);
    }

    /**
     * Named in {@link MigrationListener}'s {@code containerPostProcessor}: the saga's partitions, and only the messages
     * it acts on (a record listener pays a Kafka transaction for each message it is handed).
     */
    @Bean
    ContainerPostProcessor<Object, Object, AbstractMessageListenerContainer<Object, Object>> migrationSagaContainer(
            SagaPartitions migrationSagaPartitions, MigrationRunner saga) {
        return container -> {
            migrationSagaPartitions.postProcess(container);
            container.setRecordInterceptor(new ActedOnOnly(saga::actsOn));
        };
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
