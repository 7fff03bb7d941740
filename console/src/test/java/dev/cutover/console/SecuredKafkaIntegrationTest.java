package dev.cutover.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.CookieManager;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.regex.Pattern;

import com.jayway.jsonpath.JsonPath;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.resource.ResourceType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;

import dev.cutover.ctl.replay.CutoverScript;
import dev.cutover.events.AbortCutover;
import dev.cutover.events.topic.Topics;
import dev.cutover.platform.KafkaProbe;
import dev.cutover.platform.security.KafkaAccess;
import dev.cutover.stack.KafkaProcess;
import dev.cutover.stack.KafkaSecurity;
import dev.cutover.stack.LocalStack;
import dev.cutover.stack.StackOptions;
import dev.cutover.stack.StackPart;

/**
 * The console on a broker with SASL/SCRAM and ACLs: logged in as its own Kafka user with only
 * {@link KafkaAccess#forService}'s ACLs for {@code console}, it reads the log and writes an operator's command. A
 * user without the right to write {@code cutover.commands} is refused the command (503, nothing written), and one
 * without the console's consumer groups is refused the log, which the console's health says.
 */
class SecuredKafkaIntegrationTest {

    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final String OLIVIAS_PASSWORD = "olivia's long passphrase";

    @TempDir
    Path files;

    @Test
    void theConsoleReadsTheLogAndWritesACommandAsItsOwnKafkaUserAndUsersWithoutItsAclsAreRefused()
            throws Exception {
        var security = KafkaSecurity.scram().withUsers(List.of("console", "readonly", "groupless"));
        try (var stack = LocalStack.start(StackOptions.defaults().withParts(StackPart.KAFKA)
                .withKafkaSecurity(security))) {
            var kafka = (KafkaProcess) stack.kafka();
            kafka.allow(KafkaAccess.forService("console", "console"));
            kafka.allow(KafkaAccess.forService("console", "readonly").stream()
                    .filter(acl -> !(acl.pattern().name().equals(Topics.COMMANDS.name())
                            && acl.entry().operation() == AclOperation.WRITE)).toList());
            kafka.allow(KafkaAccess.forService("console", "groupless").stream()
                    .filter(acl -> acl.pattern().resourceType() != ResourceType.GROUP).toList());
            Path users = Files.write(files.resolve("users"),
                    List.of("olivia:" + new BCryptPasswordEncoder(4).encode(OLIVIAS_PASSWORD) + ":operator"));

            try (var probe = new KafkaProbe(kafka.clientProperties(KafkaSecurity.ADMIN));
                    var console = start(kafka, security, "console", users);
                    var readonly = start(kafka, security, "readonly", users);
                    var groupless = start(kafka, security, "groupless", users)) {
                CutoverScript.of("c-shop-1", "shop", Instant.now()).started(false).step(15, "STOP_TRAFFIC", true)
                        .lines().forEach(line -> probe.send(line.message()));
                var olivia = Session.logIn(console, "olivia", OLIVIAS_PASSWORD);
                var oliviaOnReadonly = Session.logIn(readonly, "olivia", OLIVIAS_PASSWORD);
                await().atMost(WAIT).until(() -> olivia.get("/cutovers/c-shop-1/replay").statusCode() == 200
                        && oliviaOnReadonly.get("/cutovers/c-shop-1/replay").statusCode() == 200);

                var refused = oliviaOnReadonly.post("/cutovers/c-shop-1/abort", """
                        {"reason": "written by a user that may not", "confirm": "shop"}""");
                var abort = olivia.post("/cutovers/c-shop-1/abort", """
                        {"reason": "the shop team asked to wait", "confirm": "shop"}""");

                assertThat(refused.statusCode()).as(refused.body()).isEqualTo(503);
                assertThat(JsonPath.<String>read(refused.body(), "$.message")).contains("cutover.commands",
                        "KafkaAccess.forService(\"console\", user)");
                assertThat(abort.statusCode()).as(abort.body()).isEqualTo(202);
                // The same key, so the same partition: a refused abort written after all would come first.
                var written = probe.await(AbortCutover.class,
                        command -> "c-shop-1".equals(command.getMetadata().getCutoverId()), WAIT);
                assertThat(written.getReason()).isEqualTo("the shop team asked to wait");
                assertThat(written.getOperator()).isEqualTo("olivia");
                assertThat(written.getMetadata().getProducer()).isEqualTo("console");
                assertThat(feed(console).health().getStatus()).isEqualTo(Status.UP);

                await().atMost(WAIT).until(() -> feed(groupless).health().getStatus().equals(Status.DOWN));
                assertThat(feed(groupless).health().getDetails().get("stopped reading")).asString()
                        .contains("GroupAuthorizationException");
            }
        }
    }

    private ConfigurableApplicationContext start(KafkaProcess kafka, KafkaSecurity security, String user, Path users)
            throws Exception {
        Path password = Files.writeString(files.resolve(user + "-kafka-password"), security.password(user));
        // Arguments outrank the system property an in-JVM test broker started earlier sets for its address.
        return new SpringApplicationBuilder(ConsoleApplication.class).run(
                "--spring.kafka.bootstrap-servers=" + kafka.bootstrapServers(),
                "--server.port=0",
                "--cutover.console.users-file=" + users,
                "--cutover.kafka.sasl.username=" + user,
                "--cutover.kafka.sasl.password-secret=file:" + password);
    }

    private static HealthIndicator feed(ConfigurableApplicationContext console) {
        return console.getBean("feed", HealthIndicator.class);
    }

    /** A browser's session without the browser: the login form, its cookie, and the CSRF token the page sends. */
    private record Session(HttpClient http, String base, String csrfHeader, String csrfToken) {

        private static final Pattern FORM_TOKEN = Pattern.compile("name=\"_csrf\" type=\"hidden\" value=\"([^\"]+)\"");

        static Session logIn(ConfigurableApplicationContext console, String user, String password) throws Exception {
            var http = HttpClient.newBuilder().cookieHandler(new CookieManager()).build();
            var base = "http://localhost:" + console.getEnvironment().getProperty("local.server.port");
            var form = http.send(HttpRequest.newBuilder(URI.create(base + "/login")).GET().build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            var token = FORM_TOKEN.matcher(form);
            assertThat(token.find()).as("the login form's CSRF token in %s", form).isTrue();
            var loggedIn = http.send(HttpRequest.newBuilder(URI.create(base + "/login"))
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString("username=" + encode(user) + "&password="
                            + encode(password) + "&_csrf=" + encode(token.group(1))))
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertThat(loggedIn.headers().firstValue("Location")).as("logged in").hasValue(base + "/");
            var me = http.send(HttpRequest.newBuilder(URI.create(base + "/me")).GET().build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            return new Session(http, base, JsonPath.read(me, "$.csrf.header"), JsonPath.read(me, "$.csrf.token"));
        }

        HttpResponse<String> get(String path) throws Exception {
            return http.send(HttpRequest.newBuilder(URI.create(base + path)).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
        }

        HttpResponse<String> post(String path, String json) throws Exception {
            return http.send(HttpRequest.newBuilder(URI.create(base + path)).header("Content-Type", "application/json")
                    .header(csrfHeader, csrfToken).POST(HttpRequest.BodyPublishers.ofString(json)).build(),
                    HttpResponse.BodyHandlers.ofString());
        }

        private static String encode(String value) {
            return URLEncoder.encode(value, StandardCharsets.UTF_8);
        }
    }
}
