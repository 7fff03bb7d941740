package dev.cutover.dns.pgbouncer;

import dev.cutover.stack.LocalStack;
import dev.cutover.stack.PgBouncerServer;
import dev.cutover.stack.Postgres;
import dev.cutover.stack.StackOptions;
import dev.cutover.stack.StackPart;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The local stack's source and target PostgreSQL (one pair per test JVM), each with a database whose one row says
 * which server it is, and real PgBouncers in front of it whose entry {@link #ENTRY} points at the source.
 */
final class PgBouncerFixture implements AutoCloseable {

    static final String ENTRY = "app";
    static final String ADMIN_PASSWORD = "switch-admin";
    private static final String APPLICATION_PASSWORD = "application";
    private static LocalStack stack;

    final String database = "pgb_" + Long.toHexString(ThreadLocalRandom.current().nextLong() >>> 16);
    /** The application's role, which the fence makes NOLOGIN; roles belong to the server, so one per fixture. */
    private final String application = database + "_app";
    final ServerAddress source;
    final ServerAddress target;
    final List<PgBouncerServer> pgbouncers = new ArrayList<>();

    private PgBouncerFixture(int instances) {
        LocalStack servers = servers();
        source = prepare(servers.source(), "source");
        target = prepare(servers.target(), "target");
        for (int i = 0; i < instances; i++) {
            // PgBouncer's own server_login_retry: the switch must not depend on the stack's shorter one.
            pgbouncers.add(PgBouncerServer.start(PgBouncerServer.Options.of()
                    .withServerLoginRetry(PgBouncerServer.PGBOUNCER_DEFAULT_LOGIN_RETRY)
                    .withAdminPassword(ADMIN_PASSWORD)
                    .withUser(servers.source().superuser(), servers.source().password())
                    .withUser(application, APPLICATION_PASSWORD)
                    .withDatabase(ENTRY, "host=" + source.host() + " port=" + source.port() + " dbname=" + database)));
        }
    }

    static PgBouncerFixture withInstances(int instances) {
        return new PgBouncerFixture(instances);
    }

    private static synchronized LocalStack servers() {
        if (stack == null) {
            stack = LocalStack.start(StackOptions.defaults().withParts(StackPart.SOURCE, StackPart.TARGET));
            Runtime.getRuntime().addShutdownHook(new Thread(stack::close));
        }
        return stack;
    }

    private ServerAddress prepare(Postgres server, String name) {
        server.createDatabase(database);
        try (Connection connection = server.connect(database); Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE server (name text)");
            statement.execute("INSERT INTO server VALUES ('" + name + "')");
            statement.execute("CREATE ROLE " + application + " LOGIN PASSWORD '" + APPLICATION_PASSWORD + "'");
            statement.execute("GRANT SELECT ON server TO " + application);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot prepare " + database + " on " + server, e);
        }
        return new ServerAddress(server.host(), server.port());
    }

    PgBouncerInstance instance(int index) {
        PgBouncerServer pgbouncer = pgbouncers.get(index);
        return new PgBouncerInstance(new ServerAddress(pgbouncer.host(), pgbouncer.port()), pgbouncer.databasesFile());
    }

    PgBouncerSettings settings(List<PgBouncerInstance> instances, Duration pauseTimeout, Duration maxPause) {
        return new PgBouncerSettings(PgBouncerServer.ADMIN_USER, ADMIN_PASSWORD, Duration.ofSeconds(2), pauseTimeout,
                maxPause, Map.of(database, new PgBouncerPool(ENTRY, instances)));
    }

    /** An application's connection through one PgBouncer, in transaction pooling, so nothing is prepared. */
    Connection client(int index) throws SQLException {
        return client(index, Duration.ZERO);
    }

    /** The same, giving up on any read after {@code socketTimeout} (zero: never), as an application's driver would. */
    Connection client(int index, Duration socketTimeout) throws SQLException {
        return connect(index, stack.source().superuser(), stack.source().password(), socketTimeout);
    }

    /** A connection as the application's role, which {@link #lockSource} locks out. */
    Connection applicationClient(int index, Duration socketTimeout) throws SQLException {
        return connect(index, application, APPLICATION_PASSWORD, socketTimeout);
    }

    private Connection connect(int index, String user, String password, Duration socketTimeout) throws SQLException {
        Properties properties = new Properties();
        properties.setProperty("socketTimeout", Long.toString(socketTimeout.toSeconds()));
        properties.setProperty("user", user);
        properties.setProperty("password", password);
        properties.setProperty("preferQueryMode", "simple");
        return DriverManager.getConnection(pgbouncers.get(index).jdbcUrl(ENTRY), properties);
    }

    /** What the fence's StopTraffic does to the source: the role may not log in, and its sessions end. */
    void lockSource() {
        onSource("ALTER ROLE " + application + " NOLOGIN",
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = '" + application + "'");
    }

    /** What the fence's RestoreSource does. */
    void restoreSource() {
        onSource("ALTER ROLE " + application + " LOGIN");
    }

    private void onSource(String... statements) {
        try (Connection connection = stack.source().connect(database); Statement statement = connection.createStatement()) {
            for (String sql : statements) {
                statement.execute(sql);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot change " + application + " on the source", e);
        }
    }

    /** Which server answers the client's next statement. */
    static String serverOf(Connection client) throws SQLException {
        try (Statement statement = client.createStatement(); ResultSet row = statement.executeQuery("SELECT name FROM server")) {
            row.next();
            return row.getString(1);
        }
    }

    /** SHOW DATABASES on one PgBouncer, as the operator would look. */
    AdminConsole.Entry entry(int index) throws SQLException {
        try (AdminConsole console = AdminConsole.open(instance(index), PgBouncerServer.ADMIN_USER, ADMIN_PASSWORD, Duration.ofSeconds(2))) {
            return console.entry(ENTRY).orElseThrow();
        }
    }

    /** Clients of the entry waiting for a server connection on one PgBouncer (SHOW POOLS' cl_waiting). */
    int waitingClients(int index) throws SQLException {
        return poolSum(index, "cl_waiting");
    }

    /** Clients of the entry on one PgBouncer, logged in or waiting for it (SHOW POOLS' cl_active and cl_waiting). */
    int clients(int index) throws SQLException {
        return poolSum(index, "cl_active") + poolSum(index, "cl_waiting");
    }

    private int poolSum(int index, String column) throws SQLException {
        try (AdminConsole console = AdminConsole.open(instance(index), PgBouncerServer.ADMIN_USER, ADMIN_PASSWORD, Duration.ofSeconds(2))) {
            return console.query("SHOW POOLS").stream()
                    .filter(pool -> ENTRY.equals(pool.get("database")))
                    .mapToInt(pool -> Integer.parseInt(pool.get(column)))
                    .sum();
        }
    }

    @Override
    public void close() {
        pgbouncers.forEach(PgBouncerServer::close);
    }
}
