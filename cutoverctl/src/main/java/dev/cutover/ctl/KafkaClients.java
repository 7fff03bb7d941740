package dev.cutover.ctl;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

import dev.cutover.events.topic.Topics;

/**
 * The tool's Kafka clients. Timeouts are short next to Kafka's defaults (60 s and more): an operator at a
 * terminal should hear within seconds that the broker is unreachable, not after a minute of silence.
 *
 * @param settings Kafka client settings from {@code --kafka-config} (SASL, TLS), added to every client; empty for a
 *                 broker that asks for no credentials
 */
record KafkaClients(String bootstrapServers, Duration timeout, Map<String, String> settings) {

    static final String DEFAULT_BOOTSTRAP_SERVERS = "localhost:9092";
    static final String ENVIRONMENT_VARIABLE = "CUTOVER_KAFKA";
    static final String CONFIG_ENVIRONMENT_VARIABLE = "CUTOVER_KAFKA_CONFIG";
    static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(15);
    private static final Pattern JAAS_USER = Pattern.compile("username\\s*=\\s*\"([^\"]+)\"");

    KafkaClients {
        if (bootstrapServers == null || bootstrapServers.isBlank()) {
            throw new UsageException("--bootstrap-servers must name at least one host:port");
        }
        settings = Map.copyOf(settings);
    }

    KafkaClients(String bootstrapServers, Duration timeout) {
        this(bootstrapServers, timeout, Map.of());
    }

    /**
     * Reads a Kafka client properties file, as Kafka's own tools take with {@code --command-config}: e.g.
     * {@code security.protocol=SASL_PLAINTEXT}, {@code sasl.mechanism=SCRAM-SHA-512} and {@code sasl.jaas.config=...}.
     */
    static Map<String, String> settingsFrom(Path file) {
        if (!Files.isReadable(file)) {
            throw new UsageException("--kafka-config " + file + " is not a readable file: give the Kafka client"
                    + " properties file with your SASL user (security.protocol, sasl.mechanism, sasl.jaas.config)");
        }
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(file)) {
            properties.load(reader);
        } catch (IOException | IllegalArgumentException e) {
            throw new UsageException("--kafka-config " + file + " is not a properties file: " + e.getMessage());
        }
        Map<String, String> settings = new HashMap<>();
        properties.stringPropertyNames().forEach(name -> settings.put(name, properties.getProperty(name)));
        return settings;
    }

    /** The SASL user the settings log in as ({@code username} in {@code sasl.jaas.config}), if they name one. */
    Optional<String> saslUser() {
        String jaas = settings.get("sasl.jaas.config");
        if (jaas == null) {
            return Optional.empty();
        }
        Matcher user = JAAS_USER.matcher(jaas);
        return user.find() ? Optional.of(user.group(1)) : Optional.empty();
    }

    /**
     * Reads raw bytes and decodes them itself, so that one undecodable record becomes a line of output instead of an
     * exception that stops the poll. No group: the tool only reads, so it must not commit offsets nor show up as a
     * consumer group that ops then wonder about. {@code read_committed}, because the saga writes in transactions
     * and an aborted step must not appear in the audit trail. Topics are never created by reading: a mistyped
     * cutover must not leave topics behind with a default configuration.
     */
    KafkaConsumer<byte[], byte[]> consumer() {
        var config = common();
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        config.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false);
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        return new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    /** Idempotent and {@code acks=all}: an operator's command is written once and survives a broker failover. */
    KafkaProducer<String, SpecificRecord> producer() {
        var config = common();
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, (int) timeout.toMillis());
        config.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) timeout.toMillis());
        config.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, (int) timeout.toMillis() * 2);
        return new KafkaProducer<>(config, Topics.COMMANDS.keySerde().serializer(),
                Topics.COMMANDS.valueSerde().serializer());
    }

    private Map<String, Object> common() {
        var config = new HashMap<String, Object>(settings);
        config.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        config.put(CommonClientConfigs.CLIENT_ID_CONFIG, "cutoverctl");
        config.put(CommonClientConfigs.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) timeout.toMillis());
        config.put(CommonClientConfigs.REQUEST_TIMEOUT_MS_CONFIG, (int) timeout.toMillis());
        return config;
    }
}
