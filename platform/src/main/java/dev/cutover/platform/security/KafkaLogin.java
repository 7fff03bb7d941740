package dev.cutover.platform.security;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

import dev.cutover.platform.secrets.Secrets;
import dev.cutover.platform.secrets.SecretsSettings;

/**
 * A service's Kafka login from {@code cutover.kafka.sasl.username} and a password kept as a secret
 * ({@code cutover.kafka.sasl.password-secret}: {@code file:}, {@code env:} or {@code aws-secretsmanager:}), turned
 * into Spring Kafka's own properties ({@code spring.kafka.properties.sasl.jaas.config}, {@code sasl.mechanism},
 * {@code spring.kafka.security.protocol}) before anything reads them, so that every client of the service (listeners,
 * publishers, the admin, the dead-letter producer) logs in the same way. Setting those properties directly works too;
 * then the password is written in the configuration.
 */
public class KafkaLogin implements EnvironmentPostProcessor, Ordered {

    static final String SOURCE_NAME = "cutoverKafkaLogin";
    static final String USERNAME = "cutover.kafka.sasl.username";
    static final String PASSWORD_SECRET = "cutover.kafka.sasl.password-secret";
    static final String MECHANISM = "cutover.kafka.sasl.mechanism";
    static final String JAAS = "spring.kafka.properties.sasl.jaas.config";
    static final String PROTOCOL = "spring.kafka.security.protocol";

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        String user = environment.getProperty(USERNAME);
        if (user == null || user.isBlank()) {
            return;
        }
        String reference = environment.getProperty(PASSWORD_SECRET);
        if (reference == null || reference.isBlank()) {
            throw new IllegalArgumentException(USERNAME + " is " + user + " but " + PASSWORD_SECRET + " is not set: name"
                    + " where its password is kept, e.g. " + PASSWORD_SECRET + "=file:/run/secrets/kafka-password,"
                    + " env:KAFKA_PASSWORD or aws-secretsmanager:cutover/kafka#password");
        }
        if (environment.containsProperty(JAAS)) {
            throw new IllegalArgumentException(USERNAME + " and " + JAAS + " are both set: keep one (" + USERNAME
                    + " with " + PASSWORD_SECRET + " keeps the password out of the configuration)");
        }
        if (user.contains("\"")) {
            throw new IllegalArgumentException(USERNAME + " cannot hold a double quote: " + user);
        }
        String password = read(environment, reference);
        Map<String, Object> login = new HashMap<>();
        login.put(JAAS, "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"" + user
                + "\" password=\"" + password.replace("\\", "\\\\").replace("\"", "\\\"") + "\";");
        login.put("spring.kafka.properties.sasl.mechanism", environment.getProperty(MECHANISM, "SCRAM-SHA-512"));
        if (!environment.containsProperty(PROTOCOL)) {
            login.put(PROTOCOL, "SASL_PLAINTEXT");
        }
        environment.getPropertySources().addFirst(new MapPropertySource(SOURCE_NAME, login));
    }

    /** With the settings of {@code cutover.secrets}, which the service's own reader is not configured from yet. */
    private static String read(ConfigurableEnvironment environment, String reference) {
        SecretsSettings settings = Binder.get(environment).bind("cutover.secrets", SecretsSettings.class)
                .orElseGet(() -> new SecretsSettings(null, null, Duration.ofMinutes(5)));
        try (Secrets secrets = settings.secrets()) {
            return secrets.read(reference, PASSWORD_SECRET);
        }
    }

    /** After the database names are read from the environment, like every other setting. */
    @Override
    public int getOrder() {
        return Ordered.LOWEST_PRECEDENCE;
    }
}
