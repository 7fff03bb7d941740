package dev.cutover.platform.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.WebApplicationType;
import org.springframework.context.ConfigurableApplicationContext;

import dev.cutover.events.StartCutover;
import dev.cutover.events.TableCopied;
import dev.cutover.platform.MessagePublisher;
import dev.cutover.platform.PublishFailed;
import dev.cutover.stack.KafkaProcess;
import dev.cutover.stack.KafkaSecurity;
import dev.cutover.stack.LocalStack;
import dev.cutover.stack.StackOptions;
import dev.cutover.stack.StackPart;

/**
 * A service on a broker with SASL/SCRAM and ACLs: it logs in as its own user with the password from a secret file,
 * starts with only {@link KafkaAccess#forService}'s ACLs, writes its events, and the broker refuses it a command.
 */
class KafkaLoginIntegrationTest {

    @TempDir
    Path secrets;

    @SpringBootConfiguration
    @EnableAutoConfiguration
    static class Service {
    }

    @Test
    void aServiceLoggedInWithItsSecretWritesItsEventsTheBrokerRefusesItACommandAndAUserWithoutAclsCannotStartIt() throws Exception {
        KafkaSecurity security = KafkaSecurity.scram().withUser("replicator-1").withUser("nobody");
        try (LocalStack stack = LocalStack.start(StackOptions.defaults().withParts(StackPart.KAFKA)
                .withKafkaSecurity(security))) {
            KafkaProcess kafka = (KafkaProcess) stack.kafka();
            kafka.allow(KafkaAccess.forService("replicator", "replicator-1"));
            Path password = Files.writeString(secrets.resolve("kafka-password"), security.password("replicator-1") + "\n");

            try (ConfigurableApplicationContext service = new SpringApplicationBuilder(Service.class)
                    .web(WebApplicationType.NONE)
                    // Arguments outrank the system property an in-JVM test broker started earlier sets for its address.
                    .run("--spring.application.name=replicator",
                            "--spring.kafka.bootstrap-servers=" + kafka.bootstrapServers(),
                            "--cutover.kafka.sasl.username=replicator-1",
                            "--cutover.kafka.sasl.password-secret=file:" + password)) {
                MessagePublisher publisher = service.getBean(MessagePublisher.class);
                try (Admin admin = Admin.create(kafka.clientProperties(KafkaSecurity.ADMIN))) {
                    assertThat(admin.listTopics().names().get(30, TimeUnit.SECONDS)).as("created by the service")
                            .contains("cutover.commands", "cutover.events", "replication.lag", "cutover.schemas",
                                    "cutover.dlt.replicator");
                }

                publisher.publish(TableCopied.newBuilder().setMetadata(publisher.originating("shop", null, "m-1"))
                        .setTable("public.orders").setRows(1).setBytes(10).setDurationMs(1).build());

                assertThatThrownBy(() -> publisher.publish(StartCutover.newBuilder()
                        .setMetadata(publisher.originating("shop", "c-1", null)).setOperator("replicator-1")
                        .setDryRun(false).build()))
                        .isInstanceOf(PublishFailed.class)
                        .hasRootCauseInstanceOf(TopicAuthorizationException.class);
            }

            // A user given no ACLs at all: one refusal says what to grant, and the service does not start.
            Path nobodys = Files.writeString(secrets.resolve("nobody-password"), security.password("nobody") + "\n");
            assertThatThrownBy(() -> new SpringApplicationBuilder(Service.class).web(WebApplicationType.NONE)
                    .run("--spring.application.name=replicator",
                            "--spring.kafka.bootstrap-servers=" + kafka.bootstrapServers(),
                            "--cutover.kafka.sasl.username=nobody",
                            "--cutover.kafka.sasl.password-secret=file:" + nobodys).close())
                    .hasStackTraceContaining("does not let this service's Kafka user write cutover.schemas")
                    .hasStackTraceContaining("KafkaAccess.forService");
        }
    }
}
