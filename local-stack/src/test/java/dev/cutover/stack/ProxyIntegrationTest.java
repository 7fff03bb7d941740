package dev.cutover.stack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetAddress;
import java.net.SocketTimeoutException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Properties;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.Type;

/**
 * The proxies that cut a server off in the fault matrix: black-holed, they drop what passes (a client waits until its
 * own timeout, nothing is refused); restored, what a connection sends passes again.
 */
@ExtendWith(SharedStackExtension.class)
class ProxyIntegrationTest {

    @Test
    void aBlackHoledTcpProxyMakesPostgresClientsTimeOutInsteadOfBeingRefusedAndLetsThemThroughOnceRestored(LocalStack stack)
            throws SQLException {
        Postgres source = stack.source();
        try (TcpProxy proxy = TcpProxy.start(source.host(), source.host(), source.port())) {
            String url = "jdbc:postgresql://" + proxy.host() + ":" + proxy.port() + "/postgres";
            try (Connection before = connect(url, source)) {
                assertThat(answer(before, 1)).isEqualTo(1);

                proxy.blackHole();

                assertThatThrownBy(() -> answer(before, 2)).isInstanceOf(SQLException.class)
                        .hasRootCauseInstanceOf(SocketTimeoutException.class);
                assertThatThrownBy(() -> connect(url, source)).isInstanceOf(SQLException.class)
                        .hasMessageNotContaining("refused");
            }

            proxy.restore();

            try (Connection after = connect(url, source)) {
                assertThat(answer(after, 3)).isEqualTo(3);
            }
        }
    }

    @Test
    void aBlackHoledUdpProxyDropsDnsQueriesAndAnswersThemAgainOnceRestored(LocalStack stack) throws IOException {
        DnsServer dns = stack.dns();
        try (UdpProxy proxy = UdpProxy.start(dns.host(), dns.host(), dns.port())) {
            SimpleResolver resolver = new SimpleResolver(InetAddress.getByName(proxy.host()));
            resolver.setPort(proxy.port());
            resolver.setTimeout(Duration.ofSeconds(1));
            Message query = Message.newQuery(Record.newRecord(Name.fromString(dns.databaseName()), Type.A, DClass.IN));
            assertThat(Rcode.string(resolver.send(query).getRcode())).isEqualTo("NOERROR");

            proxy.blackHole();

            assertThatThrownBy(() -> resolver.send(query)).isInstanceOf(IOException.class)
                    .hasMessageNotContaining("refused");

            proxy.restore();

            assertThat(Rcode.string(resolver.send(query).getRcode())).isEqualTo("NOERROR");
        }
    }

    /** A client that gives up after a second of silence, as a service's own timeouts would. */
    private static Connection connect(String url, Postgres server) throws SQLException {
        Properties properties = new Properties();
        properties.setProperty("user", server.superuser());
        properties.setProperty("password", server.password());
        properties.setProperty("socketTimeout", "1");
        properties.setProperty("loginTimeout", "1");
        return DriverManager.getConnection(url, properties);
    }

    private static int answer(Connection connection, int value) throws SQLException {
        try (Statement statement = connection.createStatement(); ResultSet result = statement.executeQuery("SELECT " + value)) {
            result.next();
            return result.getInt(1);
        }
    }
}
