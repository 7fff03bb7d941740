package dev.cutover.cutover.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import dev.cutover.cutover.CutoverServiceApplication;
import dev.cutover.cutover.api.OpsApi;
import dev.cutover.cutover.api.Tokens;
import dev.cutover.events.CommandRefused;
import dev.cutover.events.CutoverRejected;
import dev.cutover.events.MigrationStarted;
import dev.cutover.platform.KafkaProbe;
import dev.cutover.platform.security.KafkaAccess;
import dev.cutover.stack.KafkaProcess;
import dev.cutover.stack.KafkaSecurity;
import dev.cutover.stack.LocalStack;
import dev.cutover.stack.StackOptions;
import dev.cutover.stack.StackPart;

/**
 * cutover-service secured end to end: its ops API takes tokens, and it logs in to a broker with SASL/SCRAM as its
 * own user, its password from a secret file, with no more than {@link KafkaAccess#forService}'s ACLs. Both sagas
 * consume, decide and commit their transactions under those ACLs.
 */
class SecuredKafkaIntegrationTest {

    static final Duration WAIT = Duration.ofSeconds(60);

    @TempDir
    Path files;

    @Test
    void bothSagasAndTheRefusalsRunUnderTheServicesOwnKafkaUserAndItsAcls() throws Exception {
        KafkaSecurity security = KafkaSecurity.scram().withUser("cutover-service");
        Tokens tokens = Tokens.generate();
        try (LocalStack stack = LocalStack.start(StackOptions.defaults().withParts(StackPart.KAFKA)
                .withKafkaSecurity(security))) {
            KafkaProcess kafka = (KafkaProcess) stack.kafka();
            kafka.allow(KafkaAccess.forService("cutover-service", "cutover-service"));
            Path password = Files.writeString(files.resolve("kafka-password"), security.password("cutover-service"));
            Map<String, Object> properties = new HashMap<>();
            properties.put("spring.kafka.bootstrap-servers", kafka.bootstrapServers());
            properties.put("server.port", "0");
            properties.put("cutover.saga.operators", "alice");
            properties.put("cutover.kafka.sasl.username", "cutover-service");
            properties.put("cutover.kafka.sasl.password-secret", "file:" + password);
            properties.put("cutover.security.enabled", "true");
            properties.put("cutover.security.public-key-location", tokens.writePublicKey(files).toString());
            // Arguments outrank the system property an in-JVM test broker started earlier sets for its address.
            try (ConfigurableApplicationContext service = new SpringApplicationBuilder(CutoverServiceApplication.class)
                    .run(properties.entrySet().stream().map(p -> "--" + p.getKey() + "=" + p.getValue())
                            .toArray(String[]::new));
                    KafkaProbe probe = new KafkaProbe(kafka.clientProperties(KafkaSecurity.ADMIN))) {
                String alice = tokens.mint("alice", List.of("operator"));

                HttpResponse<String> migration = OpsApi.call(service, "POST", "/migrations",
                        "{\"database\":\"shop\",\"dryRun\":true}", alice);
                assertThat(migration.statusCode()).as(migration.body()).isEqualTo(202);
                String migrationId = migration.body().replaceAll(".*\"migrationId\":\"([^\"]+)\".*", "$1");
                assertThat(probe.await(MigrationStarted.class,
                        e -> migrationId.equals(e.getMetadata().getMigrationId()), WAIT).getOperator()).isEqualTo("alice");

                HttpResponse<String> cutover = OpsApi.call(service, "POST", "/cutovers",
                        "{\"database\":\"shop\",\"dryRun\":true}", alice);
                assertThat(cutover.statusCode()).as(cutover.body()).isEqualTo(202);
                String cutoverId = cutover.body().replaceAll(".*\"cutoverId\":\"([^\"]+)\".*", "$1");
                assertThat(probe.await(CutoverRejected.class, e -> cutoverId.equals(e.getMetadata().getCutoverId()),
                        WAIT).getReason()).as("shop is not configured").contains("shop");

                assertThat(OpsApi.call(service, "POST", "/cutovers", "{\"database\":\"shop\"}",
                        tokens.mint("victor", List.of("viewer"))).statusCode()).isEqualTo(403);
                assertThat(probe.await(CommandRefused.class, e -> e.getPrincipal().equals("victor"), WAIT)
                        .getMetadata().getDatabase()).isEqualTo("shop");
            }
        }
    }
}
