package dev.cutover.stack;

import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.model.ExposedPort;
import com.github.dockerjava.api.model.Ports.Binding;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.Network;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.images.builder.Transferable;
import org.testcontainers.kafka.KafkaContainer;
import org.testcontainers.postgresql.PostgreSQLContainer;

/**
 * The stack as containers on a Docker engine ({@code -Dstack=testcontainers}), for machines that have
 * one. Containers get mapped ports on the Docker host, so {@link StackOptions} hosts and ports are
 * ignored, and the DNS server is reachable over TCP only (Docker maps no UDP through Testcontainers).
 */
public final class TestcontainersStack implements LocalStack {

    private static final Logger log = LoggerFactory.getLogger(TestcontainersStack.class);
    /** Kafka image; its version matches the Kafka clients. */
    public static final String KAFKA_IMAGE = "apache/kafka:4.2.1";
    public static final String BIND_IMAGE = "ubuntu/bind9:9.18-22.04_beta";

    private final Network network = Network.newNetwork();
    private final Map<StackPart, Duration> startupTimes = new EnumMap<>(StackPart.class);
    private KafkaContainer kafka;
    private ContainerPostgres source;
    private ContainerPostgres target;
    private ContainerDns dns;
    private boolean closed;

    private TestcontainersStack() {
    }

    public static TestcontainersStack start(StackOptions options) {
        TestcontainersStack stack = new TestcontainersStack();
        Reaper.register(stack);
        try {
            if (options.starts(StackPart.KAFKA)) {
                stack.kafka = stack.timed(StackPart.KAFKA, () -> started(new KafkaContainer(KAFKA_IMAGE)
                        .withNetwork(stack.network)
                        .withEnv("KAFKA_AUTO_CREATE_TOPICS_ENABLE", "true")
                        .withEnv("KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR", "1")
                        .withEnv("KAFKA_TRANSACTION_STATE_LOG_REPLICATION_FACTOR", "1")
                        .withEnv("KAFKA_TRANSACTION_STATE_LOG_MIN_ISR", "1")));
            }
            if (options.starts(StackPart.SOURCE)) {
                stack.source = stack.timed(StackPart.SOURCE, () -> new ContainerPostgres(options.sourceVersion(), "source", stack.network));
            }
            if (options.starts(StackPart.TARGET)) {
                stack.target = stack.timed(StackPart.TARGET, () -> new ContainerPostgres(options.targetVersion(), "target", stack.network));
            }
            if (options.starts(StackPart.DNS)) {
                stack.dns = stack.timed(StackPart.DNS, () -> new ContainerDns(options.dnsZone(), stack.network));
            }
        } catch (RuntimeException e) {
            stack.close();
            throw new StackException("the Testcontainers stack failed to start (it needs a Docker engine; without one, use the default "
                    + "-Dstack=processes): " + e.getMessage(), e);
        }
        log.info("Testcontainers stack ready: {}", stack.startupTimes());
        return stack;
    }

    private static <C extends GenericContainer<?>> C started(C container) {
        container.start();
        return container;
    }

    private <T> T timed(StackPart part, Supplier<T> starter) {
        long started = System.nanoTime();
        T running = starter.get();
        startupTimes.put(part, Duration.ofNanos(System.nanoTime() - started));
        return running;
    }

    @Override
    public String kafkaBootstrapServers() {
        return require(kafka, StackPart.KAFKA).getBootstrapServers();
    }

    @Override
    public Kafka kafka() {
        return new ContainerKafka(require(kafka, StackPart.KAFKA));
    }

    @Override
    public Postgres source() {
        return require(source, StackPart.SOURCE);
    }

    @Override
    public Postgres target() {
        return require(target, StackPart.TARGET);
    }

    @Override
    public DnsServer dns() {
        return require(dns, StackPart.DNS);
    }

    private static <T> T require(T part, StackPart which) {
        if (part == null) {
            throw new IllegalStateException("this stack was started without " + which + ": add StackPart." + which + " to StackOptions.parts");
        }
        return part;
    }

    @Override
    public Map<StackPart, Duration> startupTimes() {
        return new LinkedHashMap<>(startupTimes);
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        for (AutoCloseable part : new AutoCloseable[] {dns == null ? null : dns.container, target == null ? null : target.container,
                source == null ? null : source.container, kafka, network}) {
            if (part != null) {
                try {
                    part.close();
                } catch (Exception e) {
                    log.warn("could not stop {}", part, e);
                }
            }
        }
        Reaper.unregister(this);
    }

    /**
     * Kafka in the official image. It cannot restart in place: Docker maps its port anew on every start, and the
     * address the broker advertises is written into the container when it first starts.
     */
    private record ContainerKafka(KafkaContainer container) implements Kafka {

        @Override
        public String bootstrapServers() {
            return container.getBootstrapServers();
        }

        @Override
        public void stop() {
            throw notInContainers();
        }

        @Override
        public void restart() {
            throw notInContainers();
        }

        /** The stack stops the container itself. */
        @Override
        public void close() {
        }

        private static UnsupportedOperationException notInContainers() {
            return new UnsupportedOperationException("Kafka in a container cannot restart on the same address (Docker maps"
                    + " another port and the broker would advertise the old one): restart Kafka with the processes backend,"
                    + " the default (-Dstack=processes)");
        }
    }

