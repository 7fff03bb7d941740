package dev.cutover.sandbox.client;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import dev.cutover.stack.BindServer;
import dev.cutover.stack.DnsServer;
import dev.cutover.stack.LocalStack;
import dev.cutover.stack.Postgres;
import org.postgresql.PGConnection;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.TSIG;
import org.xbill.DNS.Type;
import org.xbill.DNS.Update;

/**
 * What the client's tests do to the stack by hand, standing in for the services: give each test its own DNS name,
 * database and application role, fence the source, copy the rows, set the sequence, flip the name.
 */
public final class ClientFixture {

    /** One second, the TTL the cutover lowers the name to before a flip. */
    public static final int RECORD_TTL_SECONDS = 1;
    public static final String PASSWORD = "rehearsal";

    private final LocalStack stack;
    private final String name;

    /**
     * A fixture whose database, role ({@code app_<name>}) and DNS name ({@code <name>.<zone>}) all carry
     * {@code name}, so that test classes on one stack stay apart.
     */
    public ClientFixture(LocalStack stack, String name) {
        this.stack = stack;
        this.name = name;
    }

    public String database() {
        return name;
    }

    public String role() {
        return "app_" + name;
    }

    /** The DNS name without the final dot, as an application would write it in its JDBC URL. */
    public String host() {
        String absolute = name + "." + stack.dns().zone();
        return absolute.substring(0, absolute.length() - 1);
    }

    /** The client's settings for this fixture: seed defaults, the stack's BIND as the JVM's only DNS server. */
    public ClientSettings settings() {
        DnsServer dns = stack.dns();
        return ClientSettings.defaults(host(), stack.source().port(), database(), role(), PASSWORD)
                .withAddresses(stack.source().host(), stack.target().host())
                .withDns(new InetSocketAddress(dns.host(), dns.port()), Duration.ofSeconds(1));
    }

    /** The role on the server, its database and the client's table in it (empty), writable by the role. */
    public void prepare(Postgres server) throws SQLException {
        try (Connection admin = server.connect("postgres"); Statement statement = admin.createStatement()) {
            statement.execute("CREATE ROLE " + role() + " LOGIN PASSWORD '" + PASSWORD + "'");
        }
        server.createDatabase(database());
        try (Connection connection = server.connect(database())) {
            NotificationsSchema.create(connection);
            NotificationsSchema.grantWritesTo(connection, role());
        }
    }

    /** Points the fixture's DNS name at {@code address}, signed with the stack's TSIG key. */
    public void pointNameAt(String address) throws IOException {
        DnsServer dns = stack.dns();
        Update update = new Update(Name.fromString(dns.zone()));
        update.replace(Name.fromString(host() + "."), Type.A, RECORD_TTL_SECONDS, address);
        SimpleResolver resolver = new SimpleResolver(new InetSocketAddress(InetAddress.getByName(dns.host()), dns.port()));
        resolver.setTimeout(Duration.ofSeconds(5));
        resolver.setTSIGKey(new TSIG(dns.tsigAlgorithm(), dns.tsigKeyName(), dns.tsigSecret()));
        Message response = resolver.send(update);
        if (response.getRcode() != Rcode.NOERROR) {
            throw new IOException("BIND refused to point " + host() + " at " + address + ": "
                    + Rcode.string(response.getRcode()) + namedOutput(dns));
        }
    }

    /** The end of named's own output, which says why it refused an update; empty for a DNS server of another kind. */
    private static String namedOutput(DnsServer dns) {
        if (!(dns instanceof BindServer bind)) {
            return "";
        }
        try {
            List<String> lines = Files.readAllLines(bind.logFile());
            return "; named's output ends:\n" + String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
        } catch (IOException e) {
            return "; named's output could not be read: " + e.getMessage();
        }
    }

    /** Locks the role out of the server and ends its sessions, as the cutover's fence does. */
    public void lockOutAndTerminate(Postgres server) throws SQLException {
        try (Connection admin = server.connect("postgres"); Statement statement = admin.createStatement()) {
            statement.execute("ALTER ROLE " + role() + " NOLOGIN");
        }
        terminateSessions(server);
    }

    /** Ends the role's sessions on the server; the role may log in again. */
    public void terminateSessions(Postgres server) throws SQLException {
        try (Connection admin = server.connect("postgres");
                PreparedStatement terminate = admin.prepareStatement(
                        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = ? AND pid <> pg_backend_pid()")) {
            terminate.setString(1, role());
            terminate.executeQuery().close();
        }
    }

    public long sessions(Postgres server) throws SQLException {
        try (Connection admin = server.connect("postgres");
                PreparedStatement count = admin.prepareStatement("SELECT count(*) FROM pg_stat_activity WHERE usename = ?")) {
            count.setString(1, role());
            try (ResultSet rows = count.executeQuery()) {
                rows.next();
                return rows.getLong(1);
            }
        }
    }

    /** Copies every row of the client's table from one server to the other, whose table must be empty. */
    public void copyRows(Postgres from, Postgres to) throws SQLException, IOException {
        String columns = "notifications (id, service_id, template_id, status, created_at, updated_at)";
        ByteArrayOutputStream rows = new ByteArrayOutputStream();
        try (Connection source = from.connect(database())) {
            source.unwrap(PGConnection.class).getCopyAPI().copyOut("COPY " + columns + " TO STDOUT", rows);
        }
        try (Connection target = to.connect(database())) {
            target.unwrap(PGConnection.class).getCopyAPI().copyIn("COPY " + columns + " FROM STDIN", new ByteArrayInputStream(rows.toByteArray()));
        }
    }

    /** Sets the target's id sequence to where the source's is, as the cutover's sequence sync does. */
    public void syncSequence(Postgres from, Postgres to) throws SQLException {
        long lastValue;
        boolean called;
        try (Connection source = from.connect(database());
                Statement statement = source.createStatement();
                ResultSet sequence = statement.executeQuery("SELECT last_value, is_called FROM notifications_id_seq")) {
            sequence.next();
            lastValue = sequence.getLong(1);
            called = sequence.getBoolean(2);
        }
        try (Connection target = to.connect(database());
                PreparedStatement setval = target.prepareStatement("SELECT setval('notifications_id_seq', ?, ?)")) {
            setval.setLong(1, lastValue);
            setval.setBoolean(2, called);
            setval.executeQuery().close();
        }
    }
}
