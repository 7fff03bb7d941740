package dev.cutover.platform;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.kafka.autoconfigure.KafkaAutoConfiguration;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.context.ApplicationListener;
import org.springframework.context.annotation.Bean;
import org.springframework.context.event.EventListener;
import org.springframework.kafka.config.ContainerPostProcessor;
import org.springframework.kafka.core.DefaultKafkaProducerFactory;
import org.springframework.kafka.core.KafkaAdmin;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.core.ProducerFactory;
import org.springframework.kafka.listener.AbstractMessageListenerContainer;
import org.springframework.kafka.listener.DeadLetterPublishingRecoverer;
import org.springframework.kafka.listener.DefaultAfterRollbackProcessor;
import org.springframework.kafka.listener.DefaultErrorHandler;
import org.springframework.kafka.listener.FailedRecordProcessor;
import org.springframework.kafka.KafkaException;
import org.springframework.kafka.support.serializer.DelegatingByTypeSerializer;
import org.springframework.util.backoff.BackOff;
import org.springframework.util.backoff.FixedBackOff;

import dev.cutover.events.serde.ReleasedSchemas;
import dev.cutover.events.serde.AvroMessageSerializer;
import dev.cutover.events.topic.SchemaPublisher;
import dev.cutover.events.topic.Topics;
import dev.cutover.platform.database.DatabasesSettings;
import dev.cutover.platform.database.LoginsAtStartUp;
import dev.cutover.platform.secrets.Secrets;
import dev.cutover.platform.secrets.SecretsSettings;

/** Wires every service to Kafka the same way; see docs/architecture.md, "Every service". */
@AutoConfiguration(after = KafkaAutoConfiguration.class)
@EnableConfigurationProperties({PlatformSettings.class, DatabasesSettings.class, SecretsSettings.class})
public class PlatformAutoConfiguration {

    /** The container post-processor for listeners that only observe: {@code containerPostProcessor = WITHOUT_TRANSACTIONS}. */
    public static final String WITHOUT_TRANSACTIONS = "observersWithoutTransactions";

    private static final Logger log = LoggerFactory.getLogger(PlatformAutoConfiguration.class);

    @Bean
    @ConditionalOnMissingBean
    Clock clock() {
        return Clock.systemUTC();
    }

    @Bean
    MessagePublisher messagePublisher(KafkaTemplate<String, SpecificRecord> template,
            @Value("${spring.application.name}") String service, Clock clock) {
        return new MessagePublisher(template, service, clock);
    }

    /** A wrong password or a missing database is found as the service starts ({@link LoginsAtStartUp}). */
    @Bean
    ApplicationListener<ApplicationReadyEvent> loginsAtStartUp(PlatformSettings settings, DatabasesSettings databases,
            @Value("${spring.application.name}") String service) {
        return ready -> {
            if (settings.loginsAtStartUp()) {
                LoginsAtStartUp.checkInBackground(service, databases);
            }
        };
    }

    @Bean
    KafkaAdmin.NewTopics cutoverTopics(PlatformSettings settings, @Value("${spring.application.name}") String service) {
        List<NewTopic> topics = new ArrayList<>();
        Topics.all().forEach(topic -> topics.add(topic.newTopic(settings.partitions(), settings.replicationFactor())));
        topics.add(new NewTopic(deadLetterTopic(service), settings.partitions(), settings.replicationFactor())
                .configs(Map.of("retention.ms", "-1")));
        return new KafkaAdmin.NewTopics(topics.toArray(NewTopic[]::new));
    }

    /**
     * A failing message is tried {@code cutover.platform.delivery-attempts} times, then recovered; a failure its
     * handler declares not retryable (a missing role, a table that is not there) is recovered at once: each retry
     * re-reads the record from the broker, up to an idle fetch's wait, while the saga waits to compensate.
     */
    @Bean
    DefaultErrorHandler cutoverErrorHandler(StepFailedRecoverer recoverer, PlatformSettings settings) {
        DefaultErrorHandler handler = new DefaultErrorHandler(recoverer,
                new FixedBackOff(0, settings.deliveryAttempts() - 1));
        handler.setBackOffFunction(PlatformAutoConfiguration::noRetryWhenNotRetryable);
        quietlyHandled(handler, settings);
        return handler;
    }

    /**
     * A failure the handler deals with is one WARN line with its cause, per attempt: the recoverer's for the last, this
     * one's for those tried again. The exception Spring throws to have a record read again ("Seek to current after
     * exception"), which the container logs with a stack trace at the handler's level, is only a means of retrying.
     */
    private static void quietlyHandled(FailedRecordProcessor handler, PlatformSettings settings) {
        handler.setLogLevel(KafkaException.Level.DEBUG);
        handler.setRetryListeners((record, exception, attempt) -> {
            // An undecodable record is never tried again: the recoverer says where it went.
            if (record.value() instanceof SpecificRecord && attempt < settings.deliveryAttempts()
                    && !StepFailedRecoverer.notRetryable(exception)) {
                log.warn("{} failed (attempt {} of {}), trying again: {}", StepFailedRecoverer.describe(record),
                        attempt, settings.deliveryAttempts(), StepFailedRecoverer.reason(exception));
            }
        });
    }

