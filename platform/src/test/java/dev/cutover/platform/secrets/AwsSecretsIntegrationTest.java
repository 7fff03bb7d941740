package dev.cutover.platform.secrets;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.stubbing.Scenario;

import dev.cutover.platform.database.Endpoint;
import dev.cutover.stack.LocalStack;
import dev.cutover.stack.SharedStackExtension;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

/**
 * Database passwords kept in AWS Secrets Manager, against WireMock speaking its JSON protocol (AWS itself cannot be
 * reached from here: the real request and response bodies), and a real PostgreSQL login with what it returns.
 */
@ExtendWith(SharedStackExtension.class)
class AwsSecretsIntegrationTest {

    private static final String TARGET_HEADER = "X-Amz-Target";
    private static final String GET_SECRET_VALUE = "secretsmanager.GetSecretValue";
    private static final String SECRET_ID = "prod/notify/source";

    private final WireMockServer secretsManager = new WireMockServer(options().dynamicPort());
    private Secrets secrets;

    @BeforeEach
    void start() {
        secretsManager.start();
        secrets = new Secrets(Optional.of("eu-west-2"), Optional.of(URI.create(secretsManager.baseUrl())),
                Duration.ofMinutes(5), name -> null, Clock.systemUTC(),
                Optional.of(StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDEXAMPLE", "example"))));
        Secrets.configure(secrets);
    }

    @AfterEach
    void stop() {
        Secrets.configure(new Secrets(Optional.empty(), Optional.empty(), Duration.ofMinutes(5), System::getenv,
                Clock.systemUTC(), Optional.empty()));
        secretsManager.stop();
    }

    @Test
    void theFieldOfAnRdsStyleSecretLogsInToPostgresAndIsAskedForOnceWhileCached(LocalStack stack) throws SQLException {
        String password = "pw-" + UUID.randomUUID();
        String role = role(stack, password);
        secretIs(rdsSecret(role, password));
        Endpoint source = new Endpoint(stack.source().host(), stack.source().port(), "postgres", role, null, null,
                "aws-secretsmanager:" + SECRET_ID + "#password");

        assertThat(currentUser(source)).isEqualTo(role);
        assertThat(currentUser(source)).isEqualTo(role);

        secretsManager.verify(1, postRequestedFor(urlEqualTo("/")).withHeader(TARGET_HEADER, equalTo(GET_SECRET_VALUE))
                .withRequestBody(containing("\"SecretId\":\"" + SECRET_ID + "\"")));
        assertThat(source.describe()).doesNotContain(password);
    }

    @Test
    void aRotatedPasswordIsReadAgainOnceALoginRefusesTheOldOne(LocalStack stack) throws SQLException {
        String rotated = "rotated-" + UUID.randomUUID();
        String role = role(stack, rotated);
        secretsManager.stubFor(post(urlEqualTo("/")).withHeader(TARGET_HEADER, equalTo(GET_SECRET_VALUE))
                .inScenario("rotation").whenScenarioStateIs(Scenario.STARTED).willSetStateTo("rotated")
                .willReturn(json(rdsSecret(role, "the-old-one"))));
        secretsManager.stubFor(post(urlEqualTo("/")).withHeader(TARGET_HEADER, equalTo(GET_SECRET_VALUE))
                .inScenario("rotation").whenScenarioStateIs("rotated").willReturn(json(rdsSecret(role, rotated))));
        Endpoint source = new Endpoint(stack.source().host(), stack.source().port(), "postgres", role, null, null,
                "aws-secretsmanager:" + SECRET_ID + "#password");

        assertThatThrownBy(() -> currentUser(source)).isInstanceOf(SQLException.class)
                .hasMessageContaining("refused the login").hasMessageNotContaining("the-old-one");
        assertThat(currentUser(source)).isEqualTo(role);
    }

    @Test
    void aSecretThatDoesNotExistSaysWhichAndWhatToCheck() {
        secretsManager.stubFor(post(urlEqualTo("/")).withHeader(TARGET_HEADER, equalTo(GET_SECRET_VALUE))
                .willReturn(aResponse().withStatus(400).withHeader("Content-Type", "application/x-amz-json-1.1")
                        .withHeader("x-amzn-ErrorType", "ResourceNotFoundException")
                        .withBody("{\"__type\":\"ResourceNotFoundException\","
                                + "\"message\":\"Secrets Manager can't find the specified secret.\"}")));

        assertThatThrownBy(() -> secrets.read("aws-secretsmanager:prod/missing#password", "password-secret"))
                .hasMessageStartingWith("the AWS Secrets Manager secret prod/missing (its field password) does not exist:"
                        + " check its name or ARN and the region (eu-west-2)");
    }

    @Test
    void aSecretThatIsNotJsonIsNotQuotedInTheMessageThatSaysSo() {
        secretIs("plain-password-value");

        assertThat(secrets.read("aws-secretsmanager:" + SECRET_ID, "password-secret")).isEqualTo("plain-password-value");
        assertThatThrownBy(() -> secrets.read("aws-secretsmanager:" + SECRET_ID + "#password", "password-secret"))
                .hasMessageContaining("is not JSON").hasMessageNotContaining("plain-password-value");
    }

    private void secretIs(String secretString) {
        secretsManager.stubFor(post(urlEqualTo("/")).withHeader(TARGET_HEADER, equalTo(GET_SECRET_VALUE))
                .willReturn(json(secretString)));
    }

    /** GetSecretValue's response, as the service's API reference shows it. */
    private static com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder json(String secretString) {
        String quoted = secretString.replace("\\", "\\\\").replace("\"", "\\\"");
        return aResponse().withStatus(200).withHeader("Content-Type", "application/x-amz-json-1.1").withBody("""
                {"ARN":"arn:aws:secretsmanager:eu-west-2:123456789012:secret:%s-AbCdEf","CreatedDate":1.523477145713E9,\
                "Name":"%s","SecretString":"%s","VersionId":"EXAMPLE1-90ab-cdef-fedc-ba987SECRET1",\
                "VersionStages":["AWSCURRENT"]}""".formatted(SECRET_ID, SECRET_ID, quoted));
    }

    /** As RDS stores a master password it manages. */
    private static String rdsSecret(String user, String password) {
        return "{\"username\":\"" + user + "\",\"password\":\"" + password + "\"}";
    }

    private static String role(LocalStack stack, String password) throws SQLException {
        String role = "secret_login_" + UUID.randomUUID().toString().substring(0, 8);
        try (Connection admin = stack.source().connect("postgres"); Statement statement = admin.createStatement()) {
            statement.execute("CREATE ROLE " + role + " LOGIN PASSWORD '" + password + "'");
        }
        return role;
    }

    private static String currentUser(Endpoint endpoint) throws SQLException {
        try (Connection connection = endpoint.connect(); Statement statement = connection.createStatement();
                ResultSet row = statement.executeQuery("SELECT current_user")) {
            row.next();
            return row.getString(1);
        }
    }
}
