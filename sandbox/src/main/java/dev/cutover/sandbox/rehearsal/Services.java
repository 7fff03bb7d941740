package dev.cutover.sandbox.rehearsal;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import dev.cutover.cutover.CutoverServiceApplication;
import dev.cutover.dns.DnsSwitcherApplication;
import dev.cutover.lag.LagMonitorApplication;
import dev.cutover.replicator.ReplicatorApplication;
import dev.cutover.schema.SchemaServiceApplication;
import dev.cutover.stack.KafkaSecurity;
import dev.cutover.stack.LocalStack;
import dev.cutover.stack.PgBouncerServer;
import dev.cutover.stack.Postgres;

/**
 * Every service of a deployment, wired to the local stack the way an operator would configure them in production:
 * in the {@link Layout#ONE_JVM one-JVM layout} each its own Spring Boot application with its own context in this JVM,
 * in the {@link Layout#PROCESSES processes layout} each its own {@code java -jar} of its exec jar with the same
 * settings on its command line. A service can be stopped (in the processes layout: killed with SIGKILL) and started
 * again, which is how faults are injected (from the fault's own thread, hence synchronized).
 */
public final class Services implements AutoCloseable {

    public enum Service {
        SCHEMA_SERVICE(SchemaServiceApplication.class, "schema-service"),
        REPLICATOR(ReplicatorApplication.class, "replicator"),
        LAG_MONITOR(LagMonitorApplication.class, "lag-monitor"),
        DNS_SWITCHER(DnsSwitcherApplication.class, "dns-switcher"),
        CUTOVER_SERVICE(CutoverServiceApplication.class, "cutover-service");

        private final Class<?> application;
        private final String module;

        Service(Class<?> application, String module) {
            this.application = application;
            this.module = module;
        }

        /** The module's name, also the name its operators know it by. */
        public String module() {
            return module;
        }
    }

    /** The operator the saga accepts commands from. */
    public static final String OPERATOR = "rehearsal";

    private final Layout layout;
    private final Path logDirectory;
    private final Path workDirectory;
    private final Map<Service, ConfigurableApplicationContext> running = new LinkedHashMap<>();
    private final Map<Service, ServiceProcess> processes = new LinkedHashMap<>();
    /** Instances started beside the first one of their service ({@link #startAnother}). */
    private final List<ServiceProcess> others = new ArrayList<>();
    private final Map<String, Object> common;
    private final Map<Service, Map<String, Object>> own = new HashMap<>();
    private final Map<Service, Map<String, Object>> kafkaLogins = new HashMap<>();
    private final List<Database> databases;
    /** The services' database login; {@code null}: each server's superuser. */
    private DatabaseLogin databaseLogin;

    /** A role made on every server for the services, instead of the superuser. */
    record DatabaseLogin(String user, String password) {
    }

    /**
     * One database the services move.
     *
     * @param name     the configured name, also the database's name on both servers
     * @param schemas  the schemas to move, comma-separated; {@code null} leaves the services' default (the whole database)
     */
    public record Database(String name, Postgres source, Postgres target, String appRoles, String schemas) {
    }

    Services(LocalStack stack, Path workDirectory, Duration dnsTtl, Layout layout) throws java.io.IOException {
        this(stack, workDirectory, dnsTtl, layout, List.of(new Database(SeedData.DATABASE, stack.source(), stack.target(),
                SeedData.ROLE, null)));
    }

    /** The services, in this JVM, configured for every one of {@code databases}; none is started yet. */
    public Services(LocalStack stack, Path workDirectory, Duration dnsTtl, List<Database> databases) throws java.io.IOException {
        this(stack, workDirectory, dnsTtl, Layout.ONE_JVM, databases);
    }

    /** The services as processes of their own, configured for every one of {@code databases}; none is started yet. */
    public static Services processes(LocalStack stack, Path workDirectory, Duration dnsTtl, List<Database> databases)
            throws java.io.IOException {
        return new Services(stack, workDirectory, dnsTtl, Layout.PROCESSES, databases);
    }

