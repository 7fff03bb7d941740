package dev.cutover.stack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.acl.AclBinding;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real single-node Kafka broker (KRaft, broker and controller combined) in a JVM of its own, started from the Kafka
 * jars on this JVM's class path the way a production broker is started ({@code kafka.Kafka server.properties} after
 * {@code kafka.tools.StorageTool format}). Unlike {@link KafkaBroker}, nothing it does at a cutover shares a heap, a
 * garbage collector or a class-loading lock with the services or the client, as in production.
 */
public final class KafkaProcess implements Kafka {

    private static final Logger log = LoggerFactory.getLogger(KafkaProcess.class);
    private static final Duration START_TIMEOUT = Duration.ofSeconds(90);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);

    private final Path directory;
    private final Path properties;
    private final String bootstrapServers;
    private final int[] ports;
    private final KafkaSecurity security;
    private Process process;
    private boolean closed;

    private KafkaProcess(Path directory, Path properties, String host, int port, int controllerPort,
            KafkaSecurity security) {
        this.directory = directory;
        this.security = security;
        this.properties = properties;
        this.bootstrapServers = host + ":" + port;
        this.ports = new int[] {port, controllerPort};
    }

    /** Formats a new log directory under {@code directory} and starts the broker on free ports of 127.0.0.1. */
    public static KafkaProcess start(Path directory) {
        return start(directory, null);
    }

    /**
     * The same, with clients authenticated by SASL/SCRAM-SHA-512 as {@code security}'s users and authorized by ACLs
     * ({@link #allow}); null: one plaintext listener that lets anyone do anything, as {@link #start(Path)}.
     */
    public static KafkaProcess start(Path directory, KafkaSecurity security) {
        long started = System.nanoTime();
        String host = "127.0.0.1";
        int port = Ports.freeTcpPort(host);
        int controllerPort = Ports.freeTcpPort(host);
        Os.createDirectories(directory);
        Path properties = directory.resolve("server.properties");
        Properties settings = settings(directory.resolve("log"), host, port, controllerPort);
        if (security != null) {
            settings.putAll(secured(host, port, controllerPort, security));
        }
        write(properties, settings);
        KafkaProcess kafka = new KafkaProcess(directory, properties, host, port, controllerPort, security);
        kafka.format();
        Reaper.register(kafka);
        try {
            kafka.launch();
        } catch (RuntimeException e) {
            kafka.close();
            throw e;
        }
        log.info("Kafka (own process) ready at {} in {} ms", kafka.bootstrapServers,
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
        return kafka;
    }

    private static Properties settings(Path logDirectory, String host, int port, int controllerPort) {
        Properties settings = new Properties();
        settings.putAll(Map.ofEntries(
                Map.entry("process.roles", "broker,controller"),
                Map.entry("node.id", "1"),
                Map.entry("controller.quorum.voters", "1@" + host + ":" + controllerPort),
                Map.entry("listeners", "PLAINTEXT://" + host + ":" + port + ",CONTROLLER://" + host + ":" + controllerPort),
                Map.entry("advertised.listeners", "PLAINTEXT://" + host + ":" + port),
                Map.entry("controller.listener.names", "CONTROLLER"),
                Map.entry("inter.broker.listener.name", "PLAINTEXT"),
                Map.entry("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT"),
                Map.entry("log.dirs", logDirectory.toString()),
                Map.entry("auto.create.topics.enable", "true"),
                Map.entry("num.partitions", "1"),
                Map.entry("offsets.topic.replication.factor", "1"),
                Map.entry("offsets.topic.num.partitions", "1"),
                Map.entry("transaction.state.log.replication.factor", "1"),
                Map.entry("transaction.state.log.min.isr", "1"),
                Map.entry("transaction.state.log.num.partitions", "1"),
                Map.entry("group.initial.rebalance.delay.ms", "0")));
        return settings;
    }

    /**
     * Clients on one SASL_PLAINTEXT listener; the broker's own connections as {@link KafkaSecurity#ADMIN}. The
     * controller's listener stays plaintext on the loopback address, since SCRAM cannot authenticate it (the
     * credentials live in the metadata the controller serves): the broker reaches its controller as ANONYMOUS, which
     * is therefore a super user there, and only there, since the client listener refuses a connection without SASL.
     */
    private static Map<String, String> secured(String host, int port, int controllerPort, KafkaSecurity security) {
        return Map.ofEntries(
                Map.entry("listeners", "SASL_PLAINTEXT://" + host + ":" + port + ",CONTROLLER://" + host + ":" + controllerPort),
                Map.entry("advertised.listeners", "SASL_PLAINTEXT://" + host + ":" + port),
                Map.entry("inter.broker.listener.name", "SASL_PLAINTEXT"),
                Map.entry("listener.security.protocol.map", "SASL_PLAINTEXT:SASL_PLAINTEXT,CONTROLLER:PLAINTEXT"),
                Map.entry("sasl.enabled.mechanisms", KafkaSecurity.MECHANISM),
                Map.entry("sasl.mechanism.inter.broker.protocol", KafkaSecurity.MECHANISM),
                Map.entry("listener.name.sasl_plaintext.scram-sha-512.sasl.jaas.config",
                        KafkaSecurity.jaas(KafkaSecurity.ADMIN, security.password(KafkaSecurity.ADMIN))),
                Map.entry("authorizer.class.name", "org.apache.kafka.metadata.authorizer.StandardAuthorizer"),
                Map.entry("allow.everyone.if.no.acl.found", "false"),
                Map.entry("super.users", "User:" + KafkaSecurity.ADMIN + ";User:ANONYMOUS"));
    }

    private void format() {
        List<String> command = new ArrayList<>(java("kafka.tools.StorageTool", "format", "-t",
                Uuid.randomUuid().toString(), "-c", properties.toString()));
        if (security != null) {
            command.addAll(security.formatArguments());
        }
        Os.Result result = Os.run(command, directory.resolve("format.log"), Duration.ofSeconds(60));
        if (result.exitCode() != 0) {
            throw new StackException("formatting Kafka's log directory failed (exit " + result.exitCode() + "): "
                    + Os.tail(directory.resolve("format.log"), 20));
        }
    }

    /** A port another process took meanwhile makes the broker exit at once, which {@link #awaitServing} reports. */
    private synchronized void launch() {
        Path output = directory.resolve("kafka.log");
        try {
            process = new ProcessBuilder(java("kafka.Kafka", properties.toString()))
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(output.toFile()))
                    .start();
        } catch (IOException e) {
            throw new StackException("could not start Kafka's JVM: " + e.getMessage(), e);
        }
        awaitServing(output);
    }

    /** Serving means answering a metadata request, as a client's first call does. */
    private void awaitServing(Path output) {
        Instant deadline = Instant.now().plus(START_TIMEOUT);
        Map<String, Object> config = new HashMap<>(adminProperties());
        config.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 2000);
        config.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 2000);
        awaitListening(output, deadline);
        try (Admin admin = Admin.create(config)) {
            while (true) {
                if (!process.isAlive()) {
                    throw new StackException("Kafka exited with code " + process.exitValue() + " while starting: "
                            + Os.tail(output, 30));
                }
                try {
                    admin.describeCluster().nodes().get(2, TimeUnit.SECONDS);
                    return;
                } catch (ExecutionException | TimeoutException notYet) {
                    if (Instant.now().isAfter(deadline)) {
                        throw new StackException("Kafka at " + bootstrapServers + " did not serve within "
                                + START_TIMEOUT.toSeconds() + " s: " + Os.tail(output, 30));
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new StackException("interrupted while Kafka was starting", e);
                }
            }
        }
    }

    /** Until the listener accepts connections, a client would only log one refused connection after another. */
    private void awaitListening(Path output, Instant deadline) {
        String host = bootstrapServers.substring(0, bootstrapServers.lastIndexOf(':'));
        while (!accepts(host, ports[0])) {
            if (!process.isAlive()) {
                throw new StackException("Kafka exited with code " + process.exitValue() + " while starting: "
                        + Os.tail(output, 30));
            }
            if (Instant.now().isAfter(deadline)) {
                throw new StackException("Kafka did not listen on " + bootstrapServers + " within "
                        + START_TIMEOUT.toSeconds() + " s: " + Os.tail(output, 30));
            }
            LockSupport.parkNanos(Duration.ofMillis(50).toNanos());
        }
    }

    private static boolean accepts(String host, int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(host, port), 200);
            return true;
        } catch (IOException notYet) {
            return false;
        }
    }

    private static List<String> java(String mainClass, String... args) {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xms256m", "-Xmx1g", "-XX:+UseG1GC", "-cp", System.getProperty("java.class.path"), mainClass));
        command.addAll(List.of(args));
        return command;
    }

    @Override
    public String bootstrapServers() {
        return bootstrapServers;
    }

    /** The users and their passwords, when the broker was started with SASL; empty for a plaintext broker. */
    public Optional<KafkaSecurity> security() {
        return Optional.ofNullable(security);
    }

    /** A client's settings to connect as {@code user} ({@code bootstrap.servers} included); only on a SASL broker. */
    public Map<String, Object> clientProperties(String user) {
        Map<String, Object> config = new HashMap<>(requireSecurity().clientProperties(user));
        config.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        return config;
    }

    /** Creates these ACLs as {@link KafkaSecurity#ADMIN}; returns once the broker has them all. */
    public void allow(Collection<AclBinding> acls) {
        requireSecurity();
        try (Admin admin = Admin.create(adminProperties())) {
            admin.createAcls(acls).all().get(30, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            throw new StackException("Kafka at " + bootstrapServers + " did not take the ACLs " + acls + ": "
                    + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StackException("interrupted while creating ACLs", e);
        }
    }

    private Map<String, Object> adminProperties() {
        return security == null ? Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers)
                : clientProperties(KafkaSecurity.ADMIN);
    }

    private KafkaSecurity requireSecurity() {
        if (security == null) {
            throw new IllegalStateException(this + " runs without SASL, so it has no users or ACLs: start it with"
                    + " KafkaProcess.start(directory, KafkaSecurity.scram().withUser(...))");
        }
        return security;
    }

    /** Stops the broker the way a service manager does (SIGTERM: a controlled shutdown), keeping its log. */
    @Override
    public synchronized void stop() {
        requireOpen();
        terminate();
    }

    /** SIGTERM, then SIGKILL if the broker is still there after {@link #STOP_TIMEOUT}. */
    private void terminate() {
        Os.terminate(process, "Kafka at " + bootstrapServers, STOP_TIMEOUT);
    }

    /** Ends the broker's process at once (SIGKILL), as a crashed machine would; its log stays. */
    public synchronized void kill() {
        if (process != null && process.isAlive()) {
            process.destroyForcibly();
            Os.awaitExit(process.toHandle(), STOP_TIMEOUT);
        }
    }

    @Override
    public synchronized void restart() {
        requireOpen();
        stop();
        long started = System.nanoTime();
        launch();
        log.info("Kafka at {} started again in {} ms", bootstrapServers, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
    }

    private void requireOpen() {
        if (closed) {
            throw new IllegalStateException(this + " is closed; start a new broker instead");
        }
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            terminate();
        } finally {
            Reaper.unregister(this);
        }
    }

    private static void write(Path file, Properties settings) {
        try (var writer = Files.newBufferedWriter(file)) {
            settings.store(writer, "single-node KRaft broker of the local stack");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public String toString() {
        return "Kafka (own process) at " + bootstrapServers + (security == null ? "" : ", SASL/SCRAM with ACLs");
    }
}
