package dev.cutover.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.security.KeyStore;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Properties;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;

import dev.cutover.stack.LocalStack;
import dev.cutover.stack.Postgres;

/**
 * The target speaks TLS with a certificate for the database's name only: the pool, sent to the target's address,
 * still verifies the certificate against the name ({@code sslmode=verify-full}), where a connection made to the address
 * is refused.
 */
@ExtendWith(SandboxStack.class)
class TargetTlsIntegrationTest {

    private static final Duration PATIENCE = Duration.ofSeconds(30);
    private static final String CERTIFICATE = "client-test-server.crt";
    private static final String KEY = "client-test-server.key";

    private final LocalStack stack;

    TargetTlsIntegrationTest(LocalStack stack) {
        this.stack = stack;
    }

    @AfterEach
    void plainTarget() throws SQLException {
        try (Connection admin = stack.target().connect(SandboxStack.DATABASE); Statement statement = admin.createStatement()) {
            statement.execute("alter system reset ssl");
            statement.execute("alter system reset ssl_cert_file");
            statement.execute("alter system reset ssl_key_file");
            statement.execute("select pg_reload_conf()");
        }
    }

    @Test
    void onTheTargetsAddressTheCertificateIsStillCheckedAgainstTheDatabasesName(@TempDir Path scratch) throws Exception {
        Path certificate = serveTlsAs(stack.target(), SandboxStack.DATABASE_HOST, scratch);
        Properties verifyFull = new Properties();
        verifyFull.setProperty("sslmode", "verify-full");
        verifyFull.setProperty("sslrootcert", certificate.toString());

        Properties byAddress = new Properties(verifyFull);
        byAddress.setProperty("user", stack.target().superuser());
        byAddress.setProperty("password", stack.target().password());
        assertThatThrownBy(() -> DriverManager.getConnection(stack.target().jdbcUrl(SandboxStack.DATABASE), byAddress).close())
                .hasMessageContaining("hostname " + stack.target().host() + " could not be verified");

        try (CutoverClient client = CutoverClient.start(ClientSettings.of(stack.kafkaBootstrapServers(), "tls"));
                Saga saga = new Saga(stack.kafkaBootstrapServers(), "tls")) {
            assertThat(client.awaitFollowing(PATIENCE)).isTrue();
            saga.dnsFlipped(stack.source().host(), stack.target().host());
            saga.targetOpened();
            await().atMost(PATIENCE).until(() -> client.route() instanceof Route.OnTarget);

            try (HikariDataSource pool = client.follow(config(verifyFull)); Connection connection = pool.getConnection()) {
                assertThat(Servers.serverAddress(connection)).isEqualTo(stack.target().host());
                assertThat(usesTls(connection)).isTrue();
            }
        }
    }

    private HikariConfig config(Properties driver) {
        HikariConfig config = new HikariConfig();
        config.setPoolName("tls");
        config.setJdbcUrl("jdbc:postgresql://" + SandboxStack.DATABASE_HOST + ":" + stack.target().port() + "/" + SandboxStack.DATABASE);
        config.setUsername(stack.target().superuser());
        config.setPassword(stack.target().password());
        config.setMaximumPoolSize(1);
        driver.stringPropertyNames().forEach(name -> config.addDataSourceProperty(name, driver.getProperty(name)));
        return config;
    }

    /** A self-signed certificate for {@code name} in the server's data directory, and TLS turned on; returns the certificate. */
    private static Path serveTlsAs(Postgres server, String name, Path scratch) throws Exception {
        Path store = scratch.resolve("server.p12");
        char[] secret = "cutover".toCharArray();
        Process keytool = new ProcessBuilder(List.of(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair", "-keystore", store.toString(), "-storetype", "PKCS12", "-storepass", new String(secret),
                "-alias", "server", "-keyalg", "RSA", "-keysize", "2048", "-validity", "1",
                "-dname", "CN=" + name, "-ext", "SAN=dns:" + name))
                .redirectErrorStream(true).start();
        String output = new String(keytool.getInputStream().readAllBytes());
        assertThat(keytool.waitFor()).as("keytool: %s", output).isZero();
        KeyStore keys = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(store)) {
            keys.load(in, secret);
        }
        Path key = scratch.resolve(KEY);
        Path certificate = scratch.resolve(CERTIFICATE);
        Files.writeString(key, pem("PRIVATE KEY", keys.getKey("server", secret).getEncoded()));
        Files.writeString(certificate, pem("CERTIFICATE", keys.getCertificate("server").getEncoded()));

        try (Connection admin = server.connect(SandboxStack.DATABASE); Statement statement = admin.createStatement()) {
            Path dataDirectory = Path.of(Servers.single(admin, "show data_directory"));
            install(certificate, dataDirectory.resolve(CERTIFICATE));
            install(key, dataDirectory.resolve(KEY));
            statement.execute("alter system set ssl_cert_file = '" + CERTIFICATE + "'");
            statement.execute("alter system set ssl_key_file = '" + KEY + "'");
            statement.execute("alter system set ssl = on");
            statement.execute("select pg_reload_conf()");
        }
        return certificate;
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }

    /** PostgreSQL reads its key only when its own user owns it and no one else may read it. */
    private static void install(Path file, Path into) throws IOException {
        Files.copy(file, into);
        Files.setPosixFilePermissions(into, PosixFilePermissions.fromString("rw-------"));
        UserPrincipal owner = Files.getOwner(into.getParent());
        Files.setOwner(into, owner);
    }

    private static boolean usesTls(Connection connection) throws SQLException {
        return Boolean.parseBoolean(Servers.single(connection, "select ssl::text from pg_stat_ssl where pid = pg_backend_pid()"));
    }
}