    private Services(LocalStack stack, Path workDirectory, Duration dnsTtl, Layout layout, List<Database> databases)
            throws java.io.IOException {
        this.layout = layout;
        this.logDirectory = workDirectory.resolve("logs");
        this.workDirectory = workDirectory;
        this.databases = List.copyOf(databases);
        common = new HashMap<>();
        common.put("spring.kafka.bootstrap-servers", stack.kafkaBootstrapServers());
        common.put("server.port", "0");
        common.put("logging.level.root", "WARN");
        common.put("logging.level.dev.cutover", "WARN");
        common.put("spring.main.banner-mode", "off");
        Map<String, Object> lag = new HashMap<>();
        Map<String, Object> cutover = new HashMap<>(Map.of(
                "cutover.saga.operators", OPERATOR,
                "cutover.fence.await-traffic-timeout", "60s"));
        for (Database database : databases) {
            String db = database.name();
            common.put("cutover.databases." + db + ".app-roles", database.appRoles());
            if (database.schemas() != null) {
                common.put("cutover.databases." + db + ".schemas", database.schemas());
            }
            lag.put("cutover.lag.databases." + db + ".engine", "native");
            lag.put("cutover.lag.databases." + db + ".interval", "250ms");
            cutover.put("cutover.saga.dns." + db + ".record", stack.dns().databaseName());
            cutover.put("cutover.saga.dns." + db + ".source-address", database.source().host());
            cutover.put("cutover.saga.dns." + db + ".target-address", database.target().host());
            cutover.put("cutover.saga.dns." + db + ".ttl", dnsTtl.toSeconds() + "s");
            cutover.put("cutover.saga.dns." + db + ".restore-ttl", dev.cutover.stack.BindServer.TTL.toSeconds() + "s");
        }
        endpoints();
        own.put(Service.LAG_MONITOR, lag);
        own.put(Service.CUTOVER_SERVICE, cutover);

        Path secret = workDirectory.resolve("tsig.secret");
        Files.writeString(secret, stack.dns().tsigSecret() + "\n");
        own.put(Service.DNS_SWITCHER, Map.of(
                "dns.provider", "rfc2136",
                "dns.rfc2136.host", stack.dns().host(),
                "dns.rfc2136.port", String.valueOf(stack.dns().port()),
                "dns.rfc2136.zone", stack.dns().zone(),
                "dns.rfc2136.key-name", stack.dns().tsigKeyName(),
                "dns.rfc2136.algorithm", stack.dns().tsigAlgorithm(),
                "dns.rfc2136.secret-file", secret.toString()));
        own.put(Service.SCHEMA_SERVICE, Map.of("cutover.schema.work-directory", workDirectory.resolve("schema").toString()));
        own.put(Service.REPLICATOR, Map.of("cutover.replicator.workers", "2"));
    }

    /**
     * Clients reach the database through this PgBouncer, whose entry {@code entry} points at the source: dns-switcher
     * moves that entry (PAUSE, repoint, RELOAD, RESUME on TargetOpened) instead of the DNS name, and the saga's plan
     * names the entry and the two servers as host:port. Before the services start.
     */
    synchronized void switchThroughPgBouncer(Database database, PgBouncerServer pgbouncer, String entry) throws IOException {
        Path password = workDirectory.resolve("pgbouncer-admin.secret");
        Files.writeString(password, pgbouncer.adminPassword() + "\n");
        String instance = "dns.pgbouncer.databases." + database.name() + ".instances[0].";
        own.put(Service.DNS_SWITCHER, Map.of(
                "dns.provider", "pgbouncer",
                "dns.pgbouncer.admin-user", pgbouncer.adminUser(),
                "dns.pgbouncer.password-file", password.toString(),
                "dns.pgbouncer.databases." + database.name() + ".database", entry,
                instance + "admin", pgbouncer.host() + ":" + pgbouncer.port(),
                instance + "databases-file", pgbouncer.databasesFile().toString()));
        Map<String, Object> saga = new HashMap<>(own.get(Service.CUTOVER_SERVICE));
        saga.put("cutover.saga.dns." + database.name() + ".record", entry);
        saga.put("cutover.saga.dns." + database.name() + ".source-address", database.source().host() + ":" + database.source().port());
        saga.put("cutover.saga.dns." + database.name() + ".target-address", database.target().host() + ":" + database.target().port());
        own.put(Service.CUTOVER_SERVICE, saga);
    }

