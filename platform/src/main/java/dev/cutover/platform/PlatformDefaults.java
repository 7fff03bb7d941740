package dev.cutover.platform;

import java.util.Map;

import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * Defaults every service starts from, so no service has to repeat them in its own configuration.
 * They have the lowest precedence: a service's application.yml or the command line overrides any.
 */
public class PlatformDefaults implements EnvironmentPostProcessor {

    static final String SOURCE_NAME = "cutoverPlatformDefaults";

    static final Map<String, Object> DEFAULTS = Map.ofEntries(
            Map.entry("spring.kafka.producer.key-serializer", "org.apache.kafka.common.serialization.StringSerializer"),
            Map.entry("spring.kafka.producer.value-serializer", "dev.cutover.events.serde.AvroMessageSerializer"),
            // Every record is part of the audit trail: wait for the broker to persist it and never duplicate it.
            Map.entry("spring.kafka.producer.acks", "all"),
            Map.entry("spring.kafka.producer.properties.enable.idempotence", "true"),
            Map.entry("spring.kafka.producer.properties.linger.ms", "0"),
            // A transaction begun right after the last one committed is refused until the broker has finished that
            // commit (CONCURRENT_TRANSACTIONS); the default first back-off of 100 ms would then stall every answer.
            Map.entry("spring.kafka.producer.properties.retry.backoff.ms", "5"),
            // A producer forgets a topic it has not written to for this long (5 minutes by default), and its next send
            // there waits for the topic's metadata: the first answers of a cutover, days after the migration began,
            // would pay for it at the switch. The producers are readied with the cutover topics (WarmProducers) and
            // keep them for a year.
            Map.entry("spring.kafka.producer.properties.metadata.max.idle.ms", "31536000000"),
            Map.entry("spring.kafka.consumer.key-deserializer", "org.apache.kafka.common.serialization.StringDeserializer"),
            // A payload that cannot be decoded must reach the error handler (and the dead-letter topic), not kill the consumer.
            Map.entry("spring.kafka.consumer.value-deserializer", "org.springframework.kafka.support.serializer.ErrorHandlingDeserializer"),
            Map.entry("spring.kafka.consumer.properties.spring.deserializer.value.delegate.class", "dev.cutover.events.serde.AvroMessageDeserializer"),
            // Never act on a message from a transaction that was aborted.
            Map.entry("spring.kafka.consumer.isolation-level", "read_committed"),
            Map.entry("spring.kafka.consumer.auto-offset-reset", "earliest"),
            Map.entry("spring.kafka.consumer.enable-auto-commit", "false"),
            // How long an idle fetch waits at the broker. Data, and for read_committed a commit marker, ends the wait
            // at once, so a short wait buys no latency (KafkaHopBenchmark: the same round trips at 20 and 500 ms);
            // it only multiplies idle fetches, which every consumer of every service makes, on the CPU cutovers share.
            Map.entry("spring.kafka.consumer.properties.fetch.max.wait.ms", "500"),
            // A service started before its broker, or pointed at the wrong one, retries every few milliseconds, and
            // Kafka's clients log every retry at INFO: a thousand lines a second. Their warnings still show.
            Map.entry("logging.level.org.apache.kafka.clients.admin.internals.AdminMetadataManager", "WARN"),
            Map.entry("logging.level.org.apache.kafka.clients.Metadata", "WARN"),
            Map.entry("management.endpoints.web.exposure.include", "health,info,prometheus"),
            Map.entry("management.endpoint.health.show-details", "always"));

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        environment.getPropertySources().addLast(new MapPropertySource(SOURCE_NAME, DEFAULTS));
    }
}
