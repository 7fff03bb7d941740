package dev.cutover.stack;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real PgBouncer on a loopback address, in transaction pooling, with an admin console user
 * {@link #ADMIN_USER} and its {@code [databases]} entries in a file of their own
 * ({@link #databasesFile()}, included by the main configuration), the file a traffic switch
 * rewrites before {@code RELOAD}. PgBouncer refuses to run as root; as root it runs as the
 * {@code postgres} user, like PostgreSQL.
 */
public final class PgBouncerServer implements AutoCloseable {

    /** Path of the {@code pgbouncer} executable, if it is not on the PATH or in /usr/sbin: {@code -Dcutover.pgbouncer=...}. */
    public static final String PGBOUNCER_PROPERTY = "cutover.pgbouncer";
    public static final String ADMIN_USER = "cutover_admin";
    /** The name of the admin console's virtual database. */
    public static final String ADMIN_DATABASE = "pgbouncer";

    private static final Logger log = LoggerFactory.getLogger(PgBouncerServer.class);
    private static final Duration START_TIMEOUT = Duration.ofSeconds(30);
    /**
     * The stack's {@code server_login_retry}. PgBouncer's default, 15 s, holds every client of a pool whose server
     * login failed once, for that long, even after the server accepts logins again; half a second bounds that.
     */
    public static final Duration SERVER_LOGIN_RETRY = Duration.ofMillis(500);
    /** PgBouncer's own {@code server_login_retry}, for tests that must show they do not depend on a shorter one. */
    public static final Duration PGBOUNCER_DEFAULT_LOGIN_RETRY = Duration.ofSeconds(15);

    /**
     * How to run PgBouncer.
     *
     * @param host address to listen on
     * @param port 0 for a free port
     * @param databases the {@code [databases]} entries: name to connection string, e.g.
     *     {@code app -> host=127.0.0.1 port=5432 dbname=app}
     * @param users who may connect, name to password; PgBouncer logs in to PostgreSQL with the same password
     * @param adminPassword the password of {@link #ADMIN_USER}
     * @param serverLoginRetry how long PgBouncer waits after a failed server login before the next
     *     ({@code server_login_retry}; {@link #SERVER_LOGIN_RETRY} unless told)
     */
    public record Options(String host, int port, Map<String, String> databases, Map<String, String> users,
            String adminPassword, Duration serverLoginRetry) {

        public Options {
            Objects.requireNonNull(host, "host");
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("port must be 0 (a free port) or 1..65535, but is " + port);
            }
            databases = Map.copyOf(databases);
            users = Map.copyOf(users);
            if (serverLoginRetry == null || serverLoginRetry.isNegative() || serverLoginRetry.toMillis() < 1) {
                throw new IllegalArgumentException("serverLoginRetry must be at least 1 ms, but is " + serverLoginRetry);
            }
            if (!Objects.requireNonNull(adminPassword, "adminPassword").matches("[A-Za-z0-9._-]+")
                    || !users.entrySet().stream().allMatch(user -> (user.getKey() + user.getValue()).matches("[A-Za-z0-9._-]+"))) {
                throw new IllegalArgumentException("user names and passwords may hold letters, digits, '-', '_' and '.' only,"
                        + " so that they fit in PgBouncer's auth_file unquoted");
            }
        }

        /** No databases and no users yet, on 127.0.0.1 at a free port, with a random admin password. */
        public static Options of() {
            return new Options("127.0.0.1", 0, Map.of(), Map.of(), HexFormat.of().formatHex(new SecureRandom().generateSeed(12)),
                    SERVER_LOGIN_RETRY);
        }

        public Options withDatabase(String name, String connectionString) {
            var more = new TreeMap<>(databases);
            more.put(name, connectionString);
            return new Options(host, port, more, users, adminPassword, serverLoginRetry);
        }

        public Options withUser(String name, String password) {
            var more = new TreeMap<>(users);
            more.put(name, password);
            return new Options(host, port, databases, more, adminPassword, serverLoginRetry);
        }

        /** The same admin password on several PgBouncers, as a switch that manages them all is given one. */
        public Options withAdminPassword(String password) {
            return new Options(host, port, databases, users, password, serverLoginRetry);
        }

        /** Another {@code server_login_retry}, e.g. PgBouncer's own default ({@link #PGBOUNCER_DEFAULT_LOGIN_RETRY}). */
        public Options withServerLoginRetry(Duration retry) {
            return new Options(host, port, databases, users, adminPassword, retry);
        }
    }

    private final Options options;
    private final Path executable;
    private final Path directory;
    private Process process;
    private int port;
    private boolean closed;

    private PgBouncerServer(Options options, Path executable, Path directory) {
        this.options = options;
        this.executable = executable;
        this.directory = directory;
    }

    /** Starts {@code pgbouncer}; fails with a message saying what to do (install it, free the port). */
    public static PgBouncerServer start(Options options) {
        return start(options, Os.findExecutable("pgbouncer", PGBOUNCER_PROPERTY, List.of("/usr/sbin", "/usr/local/sbin", "/usr/local/bin")));
    }

    static PgBouncerServer start(Options options, Optional<Path> installed) {
        long started = System.nanoTime();
        Path executable = installed
                .orElseThrow(() -> new StackException("PgBouncer is not installed: no `pgbouncer` on the PATH or in /usr/sbin"
                        + (System.getProperty(PGBOUNCER_PROPERTY) == null ? "" : " (nor at -D" + PGBOUNCER_PROPERTY + "=" + System.getProperty(PGBOUNCER_PROPERTY) + ")")
                        + ". Install it with `apt-get install pgbouncer` (Debian/Ubuntu), or point -D" + PGBOUNCER_PROPERTY + " at it."));
        Path directory = Os.createWorkDirectory("pgbouncer");
        PgBouncerServer server = new PgBouncerServer(options, executable, directory);
        Reaper.register(server);
        try {
            Os.checkReachableByPostgresUser(directory);
            Os.checkCanRunAsPostgresUser(directory);
            Ports.launchOnFreePort(options.port(), () -> Ports.freeTcpPort(options.host()), server::launch,
                    "port {} was taken before PgBouncer bound it; trying another");
        } catch (RuntimeException e) {
            server.close();
            throw e;
        }
        log.info("PgBouncer ready on {}:{} in {} ms", options.host(), server.port,
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
        return server;
    }

    private synchronized void launch(int candidate) {
        if (!Ports.tcpFree(options.host(), candidate)) {
            throw new PortTakenException("PgBouncer", options.host(), candidate);
        }
        try {
            Files.writeString(configFile(), configuration(candidate));
            Files.writeString(databasesFile(), databasesText(options.databases()));
            StringBuilder users = new StringBuilder("\"" + ADMIN_USER + "\" \"" + options.adminPassword() + "\"\n");
            options.users().forEach((user, password) -> users.append('"').append(user).append("\" \"").append(password).append("\"\n"));
            Files.writeString(directory.resolve("users.txt"), users);
            Files.deleteIfExists(logFile());
            Os.giveToPostgresUser(directory);
            process = new ProcessBuilder(Os.asPostgresUser(List.of(executable.toString(), configFile().toString())))
                    .directory(directory.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(directory.resolve("stderr.log").toFile())
                    .start();
        } catch (IOException e) {
            throw new StackException("cannot start " + executable + " in " + directory + ": " + e.getMessage(), e);
        }
        port = candidate;
        awaitRunning();
    }

    private void awaitRunning() {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            String output = Os.read(logFile());
            if (output.contains("Address already in use")) {
                stopProcess();
                throw new PortTakenException("PgBouncer", options.host(), port);
            }
            if (!process.isAlive()) {
                throw new StackException("pgbouncer exited with code " + process.exitValue() + " at start-up. Its output:\n"
                        + Os.tail(logFile(), 20) + "\n" + Os.tail(directory.resolve("stderr.log"), 20));
            }
            if (output.contains("process up")) {
                return;
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new StackException("interrupted while waiting for pgbouncer", e);
            }
        }
        stopProcess();
        throw new StackException("pgbouncer did not finish starting within " + START_TIMEOUT.toSeconds() + " s. Its log ("
                + logFile() + "):\n" + Os.tail(logFile(), 20));
    }

    private String configuration(int listenPort) {
        return """
                ; Written by cutover's local stack. The entries live in their own file, which a traffic switch rewrites.
                [databases]
                %%include %1$s

                [pgbouncer]
                listen_addr = %2$s
                listen_port = %3$d
                unix_socket_dir =
                auth_type = scram-sha-256
                auth_file = %4$s
                admin_users = %5$s
                pool_mode = transaction
                ; JDBC clients send it at start-up; PgBouncer would refuse them otherwise.
                ignore_startup_parameters = extra_float_digits
                ; PgBouncer's 15 s would hold every client of a pool whose one server login failed.
                server_login_retry = %8$s
                logfile = %6$s
                pidfile = %7$s
                """.formatted(databasesFile(), options.host(), listenPort, directory.resolve("users.txt"), ADMIN_USER,
                logFile(), directory.resolve("pgbouncer.pid"), seconds(options.serverLoginRetry()));
    }

    /** A duration as PgBouncer reads it: seconds, with a fraction. */
    private static String seconds(Duration duration) {
        return new BigDecimal(duration.toMillis()).movePointLeft(3).stripTrailingZeros().toPlainString();
    }

    /** The text of a {@code [databases]} file with these entries, name to connection string. */
    public static String databasesText(Map<String, String> databases) {
        StringBuilder text = new StringBuilder("[databases]\n");
        new TreeMap<>(databases).forEach((name, connection) -> text.append(name).append(" = ").append(connection).append('\n'));
        return text.toString();
    }

    public String host() {
        return options.host();
    }

    public synchronized int port() {
        return port;
    }

    public String adminUser() {
        return ADMIN_USER;
    }

    /** The password of {@link #ADMIN_USER}. */
    public String adminPassword() {
        return options.adminPassword();
    }

    /** {@code jdbc:postgresql://host:port/database} through this PgBouncer. */
    public String jdbcUrl(String database) {
        return "jdbc:postgresql://" + host() + ":" + port() + "/" + database;
    }

    /** The file holding the {@code [databases]} entries, included by {@link #configFile()}. */
    public Path databasesFile() {
        return directory.resolve("databases.ini");
    }

    public Path configFile() {
        return directory.resolve("pgbouncer.ini");
    }

    /** PgBouncer's log, worth reading when a switch is refused. */
    public Path logFile() {
        return directory.resolve("pgbouncer.log");
    }

    private void stopProcess() {
        // SIGTERM is PgBouncer's immediate shutdown (SIGINT would wait for clients, paused ones forever).
        Os.terminate(process, "pgbouncer", Duration.ofSeconds(10));
    }

    /** Stops pgbouncer and deletes its directory; does nothing the second time. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            stopProcess();
        } finally {
            Reaper.unregister(this);
            Os.deleteRecursively(directory);
        }
    }

    @Override
    public String toString() {
        return "PgBouncer on " + options.host() + ":" + port;
    }
}
