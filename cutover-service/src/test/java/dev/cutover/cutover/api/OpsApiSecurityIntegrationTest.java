package dev.cutover.cutover.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import dev.cutover.cutover.CutoverServiceApplication;
import dev.cutover.cutover.runner.PlayedParticipants;
import dev.cutover.events.CommandRefused;
import dev.cutover.events.CutoverStarted;
import dev.cutover.events.MigrationStarted;
import dev.cutover.platform.KafkaProbe;
import dev.cutover.stack.LocalStack;
import dev.cutover.stack.SharedStackExtension;

/**
 * The ops API with {@code cutover.security.enabled}, over real HTTP, on the shared stack's broker: tokens are signed
 * by a key pair the test made, whose public key the service is given as a PEM file, as a local stack would do.
 */
@ExtendWith(SharedStackExtension.class)
class OpsApiSecurityIntegrationTest {

    static final Duration WAIT = Duration.ofSeconds(30);
    static final String DATABASE = "secured";

    @TempDir
    static Path keys;
    static Tokens tokens;
    static ConfigurableApplicationContext service;
    static KafkaProbe probe;

    @BeforeAll
    static void startSecuredService(LocalStack stack) throws Exception {
        stack.source().createDatabase(DATABASE);
        stack.target().createDatabase(DATABASE);
        tokens = Tokens.generate();
        Map<String, Object> properties = new HashMap<>();
        properties.put("spring.kafka.bootstrap-servers", stack.kafkaBootstrapServers());
        properties.put("server.port", "0");
        PlayedParticipants.database(properties, stack, DATABASE, "secured_app");
        properties.put("cutover.saga.operators", "alice");
        properties.put("cutover.saga.dns." + DATABASE + ".record", "db." + DATABASE + ".test.");
        properties.put("cutover.saga.dns." + DATABASE + ".source-address", "127.0.0.2");
        properties.put("cutover.saga.dns." + DATABASE + ".target-address", "127.0.0.3");
        properties.put("cutover.security.enabled", "true");
        properties.put("cutover.security.public-key-location", tokens.writePublicKey(keys).toString());
        properties.put("cutover.security.issuer-uri", Tokens.ISSUER);
        service = new SpringApplicationBuilder(CutoverServiceApplication.class).properties(properties).run();
        probe = new KafkaProbe(stack.kafkaBootstrapServers());
    }

    @AfterAll
    static void stopService() throws SQLException {
        if (service != null) {
            service.close();
        }
        if (probe != null) {
            probe.close();
        }
    }