    /** The Kafka users of a rehearsal on a broker with SASL: one per service (its name), and the operator. */
    static List<String> kafkaUsers() {
        List<String> users = new java.util.ArrayList<>();
        for (Service service : Service.values()) {
            users.add(service.module);
        }
        users.add(OPERATOR);
        return users;
    }

    /**
     * Each service logs in to Kafka as its own user, named after it, with its password in a file of its own
     * ({@code cutover.kafka.sasl.password-secret=file:...}), as a deployment with container secrets would; before the
     * services start.
     */
    synchronized void logInToKafka(KafkaSecurity security) throws IOException {
        for (Service service : Service.values()) {
            Path password = workDirectory.resolve("kafka-" + service.module + ".secret");
            Files.writeString(password, security.password(service.module) + "\n");
            kafkaLogins.put(service, Map.of("cutover.kafka.sasl.username", service.module,
                    "cutover.kafka.sasl.password-secret", "file:" + password));
        }
    }

    /**
     * The services log in to every database as {@code login}, a role the caller made on every server, instead of as
     * the server's superuser; before the services start.
     */
    synchronized void logInToDatabasesAs(DatabaseLogin login) throws IOException {
        this.databaseLogin = login;
        endpoints();
    }

    /** A setting every service reads, e.g. the replication to adopt; before the services start. */
    public synchronized void configure(String name, String value) {
        common.put(name, value);
    }

    /** A setting of one service alone, e.g. the address of a server it reaches through a proxy; before it starts. */
    public synchronized void configure(Service service, String name, String value) {
        Map<String, Object> settings = new HashMap<>(own.getOrDefault(service, Map.of()));
        settings.put(name, value);
        own.put(service, settings);
    }

    /** Starts every service; in the processes layout all at once, as a deployment does, then waits for each. */
    public synchronized void startAll() {
        if (layout == Layout.ONE_JVM) {
            for (Service service : Service.values()) {
                start(service);
            }
            return;
        }
        for (Service service : Service.values()) {
            processes.put(service, ServiceProcess.launch(service.module, settingsOf(service), logDirectory));
        }
        processes.values().forEach(ServiceProcess::awaitUp);
    }

    private Map<String, Object> settingsOf(Service service) {
        Map<String, Object> properties = new HashMap<>(common);
        properties.putAll(own.getOrDefault(service, Map.of()));
        properties.putAll(kafkaLogins.getOrDefault(service, Map.of()));
        return properties;
    }

    public synchronized void start(Service service) {
        Map<String, Object> properties = settingsOf(service);
        switch (layout) {
            // As command-line arguments, which outrank system properties: an in-JVM broker started earlier (Spring
            // Kafka's test broker) sets spring.kafka.bootstrap-servers as one, and default properties would lose to it.
            case ONE_JVM -> running.put(service, new SpringApplicationBuilder(service.application)
                    .run(arguments(properties)));
            case PROCESSES -> processes.put(service, ServiceProcess.start(service.module, properties, logDirectory));
        }
    }

    /** Settings as Spring Boot's command-line arguments, {@code --name=value}. */
    static String[] arguments(Map<String, Object> settings) {
        return settings.entrySet().stream().map(setting -> "--" + setting.getKey() + "=" + setting.getValue())
                .toArray(String[]::new);
    }

    /** Stops a service as a crash would: its context closed in one JVM, its process killed (SIGKILL) otherwise. */
    public synchronized void stop(Service service) {
        ConfigurableApplicationContext context = running.remove(service);
        if (context != null) {
            context.close();
        }
        ServiceProcess process = processes.remove(service);
        if (process != null) {
            process.kill();
        }
    }