    /** PostgreSQL in the official image, configured like {@link PostgresServer}. */
    private static final class ContainerPostgres implements Postgres {

        private static final int PORT = 5432;

        private final PostgreSQLContainer container;
        private final int major;
        private final String alias;
        private int mappedPort;

        ContainerPostgres(String version, String alias, Network network) {
            this.major = PostgresBinaries.majorVersion(version);
            this.alias = alias;
            this.container = new PostgreSQLContainer("postgres:" + major)
                    .withUsername("postgres")
                    .withPassword(PostgresServer.Options.DEFAULT_PASSWORD)
                    .withDatabaseName("postgres")
                    .withNetwork(network)
                    .withNetworkAliases(alias)
                    .withCommand("postgres",
                            "-c", "wal_level=logical",
                            "-c", "max_replication_slots=20",
                            "-c", "max_wal_senders=20",
                            "-c", "max_worker_processes=20",
                            "-c", "max_logical_replication_workers=10",
                            "-c", "fsync=off",
                            "-c", "shared_buffers=128MB",
                            "-c", "max_connections=200",
                            "-c", "wal_sender_timeout=30s",
                            "-c", "wal_receiver_status_interval=1s");
            container.start();
            mappedPort = container.getMappedPort(PORT);
        }

        @Override
        public String host() {
            return container.getHost();
        }

        @Override
        public synchronized int port() {
            return mappedPort;
        }

        @Override
        public int majorVersion() {
            return major;
        }

        @Override
        public String superuser() {
            return "postgres";
        }

        @Override
        public String password() {
            return PostgresServer.Options.DEFAULT_PASSWORD;
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
            return DriverManager.getConnection(jdbcUrl(database), credentials);
        }

        @Override
        public void createDatabase(String name) {
            try (Connection connection = connect("postgres"); Statement statement = connection.createStatement()) {
                statement.execute("CREATE DATABASE \"" + name.replace("\"", "\"\"") + "\"");
            } catch (SQLException e) {
                throw new StackException("cannot create database " + name + ": " + e.getMessage(), e);
            }
        }

        @Override
        public String connectionString(String database) {
            return "host=" + alias + " port=" + PORT + " dbname=" + database + " user=" + superuser() + " password=" + password();
        }

        /** Stops the container; its data stays in the container's file system. */
        @Override
        public synchronized void stop() {
            container.getDockerClient().stopContainerCmd(container.getContainerId()).exec();
        }

        /** Starts the container again; Docker may map another host port, which {@link #port()} then returns. */
        @Override
        public synchronized void start() {
            container.getDockerClient().startContainerCmd(container.getContainerId()).exec();
            InspectContainerResponse inspected = container.getDockerClient().inspectContainerCmd(container.getContainerId()).exec();
            Binding[] bindings = inspected.getNetworkSettings().getPorts().getBindings().get(ExposedPort.tcp(PORT));
            mappedPort = Integer.parseInt(bindings[0].getHostPortSpec());
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (true) {
                try (Connection ignored = connect("postgres")) {
                    return;
                } catch (SQLException notYet) {
                    if (System.nanoTime() > deadline) {
                        throw new StackException("PostgreSQL " + major + " in container " + alias + " did not come back within 60 s: " + notYet.getMessage(), notYet);
                    }
                    try {
                        TimeUnit.MILLISECONDS.sleep(100);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new StackException("interrupted while waiting for PostgreSQL " + major, e);
                    }
                }
            }
        }
    }

    /** BIND in a container with the same configuration as {@link BindServer}; reachable over TCP. */
    private static final class ContainerDns implements DnsServer {

        private static final int PORT = 53;

        private final GenericContainer<?> container;
        private final String zone;
        private final String secret = BindServer.newSecret();

        ContainerDns(String zone, Network network) {
            this.zone = zone;
            String zoneFile = "/var/lib/bind/" + zone.substring(0, zone.length() - 1) + ".zone";
            this.container = new GenericContainer<>(BIND_IMAGE)
                    .withNetwork(network)
                    .withNetworkAliases("dns")
                    .withExposedPorts(PORT)
                    .withCopyToContainer(Transferable.of(BindServer.namedConf("/var/cache/bind", PORT, "any", zone, secret, zoneFile), 0644),
                            "/etc/bind/named.conf")
                    .withCopyToContainer(Transferable.of(BindServer.zoneText(zone, "127.0.0.1", Map.of("db", "127.0.0.1"),
                            UUID.randomUUID().toString()), 0666), zoneFile)
                    .waitingFor(Wait.forLogMessage(".*running.*", 1));
            container.start();
        }

        @Override
        public String host() {
            return container.getHost();
        }

        @Override
        public int port() {
            return container.getMappedPort(PORT);
        }

        @Override
        public String zone() {
            return zone;
        }

        @Override
        public String tsigKeyName() {
            return BindServer.TSIG_KEY_NAME;
        }

        @Override
        public String tsigAlgorithm() {
            return BindServer.TSIG_ALGORITHM;
        }

        @Override
        public String tsigSecret() {
            return secret;
        }
    }
}
