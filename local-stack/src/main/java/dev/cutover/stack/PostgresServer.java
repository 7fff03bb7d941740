package dev.cutover.stack;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real PostgreSQL server of any version, run from the zonky binaries as a process: configured for
 * logical replication, superuser {@code postgres} with a password over TCP from 127.0.0.0/8.
 * When the JVM runs as root, the server runs as the {@code postgres} user.
 */
public final class PostgresServer implements Postgres, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(PostgresServer.class);
    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);

    /**
     * How to run one server.
     *
     * @param version binaries version, e.g. {@code 11.22.1} (or a bare tested major: {@code 11})
     * @param host address to listen on
     * @param port 0 for a free port
     * @param directory where data, socket and log go; {@code null} for a temporary directory deleted on close
     * @param password the superuser's password (letters, digits, {@code -}, {@code _}, {@code .})
     * @param settings extra {@code postgresql.conf} lines, name to value as written in the file (quote strings), overriding ours
     */
    public record Options(String version, String host, int port, Path directory, String password, Map<String, String> settings) {

        public static final String DEFAULT_PASSWORD = "cutover";

        public Options {
            version = PostgresBinaries.fullVersion(Objects.requireNonNull(version, "version"));
            Objects.requireNonNull(host, "host");
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("port must be 0 (a free port) or 1..65535, but is " + port);
            }
            if (!Objects.requireNonNull(password, "password").matches("[A-Za-z0-9._-]+")) {
                throw new IllegalArgumentException("the password may hold letters, digits, '-', '_' and '.' only, so that it fits in any connection string");
            }
            settings = Map.copyOf(settings);
        }

        /** That version on 127.0.0.1 at a free port, in a temporary directory. */
        public static Options of(String version) {
            return new Options(version, "127.0.0.1", 0, null, DEFAULT_PASSWORD, Map.of());
        }

        public Options withHost(String newHost) {
            return new Options(version, newHost, port, directory, password, settings);
        }

        public Options withPort(int newPort) {
            return new Options(version, host, newPort, directory, password, settings);
        }

        public Options withDirectory(Path newDirectory) {
            return new Options(version, host, port, newDirectory, password, settings);
        }

        public Options withPassword(String newPassword) {
            return new Options(version, host, port, directory, newPassword, settings);
        }

        public Options withSettings(Map<String, String> newSettings) {
            return new Options(version, host, port, directory, password, newSettings);
        }
    }

    private final Options options;
    private final Path home;
    private final Path directory;
    private final boolean ownsDirectory;
    private final Path data;
    private final Path logFile;
    private volatile int port;
    private volatile boolean running;
    private boolean closed;

    private PostgresServer(Options options, Path home, Path directory, boolean ownsDirectory) {
        this.options = options;
        this.home = home;
        this.directory = directory;
        this.ownsDirectory = ownsDirectory;
        this.data = directory.resolve("data");
        this.logFile = directory.resolve("postgres.log");
    }

    /** Installs the binaries if needed, creates a cluster and starts it; fails with a message saying what to do. */
    public static PostgresServer start(Options options) {
        long started = System.nanoTime();
        if (options.port() != 0 && !Ports.tcpFree(options.host(), options.port())) {
            throw new PortTakenException("PostgreSQL " + options.version(), options.host(), options.port());
        }
        Path home = PostgresBinaries.install(options.version());
        boolean ownsDirectory = options.directory() == null;
        Path directory = ownsDirectory ? Os.createWorkDirectory("postgres") : options.directory().toAbsolutePath();
        PostgresServer server = new PostgresServer(options, home, directory, ownsDirectory);
        Reaper.register(server);
        try {
            server.initialize();
            server.startFirstTime();
        } catch (RuntimeException e) {
            server.close();
            throw e;
        }
        log.info("PostgreSQL {} ready on {}:{} in {} ms (data in {})", options.version(), options.host(), server.port,
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started), server.data);
        return server;
    }

    private void initialize() {
        Os.createDirectories(directory);
        Os.checkReachableByPostgresUser(directory);
        Os.checkCanRunAsPostgresUser(directory);
        Path passwordFile = directory.resolve("pwfile");
        try {
            Files.createDirectories(directory.resolve("run"));
            Files.writeString(passwordFile, options.password() + "\n");
            Os.giveToPostgresUser(directory);
            Os.Result initdb = Os.run(Os.asPostgresUser(List.of(
                            bin("initdb"), "-D", data.toString(), "-U", superuser(), "--pwfile=" + passwordFile,
                            "--auth-host=scram-sha-256", "--auth-local=trust", "-E", "UTF8", "--locale=C", "-N")),
                    directory.resolve("initdb.log"), Duration.ofMinutes(2));
            if (!initdb.succeeded()) {
                throw new StackException("initdb of PostgreSQL " + options.version() + " failed in " + data + ":\n" + initdb.output().strip());
            }
            Files.writeString(data.resolve("postgresql.conf"), configuration(), java.nio.file.StandardOpenOption.APPEND);
            Files.writeString(data.resolve("pg_hba.conf"), """
                    # Written by cutover's local stack: trust on the socket, passwords over TCP from loopback.
                    local   all             all                     trust
                    local   replication     all                     trust
                    host    all             all     127.0.0.0/8     scram-sha-256
                    host    replication     all     127.0.0.0/8     scram-sha-256
                    host    all             all     ::1/128         scram-sha-256
                    host    replication     all     ::1/128         scram-sha-256
                    """);
            Os.giveToPostgresUser(data);
        } catch (IOException e) {
            throw new StackException("cannot prepare PostgreSQL in " + directory + ": " + e.getMessage(), e);
        } finally {
            try {
                Files.deleteIfExists(passwordFile);
            } catch (IOException ignored) {
                // the directory goes away on close anyway
            }
        }
    }

    private String configuration() {
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("wal_level", "logical");
        settings.put("max_replication_slots", "20");
        settings.put("max_wal_senders", "20");
        settings.put("max_worker_processes", "20");
        if (majorVersion() >= 10) {
            settings.put("max_logical_replication_workers", "10");
            settings.put("password_encryption", "'scram-sha-256'");
        }
        settings.put("unix_socket_directories", quote(directory.resolve("run").toString()));
        // Tests create and drop clusters all day; durability across a machine crash buys nothing here.
        settings.put("fsync", "off");
        settings.put("shared_buffers", "128MB");
        settings.put("max_connections", "200");
        settings.put("wal_sender_timeout", "30s");
        settings.put("wal_receiver_status_interval", "1s");
        settings.put("log_min_messages", "warning");
        settings.put("log_destination", "'stderr'");
        settings.put("logging_collector", "off");
        settings.put("log_line_prefix", "'%m [%p] '");
        settings.put("lc_messages", "'C'");
        settings.putAll(options.settings());
        StringBuilder text = new StringBuilder("\n# Written by cutover's local stack.\n");
        settings.forEach((name, value) -> text.append(name).append(" = ").append(value).append('\n'));
        text.append("include 'cutover-listen.conf'\n");
        return text.toString();
    }

    private void startFirstTime() {
        Ports.launchOnFreePort(options.port(), () -> Ports.freeTcpPort(options.host()), this::launch,
                "port {} was taken before PostgreSQL bound it; trying another");
    }

    private void launch(int candidate) {
        if (!Ports.tcpFree(options.host(), candidate)) {
            throw new PortTakenException("PostgreSQL " + options.version(), options.host(), candidate);
        }
        try {
            Path listen = data.resolve("cutover-listen.conf");
            Files.writeString(listen, "listen_addresses = '" + options.host() + "'\nport = " + candidate + "\n");
            Os.giveToPostgresUser(listen);
        } catch (IOException e) {
            throw new StackException("cannot write " + data.resolve("cutover-listen.conf") + ": " + e.getMessage(), e);
        }
        Os.Result pgCtl = Os.run(Os.asPostgresUser(List.of(
                        bin("pg_ctl"), "-D", data.toString(), "-l", logFile.toString(), "-w", "-t", Long.toString(START_TIMEOUT.toSeconds()), "start")),
                directory.resolve("pg_ctl.out"), START_TIMEOUT.plusSeconds(15));
        if (!pgCtl.succeeded()) {
            pgCtl("immediate");
            String tail = Os.tail(logFile, 30);
            if (tail.contains("Address already in use")) {
                throw new PortTakenException("PostgreSQL " + options.version(), options.host(), candidate);
            }
            throw new StackException("PostgreSQL " + options.version() + " failed to start on " + options.host() + ":" + candidate
                    + ". pg_ctl said: " + pgCtl.output().strip() + "\nThe end of " + logFile + ":\n" + tail);
        }
        port = candidate;
        running = true;
        awaitOurServerAnswers();
    }

    /** Waits until a JDBC connection works and checks that the server answering is ours, not another one on that port. */
    private void awaitOurServerAnswers() {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        SQLException last = null;
        while (System.nanoTime() < deadline) {
            try (Connection connection = connect("postgres");
                    Statement statement = connection.createStatement();
                    ResultSet rs = statement.executeQuery("SHOW data_directory")) {
                rs.next();
                String answering = rs.getString(1);
                if (!Path.of(answering).equals(data.toRealPath())) {
                    stopQuietly();
                    throw new PortTakenException("PostgreSQL " + options.version() + " (another server, with data in " + answering + ", answers there)",
                            options.host(), port);
                }
                return;
            } catch (SQLException e) {
                last = e;
                pause();
            } catch (IOException e) {
                throw new StackException("cannot resolve " + data + ": " + e.getMessage(), e);
            }
        }
        stopQuietly();
        throw new StackException("PostgreSQL " + options.version() + " started on " + options.host() + ":" + port
                + " but accepted no JDBC connection within " + START_TIMEOUT.toSeconds() + " s (last error: "
                + (last == null ? "none" : last.getMessage()) + "). The end of " + logFile + ":\n" + Os.tail(logFile, 30));
    }

    private static void pause() {
        try {
            Thread.sleep(50);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StackException("interrupted while waiting for PostgreSQL", e);
        }
    }

    /**
     * Stops the server; pg_ctl reports success once the pid file is gone, a moment before the
     * postmaster has exited, so this also waits for the process itself.
     */
    private boolean pgCtl(String mode) {
        Optional<ProcessHandle> postmaster = postmaster();
        boolean stopped = runPgCtlStop(mode);
        if (stopped) {
            postmaster.filter(process -> !Os.awaitExit(process, STOP_TIMEOUT))
                    .ifPresent(process -> log.warn("the postmaster (pid {}) of {} still runs after pg_ctl stopped it", process.pid(), this));
        }
        return stopped;
    }

    private Optional<ProcessHandle> postmaster() {
        try {
            return Optional.of(Long.parseLong(Files.readAllLines(data.resolve("postmaster.pid")).getFirst().strip()))
                    .flatMap(ProcessHandle::of);
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    private boolean runPgCtlStop(String mode) {
        Os.Result result = Os.run(Os.asPostgresUser(List.of(
                        bin("pg_ctl"), "-D", data.toString(), "-m", mode, "-w", "-t", Long.toString(STOP_TIMEOUT.toSeconds()), "stop")),
                directory.resolve("pg_ctl.out"), STOP_TIMEOUT.plusSeconds(15));
        return result.succeeded() || !Files.exists(data.resolve("postmaster.pid"));
    }

    private String bin(String program) {
        return home.resolve("bin").resolve(program).toString();
    }

    private static String quote(String value) {
        return "'" + value.replace("'", "''") + "'";
    }

    @Override
    public String host() {
        return options.host();
    }

    @Override
    public int port() {
        return port;
    }

    @Override
    public int majorVersion() {
        return PostgresBinaries.majorVersion(options.version());
    }

    /** The binaries version, e.g. {@code 11.22.1}. */
    public String version() {
        return options.version();
    }

    /** The directory holding {@code bin/} of this version, e.g. for {@code pg_ctl}. */
    public Path binaries() {
        return home;
    }

    /** The server's log file, worth reading when a test fails. */
    public Path logFile() {
        return logFile;
    }

    @Override
    public String superuser() {
        return "postgres";
    }

    @Override
    public String password() {
        return options.password();
    }

    @Override
    public String jdbcUrl(String database) {
        return "jdbc:postgresql://" + host() + ":" + port() + "/" + database;
    }

    @Override
    public Connection connect(String database) throws SQLException {
        Properties credentials = new Properties();
        credentials.setProperty("user", superuser());
        credentials.setProperty("password", password());
        credentials.setProperty("connectTimeout", "10");
        return DriverManager.getConnection(jdbcUrl(database), credentials);
    }

    @Override
    public void createDatabase(String name) {
        try (Connection connection = connect("postgres"); Statement statement = connection.createStatement()) {
            statement.execute("CREATE DATABASE \"" + name.replace("\"", "\"\"") + "\"");
        } catch (SQLException e) {
            throw new StackException("cannot create database " + name + " on " + this + ": " + e.getMessage(), e);
        }
    }

    @Override
    public String connectionString(String database) {
        return "host=" + host() + " port=" + port() + " dbname=" + database + " user=" + superuser() + " password=" + password();
    }

    /** Stops the server with a fast shutdown (immediate if that times out), keeping its data and port. */
    @Override
    public synchronized void stop() {
        if (!running) {
            return;
        }
        long started = System.nanoTime();
        if (!pgCtl("fast")) {
            log.warn("PostgreSQL {} on {}:{} did not stop within {}; stopping it immediately", options.version(), host(), port, STOP_TIMEOUT);
            if (!pgCtl("immediate")) {
                throw new StackException("PostgreSQL " + options.version() + " on " + host() + ":" + port + " does not stop; its pid is in "
                        + data.resolve("postmaster.pid") + ". The end of " + logFile + ":\n" + Os.tail(logFile, 20));
            }
        }
        running = false;
        log.info("{} stopped in {} ms", this, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
    }

    @Override
    public synchronized void start() {
        if (closed) {
            throw new IllegalStateException(this + " is closed; start a new server instead");
        }
        if (!running) {
            launch(port);
        }
    }

    private void stopQuietly() {
        try {
            if (!pgCtl("fast")) {
                pgCtl("immediate");
            }
        } catch (RuntimeException e) {
            log.warn("could not stop PostgreSQL in {}", data, e);
        }
        running = false;
    }

    /** Stops the server and deletes its directory if it made it; does nothing the second time. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            if (running || Files.exists(data.resolve("postmaster.pid"))) {
                running = true;
                stop();
            }
        } catch (RuntimeException e) {
            log.warn("could not stop {}", this, e);
        } finally {
            Reaper.unregister(this);
            if (ownsDirectory) {
                Os.deleteRecursively(directory);
            }
        }
    }

    @Override
    public String toString() {
        return "PostgreSQL " + options.version() + " on " + host() + ":" + port;
    }
}