    @Test
    void aCallWithoutATokenIsRefusedWith401WhileHealthStaysOpen() throws Exception {
        HttpResponse<String> start = call("POST", "/cutovers", "{\"database\":\"" + DATABASE + "\",\"operator\":\"alice\"}", null);
        assertThat(start.statusCode()).isEqualTo(401);
        assertThat(start.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(value -> assertThat(value).startsWith("Bearer"));
        assertThat(start.body()).contains("Authorization: Bearer");
        assertThat(call("GET", "/cutovers/any", null, null).statusCode()).isEqualTo(401);
        assertThat(call("POST", "/migrations/any/abort", "{}", null).statusCode()).isEqualTo(401);

        assertThat(call("GET", "/actuator/health", null, null).statusCode()).isEqualTo(200);
    }

    @Test
    void aTokenSignedWithAnotherKeyIsRefusedWith401() throws Exception {
        String forged = Tokens.generate().mint("alice", List.of("operator"));

        assertThat(call("POST", "/cutovers", "{\"database\":\"" + DATABASE + "\"}", forged).statusCode()).isEqualTo(401);
    }

    @Test
    void aViewerWhoStartsACutoverIsRefusedWith403AndTheRefusalIsInTheAuditTrail() throws Exception {
        String viewer = tokens.mint("victor", List.of("viewer"));

        HttpResponse<String> start = call("POST", "/cutovers",
                "{\"database\":\"" + DATABASE + "\",\"operator\":\"alice\",\"reason\":\"not mine to start\"}", viewer);

        assertThat(start.statusCode()).isEqualTo(403);
        assertThat(start.body()).contains("victor", "operator");
        CommandRefused refused = probe.await(CommandRefused.class, e -> e.getPrincipal().equals("victor")
                && e.getAction().equals("POST /cutovers"), WAIT);
        assertThat(refused.getMetadata().getDatabase()).isEqualTo(DATABASE);
        assertThat(refused.getRoles()).containsExactly("viewer");
        assertThat(refused.getReason()).contains("needs the role operator");
        assertThat(call("GET", "/cutovers/no-such-cutover", null, viewer).statusCode())
                .as("a viewer reads: the cutover is unknown, not forbidden").isEqualTo(404);
    }

    @Test
    void aViewerWhoAbortsAMigrationIsRefusedAndTheRefusalNamesTheMigrationAndItsDatabase() throws Exception {
        HttpResponse<String> start = call("POST", "/migrations", "{\"database\":\"" + DATABASE + "\",\"dryRun\":true}",
                tokens.mint("alice", List.of("operator")));
        String migration = start.body().replaceAll(".*\"migrationId\":\"([^\"]+)\".*", "$1");
        String viewer = tokens.mint("victor", List.of("viewer"));
        await().atMost(WAIT).until(() -> call("GET", "/migrations/" + migration, null, viewer).statusCode() == 200);

        assertThat(call("POST", "/migrations/" + migration + "/abort", "{\"reason\":\"mine now\"}", viewer).statusCode())
                .isEqualTo(403);
        CommandRefused refused = probe.await(CommandRefused.class,
                e -> migration.equals(e.getMetadata().getMigrationId()), WAIT);
        assertThat(refused.getMetadata().getDatabase()).isEqualTo(DATABASE);
        assertThat(refused.getAction()).isEqualTo("POST /migrations/" + migration + "/abort");

        String notAnId = "x".repeat(200);
        assertThat(call("POST", "/cutovers/" + notAnId + "/abort", "{}", viewer).statusCode()).isEqualTo(403);
        assertThat(probe.await(CommandRefused.class, e -> notAnId.equals(e.getMetadata().getCutoverId()), WAIT)
                .getMetadata().getDatabase()).isEqualTo(CommandRefusals.UNKNOWN_DATABASE);
    }

    @Test
    void theOperatorInCutoverStartedIsTheTokensSubjectNotANameTheCallerTyped() throws Exception {
        String alice = tokens.mint("alice", List.of("operator"));

        HttpResponse<String> typedSomeoneElse = call("POST", "/cutovers",
                "{\"database\":\"" + DATABASE + "\",\"operator\":\"bob\",\"dryRun\":true}", alice);
        assertThat(typedSomeoneElse.statusCode()).isEqualTo(400);
        assertThat(typedSomeoneElse.body()).contains("who your token says you are (alice)");

        HttpResponse<String> start = call("POST", "/cutovers", "{\"database\":\"" + DATABASE + "\",\"dryRun\":true}",
                alice);
        assertThat(start.statusCode()).isEqualTo(202);
        String cutover = start.body().replaceAll(".*\"cutoverId\":\"([^\"]+)\".*", "$1");
        CutoverStarted started = probe.await(CutoverStarted.class,
                e -> cutover.equals(e.getMetadata().getCutoverId()), WAIT);
        assertThat(started.getOperator()).isEqualTo("alice");
    }

    @Test
    void aMigrationStartedByAnOperatorNamesTheTokensSubject() throws Exception {
        HttpResponse<String> start = call("POST", "/migrations", "{\"database\":\"" + DATABASE + "\",\"dryRun\":true}",
                tokens.mint("alice", List.of("viewer", "operator")));

        assertThat(start.statusCode()).isEqualTo(202);
        String migration = start.body().replaceAll(".*\"migrationId\":\"([^\"]+)\".*", "$1");
        assertThat(probe.await(MigrationStarted.class, e -> migration.equals(e.getMetadata().getMigrationId()), WAIT)
                .getOperator()).isEqualTo("alice");
    }

    private static HttpResponse<String> call(String method, String path, String json, String token) throws Exception {
        return OpsApi.call(service, method, path, json, token);
    }
}