    private static BackOff noRetryWhenNotRetryable(ConsumerRecord<?, ?> record, Exception exception) {
        return StepFailedRecoverer.notRetryable(exception) ? new FixedBackOff(0, 0) : null;
    }

    /** The same handling for listeners that run in a Kafka transaction, where Spring rolls back before recovering. */
    @Bean
    DefaultAfterRollbackProcessor<Object, Object> cutoverAfterRollbackProcessor(StepFailedRecoverer recoverer,
            PlatformSettings settings) {
        DefaultAfterRollbackProcessor<Object, Object> processor = new DefaultAfterRollbackProcessor<>(recoverer,
                new FixedBackOff(0, settings.deliveryAttempts() - 1));
        processor.setBackOffFunction(PlatformAutoConfiguration::noRetryWhenNotRetryable);
        quietlyHandled(processor, settings);
        return processor;
    }

    /**
     * Named in the {@code containerPostProcessor} of listeners that only observe (lag reports, readiness, metrics): each
     * reads from the newest offset in a group of one instance, and what it decides, if anything, commits elsewhere; a
     * Kafka transaction per record would only load the broker.
     */
    @Bean(WITHOUT_TRANSACTIONS)
    ContainerPostProcessor<Object, Object, AbstractMessageListenerContainer<Object, Object>> observersWithoutTransactions() {
        return container -> {
            container.getContainerProperties().setKafkaAwareTransactionManager(null);
            container.getContainerProperties().setTransactionManager(null);
        };
    }

    /**
     * The process's reader of secrets ({@code password-secret}), configured before anything logs in: the databases'
     * settings are checked at binding, and read only when a step connects. Not closed with the context: another
     * context of the same JVM (a rehearsal's services) may be reading through it.
     */
    @Bean(destroyMethod = "")
    Secrets secrets(SecretsSettings settings) {
        Secrets secrets = settings.secrets();
        Secrets.configure(secrets);
        return secrets;
    }

    @Bean
    StepFailedRecoverer stepFailedRecoverer(MessagePublisher publisher, KafkaProperties kafka,
            @Value("${spring.application.name}") String service, ObjectProvider<MeterRegistry> meters) {
        // Dead letters keep the original bytes when the value could not be decoded, the record otherwise.
        Map<String, Object> config = kafka.buildProducerProperties();
        config.remove("transactional.id");
        DelegatingByTypeSerializer values = new DelegatingByTypeSerializer(
                Map.of(byte[].class, new ByteArraySerializer(), SpecificRecord.class, new AvroMessageSerializer()), true);
        KafkaTemplate<String, Object> deadLetterTemplate = new KafkaTemplate<>(
                new DefaultKafkaProducerFactory<String, Object>(config, new StringSerializer(), values));
        String topic = deadLetterTopic(service);
        DeadLetterPublishingRecoverer deadLetters = new DeadLetterPublishingRecoverer(deadLetterTemplate,
                (record, exception) -> new TopicPartition(topic, -1));
        return new StepFailedRecoverer(publisher, deadLetters, meters.getIfAvailable(SimpleMeterRegistry::new));
    }

    @Bean
    WarmProducers warmProducers(ProducerFactory<?, ?> producerFactory, PlatformSettings settings) {
        return new WarmProducers(producerFactory, settings.warmProducers());
    }

    @Bean
    KafkaHealthIndicator kafkaHealthIndicator(KafkaAdmin kafkaAdmin, PlatformSettings settings) {
        return new KafkaHealthIndicator(kafkaAdmin, settings.kafkaHealthTimeout());
    }

    @Bean
    SchemasAtStartup schemasAtStartup(KafkaProperties kafka) {
        return new SchemasAtStartup(kafka);
    }

    /** Where a service's messages go that it could not handle. */
    public static String deadLetterTopic(String service) {
        return "cutover.dlt." + service;
    }

    /** Publishes the schemas this service writes, so consumers in any language can resolve fingerprints. */
    static class SchemasAtStartup {

        private final KafkaProperties kafka;

        SchemasAtStartup(KafkaProperties kafka) {
            this.kafka = kafka;
        }

        @EventListener(ApplicationReadyEvent.class)
        void publish() {
            SchemaPublisher.publish(kafka.buildProducerProperties(), ReleasedSchemas.load().all());
        }
    }
}
