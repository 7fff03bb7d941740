package dev.cutover.platform.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.mock.env.MockEnvironment;

class KafkaLoginUnitTest {

    @TempDir
    Path secrets;

    @Test
    void theUserAndThePasswordFromItsSecretBecomeSpringKafkasLogin() throws Exception {
        Path password = Files.writeString(secrets.resolve("kafka"), "s3cr\"et\n");
        MockEnvironment environment = new MockEnvironment()
                .withProperty("cutover.kafka.sasl.username", "replicator")
                .withProperty("cutover.kafka.sasl.password-secret", "file:" + password);

        new KafkaLogin().postProcessEnvironment(environment, null);

        assertThat(environment.getProperty("spring.kafka.properties.sasl.jaas.config")).isEqualTo(
                "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"replicator\" password=\"s3cr\\\"et\";");
        assertThat(environment.getProperty("spring.kafka.properties.sasl.mechanism")).isEqualTo("SCRAM-SHA-512");
        assertThat(environment.getProperty("spring.kafka.security.protocol")).isEqualTo("SASL_PLAINTEXT");
    }

    @Test
    void aProtocolSetElsewhereIsKept() throws Exception {
        Path password = Files.writeString(secrets.resolve("kafka"), "secret");
        MockEnvironment environment = new MockEnvironment()
                .withProperty("cutover.kafka.sasl.username", "replicator")
                .withProperty("cutover.kafka.sasl.password-secret", "file:" + password)
                .withProperty("spring.kafka.security.protocol", "SASL_SSL");

        new KafkaLogin().postProcessEnvironment(environment, null);

        assertThat(environment.getProperty("spring.kafka.security.protocol")).isEqualTo("SASL_SSL");
    }

    @Test
    void aUserWithoutAPasswordSecretSaysWhereToKeepIt() {
        MockEnvironment environment = new MockEnvironment().withProperty("cutover.kafka.sasl.username", "replicator");

        assertThatThrownBy(() -> new KafkaLogin().postProcessEnvironment(environment, null))
                .hasMessageContaining("cutover.kafka.sasl.password-secret=file:/run/secrets/kafka-password");
    }

    @Test
    void aUserAndAJaasConfigTogetherAreRefused() {
        MockEnvironment environment = new MockEnvironment()
                .withProperty("cutover.kafka.sasl.username", "replicator")
                .withProperty("cutover.kafka.sasl.password-secret", "env:KAFKA_PASSWORD")
                .withProperty("spring.kafka.properties.sasl.jaas.config", "...");

        assertThatThrownBy(() -> new KafkaLogin().postProcessEnvironment(environment, null))
                .hasMessageContaining("both set: keep one");
    }

    @Test
    void withoutAUserNothingChanges() {
        MockEnvironment environment = new MockEnvironment();

        new KafkaLogin().postProcessEnvironment(environment, null);

        assertThat(environment.containsProperty("spring.kafka.properties.sasl.jaas.config")).isFalse();
    }
}