    /**
     * Another instance of a running service, beside the first, with the same settings (processes layout only): it
     * joins the same consumer groups. Returns its process id; it is stopped with the others.
     */
    public synchronized long startAnother(Service service) {
        if (layout != Layout.PROCESSES) {
            throw new IllegalStateException("a second instance of " + service.module + " needs --layout processes");
        }
        ServiceProcess another = ServiceProcess.start(service.module, settingsOf(service), logDirectory.resolve("another"));
        others.add(another);
        return another.pid();
    }

    /**
     * Every service running again as it was started, one instance each (processes layout): a service a fault left dead
     * is started, an instance started beside the first is stopped.
     */
    public synchronized void restoreAll() {
        others.forEach(ServiceProcess::stop);
        others.clear();
        for (Service service : Service.values()) {
            if (!processes.containsKey(service)) {
                start(service);
            }
        }
    }

    /**
     * The CPU time the services' own processes have used so far (the processes layout; the other layout has none of
     * its own, so zero), for {@link Settling}.
     */
    public synchronized Map<String, Duration> processCpu() {
        Map<String, Duration> cpu = new HashMap<>();
        for (ServiceProcess process : processes.values()) {
            ProcessHandle.of(process.pid()).flatMap(handle -> handle.info().totalCpuDuration())
                    .ifPresent(used -> cpu.put(Long.toString(process.pid()), used));
        }
        return cpu;
    }

    /**
     * The CPU time the services' JIT compiler threads have used so far (the processes layout; zero in the other), for
     * {@link Settling}; empty where their threads cannot be read.
     */
    public synchronized Optional<Map<String, Duration>> compilerCpu() {
        Map<String, Duration> threads = new HashMap<>();
        for (ServiceProcess process : processes.values()) {
            Optional<Map<Long, Duration>> compilers = CompilerThreads.cpu(process.pid());
            if (compilers.isEmpty()) {
                return Optional.empty();
            }
            compilers.get().forEach((thread, cpu) -> threads.put(process.pid() + "/" + thread, cpu));
        }
        return Optional.of(threads);
    }

    /** The process id of a service's first instance (processes layout), e.g. to pause it with SIGSTOP. */
    public synchronized long pid(Service service) {
        ServiceProcess process = processes.get(service);
        if (process == null) {
            throw new IllegalStateException(service.module + " does not run as a process of its own here");
        }
        return process.pid();
    }

    /** Where the services' own logs are, in the processes layout. */
    Path logDirectory() {
        return logDirectory;
    }


    @Override
    public synchronized void close() {
        for (Service service : List.copyOf(running.keySet()).reversed()) {
            stop(service);
        }
        others.forEach(ServiceProcess::stop);
        others.clear();
        for (Service service : List.copyOf(processes.keySet()).reversed()) {
            processes.remove(service).stop();
        }
    }

    /**
     * Every database's source and target. In the processes layout, as a deployment with container secrets does, each
     * password is in a file of its own ({@code password-secret=file:...}), so that no password is on a command line
     * or in the services' environment; in one JVM the settings never leave it and the password is given inline.
     */
    private void endpoints() throws IOException {
        for (Database database : databases) {
            endpoint(database.name(), "source", database.source());
            endpoint(database.name(), "target", database.target());
        }
    }

    private void endpoint(String db, String side, Postgres server) throws IOException {
        String prefix = "cutover.databases." + db + "." + side + ".";
        common.put(prefix + "host", server.host());
        common.put(prefix + "port", String.valueOf(server.port()));
        common.put(prefix + "database", db);
        common.put(prefix + "user", databaseLogin == null ? server.superuser() : databaseLogin.user());
        String password = databaseLogin == null ? server.password() : databaseLogin.password();
        if (layout == Layout.PROCESSES) {
            Path file = workDirectory.resolve("database-" + db + "-" + side + ".secret");
            Files.writeString(file, password + "\n");
            common.put(prefix + "password-secret", "file:" + file);
        } else {
            common.put(prefix + "password", password);
        }
    }

    /** Each running service's first instance and the address of its actuator (processes layout). */
    synchronized Map<Service, URI> actuators() {
        Map<Service, URI> actuators = new LinkedHashMap<>();
        processes.forEach((service, process) -> actuators.put(service, process.actuator()));
        return actuators;
    }
}
