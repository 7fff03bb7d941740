package dev.cutover.sandbox.rehearsal;

import java.io.IOException;
import java.io.PrintStream;
import java.io.Writer;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.UUID;
import java.util.function.BooleanSupplier;

import org.apache.avro.specific.SpecificRecord;

import dev.cutover.ctl.Cutoverctl;
import dev.cutover.events.MigrationReady;
import dev.cutover.events.CutoverCompleted;
import dev.cutover.events.CutoverRejected;
import dev.cutover.events.CutoverRolledBack;
import dev.cutover.events.CutoverStarted;
import dev.cutover.events.DnsFlipped;
import dev.cutover.events.SourceRestored;
import dev.cutover.events.StartCutover;
import dev.cutover.events.StepStarted;
import dev.cutover.events.TargetOpened;
import dev.cutover.events.TrafficStopped;
import dev.cutover.platform.KafkaProbe;
import dev.cutover.platform.MessagePublisher;
import dev.cutover.platform.security.KafkaAccess;
import dev.cutover.sandbox.client.ClientRecord;
import dev.cutover.sandbox.client.ClientSettings;
import dev.cutover.sandbox.client.JvmDns;
import dev.cutover.sandbox.client.RehearsalClient;
import dev.cutover.sandbox.report.CutoverResult;
import dev.cutover.sandbox.report.Report;
import dev.cutover.sandbox.report.ReportInputs;
import dev.cutover.stack.KafkaProcess;
import dev.cutover.stack.KafkaSecurity;
import dev.cutover.stack.LocalStack;
import dev.cutover.stack.Postgres;
import dev.cutover.stack.StackOptions;

/**
 * One rehearsal from nothing to a report: the local stack with the source on 127.0.0.2 and the target
 * on 127.0.0.3 (one port, one DNS name), seed-shaped data, every service, the migration to streaming,
 * the client writing through the DNS name, the cutover started with cutoverctl and watched live, then
 * every acknowledged write checked row by row.
 */
public final class Rehearsal {

    private static final DateTimeFormatter ID_TIME = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss");

    private final RehearsalOptions options;
    private final PrintStream out;
    /** {@code null}: the saga, started with cutoverctl; otherwise the method the saga is compared with. */
    private CutoverMethod method;
    /** {@code null}: no fault injected. */
    private Fault fault;
    private FaultVerdict faultVerdict;
    /** {@code null}: the migration creates the replication; otherwise a team's own, made by hand. */
    private HandMadeReplication handMade;
    private HandMadeReplication.Aftermath aftermath;
    private ReverseReplicationCheck reverse;
    private ReverseReplicationCheck.Aftermath reverseAftermath;
    /** {@code null}: the client is one pool, as without the fleet options. */
    private ClientFleet fleet;
    /** Kafka with SASL/SCRAM and ACLs; {@code null}: plaintext, open to every client. */
    private KafkaSecurity kafkaSecurity;
    /** The operator's Kafka client properties file for cutoverctl, with {@link #kafkaSecurity}. */
    private Path operatorKafkaConfig;
    private FallbackRehearsal thenFallback;
    /** Replicator processes sharing the full load; 1: one, copying alone. */
    private int replicators = 1;
    private boolean killReplicatorMidLoad;
    private FallbackRehearsal.Outcome fallbackOutcome;
    /** {@code null}: the services log in to the databases as each server's superuser. */
    private Services.DatabaseLogin servicesRole;
    /** {@code null}: nothing looks at the services once the cutover is over. */
    private Inspection inspection;

    /** The services, the topics and the work directory after the cutover, while the services still run. */
    record Scene(Path workDirectory, Path logDirectory, Map<Services.Service, URI> actuators,
            Map<String, Object> kafkaLogin) {
    }

    /** A look at the {@link Scene} once the report is made, e.g. for secrets that leaked. */
    interface Inspection {
        void inspect(Scene scene) throws Exception;
    }

    public Rehearsal(RehearsalOptions options, PrintStream out) {
        this.options = options;
        this.out = out;
    }

    /**
     * The same rehearsal with {@code fault} injected into the saga's cutover ({@code null}: none). A rollback is then
     * a correct outcome; the source must serve again and nothing may be lost.
     */
    public Rehearsal withFault(Fault fault) {
        if (fault != null && method != null) {
            throw new IllegalArgumentException("--fault is injected into the saga's cutover only, not into " + method);
        }
        this.fault = fault;
        return this;
    }

    /** How the fault went, after {@link #run}; {@code null} without a fault. */
    FaultVerdict faultVerdict() {
        return faultVerdict;
    }

    /**
     * The same rehearsal without the migration: the seed's tables replicated by a native publication and subscription
     * made by hand, which the cutover adopts ({@code adopted}) or, without adoption, must refuse at preflight.
     */
    Rehearsal withHandMadeReplication(boolean adopted) {
        this.handMade = new HandMadeReplication(adopted);
        return this;
    }

    /** The same rehearsal with {@code fallback.prepare}: the source must follow the target once the cutover is done. */
    Rehearsal withFallback() {
        this.reverse = new ReverseReplicationCheck();
        return this;
    }

    /** {@code --then-fallback}: {@link #thenFallback} when {@code wanted}. */
    public Rehearsal withThenFallback(boolean wanted) {
        return wanted ? thenFallback(FallbackRehearsal.plain()) : this;
    }

    /** After a completed cutover, {@code fallback} moves the client back to the source ({@code --then-fallback}). */
    Rehearsal thenFallback(FallbackRehearsal fallback) {
        this.thenFallback = fallback;
        return withFallback();
    }

    /** How the fallback went; {@code null} without {@link #thenFallback} or when the cutover did not complete. */
    FallbackRehearsal.Outcome fallbackOutcome() {
        return fallbackOutcome;
    }

    /** The source and the target compared once the source caught up; {@code null} without {@link #withFallback()}. */
    ReverseReplicationCheck.Aftermath reverseAftermath() {
        return reverseAftermath;
    }

    /** The DNS name, the app role and the replication objects once the cutover ended; {@code null} without it. */
    HandMadeReplication.Aftermath aftermath() {
        return aftermath;
    }

    /** The same rehearsal with the client as a fleet of application instances ({@code null}: one pool). */
    public Rehearsal withFleet(FleetOptions options) {
        if (options != null && options.client() == dev.cutover.sandbox.client.ClientKind.PGBOUNCER && method != null) {
            throw new IllegalArgumentException("--client pgbouncer needs the saga's dns-switcher to repoint PgBouncer, not " + method);
        }
        this.fleet = options == null ? null : new ClientFleet(options);
        return this;
    }

    /**
     * Kafka with SASL/SCRAM and ACLs (in a JVM of its own): each service logs in as its own user with only
     * {@link KafkaAccess}'s ACLs, its password from a file, and cutoverctl as the operator with {@code --kafka-config}.
     * The rehearsal's own reader of the topics logs in as the broker's admin. Not with a fault: the fault injector
     * has no login yet.
     */
    public Rehearsal withKafkaSasl(boolean on) {
        if (on && fault != null) {
            throw new IllegalArgumentException("--kafka-sasl cannot be combined with --fault yet");
        }
        this.kafkaSecurity = on ? KafkaSecurity.scram().withUsers(Services.kafkaUsers()) : null;
        return this;
    }

    /**
     * A replicator process killed with SIGKILL as the full load's first table is reported copied (processes layout):
     * started again at once when it is the only one, else left dead until the migration is ready ({@link LoadCrash}).
     */
    public Rehearsal withReplicatorKilledMidLoad(boolean on) {
        if (on && options.layout() != Layout.PROCESSES) {
            throw new IllegalArgumentException("--kill-replicator-mid-load kills a process: add --layout processes");
        }
        this.killReplicatorMidLoad = on;
        return this;
    }

    /**
     * {@code count} replicator processes (processes layout), each with {@code cutover.replicator.sharing.enabled}: the
     * one that gets {@code CopyData} hands the load's tasks out and every one copies some.
     */
    public Rehearsal withReplicators(int count) {
        if (count > 1 && options.layout() != Layout.PROCESSES) {
            throw new IllegalArgumentException("--replicators " + count + " needs --layout processes");
        }
        this.replicators = count;
        return this;
    }

    /**
     * The services log in to both servers as a role of their own, {@code user}, with a random password, made before
     * they start, rather than as the superuser, whose password the local stack fixes (a secret nobody could search
     * for).
     */
    Rehearsal withServicesRole(String user) {
        this.servicesRole = new Services.DatabaseLogin(user, UUID.randomUUID().toString().replace("-", ""));
        return this;
    }

    /**
     * {@code inspection} looks at the services, the topics and the work directory after the cutover; the services then
     * log at INFO.
     */
    Rehearsal inspecting(Inspection inspection) {
        this.inspection = inspection;
        return this;
    }

    /** The same rehearsal with another cutover method than the saga; the services then stay idle. */
    public Rehearsal withCutover(CutoverMethod other) {
        this.method = other;
        return this;
    }

    public Report run() throws Exception {
        Path work = Files.createTempDirectory("cutover-rehearsal");
        Instant begin = Instant.now();
        boolean processes = options.layout() == Layout.PROCESSES;
        out.printf("starting the local stack (Kafka%s, PostgreSQL 11 on 127.0.0.2, 17 on 127.0.0.3, BIND)%n",
                kafkaSecurity != null ? " in its own JVM with SASL/SCRAM and ACLs" : processes ? " in its own JVM" : "");
        StackOptions stackOptions = StackOptions.sandbox().withKafkaProcess(processes);
        if (kafkaSecurity != null) {
            stackOptions = stackOptions.withKafkaSecurity(kafkaSecurity);
        }
        try (LocalStack stack = LocalStack.start(stackOptions)) {
            out.printf("  stack      %s%n", stack.startupTimes());
            Map<String, Object> busLogin = Map.of("bootstrap.servers", stack.kafkaBootstrapServers());
            if (kafkaSecurity != null) {
                busLogin = grantAccess((KafkaProcess) stack.kafka(), work);
            }
            SeedData.createRoleAndDatabase(stack.source(), stack.target());
            Instant loading = Instant.now();
            SeedData.load(stack.source(), options.dataMegabytes());
            out.printf("  seed data  %d MB in %d ms%n", options.dataMegabytes(), since(loading));
            if (handMade != null) {
                Instant subscribing = Instant.now();
                handMade.create(stack, options.stepTimeout());
                out.printf("  by hand    %s streams %s in %d ms, %s%n", HandMadeReplication.SUBSCRIPTION,
                        HandMadeReplication.PUBLICATION, since(subscribing), handMade.adopted() ? "adopted" : "not adopted");
            }
            try (Services services = new Services(stack, work, options.dnsTtl(), options.layout());
                    KafkaProbe bus = new KafkaProbe(busLogin, replicators > 1 ? SharedLoad.TOPICS : List.of())) {
                if (kafkaSecurity != null) {
                    services.logInToKafka(kafkaSecurity);
                }
                if (inspection != null) {
                    // At INFO the services log their start-up and every Kafka client's configuration: more to search.
                    services.configure("logging.level.root", "INFO");
                    services.configure("logging.level.dev.cutover", "INFO");
                }
                if (servicesRole != null) {
                    createServicesRole(stack);
                    services.logInToDatabasesAs(servicesRole);
                }
                if (handMade != null) {
                    handMade.configure(services);
                }
                if (reverse != null) {
                    reverse.configure(services);
                }
                if (fleet != null) {
                    fleet.prepare(stack, services);
                }
                if (thenFallback != null) {
                    thenFallback.configure(services);
                }
                Instant starting = Instant.now();
                if (replicators > 1) {
                    services.configure(Services.Service.REPLICATOR, "cutover.replicator.sharing.enabled", "true");
                }
                services.startAll();
                for (int another = 2; another <= replicators; another++) {
                    services.startAnother(Services.Service.REPLICATOR);
                }
                out.printf("  services   %d started in %d ms%s%n", 4 + replicators, since(starting),
                        processes ? ", each its own process (logs in " + services.logDirectory() + ")" : "");
                if (handMade == null) {
                    LoadCrash crash = killReplicatorMidLoad ? new LoadCrash(busLogin, services, replicators == 1) : null;
                    if (crash != null) {
                        crash.start();
                    }
                    try {
                        prepareTarget(bus, stack);
                    } finally {
                        if (crash != null) {
                            crash.close();
                            crash.restoreReplicator();
                        }
                    }
                    if (replicators > 1) {
                        SharedLoad.report(bus, out);
                    }
                    if (crash != null) {
                        bus.await(MigrationReady.class, ready -> true, options.stepTimeout());
                        crash.report(bus.seen(), out);
                    }
                }
                Report report = cutover(stack, bus, services);
                if (inspection != null) {
                    inspection.inspect(new Scene(work, services.logDirectory(), services.actuators(), busLogin));
                }
                return report;
            }
        } finally {
            if (fleet != null) {
                fleet.close();
            }
            out.printf("rehearsal took %d s%n", since(begin) / 1000);
        }
    }

    private void createServicesRole(LocalStack stack) throws SQLException {
        for (Postgres server : List.of(stack.source(), stack.target())) {
            try (Connection c = server.connect("postgres"); Statement s = c.createStatement()) {
                s.execute("create role " + servicesRole.user() + " login superuser replication password '"
                        + servicesRole.password() + "'");
            }
        }
        out.printf("  services   log in to the databases as %s%n", servicesRole.user());
    }

    /**
     * Each service's and the operator's ACLs, as platform's {@link KafkaAccess} lists them, and the operator's client
     * properties file; returns the login of the rehearsal's own reader, the admin, who sees every topic.
     */
    private Map<String, Object> grantAccess(KafkaProcess kafka, Path work) throws IOException {
        for (String user : Services.kafkaUsers()) {
            kafka.allow(user.equals(Services.OPERATOR) ? KafkaAccess.forOperator(user) : KafkaAccess.forService(user, user));
        }
        Properties login = new Properties();
        kafkaSecurity.clientProperties(Services.OPERATOR).forEach(login::put);
        operatorKafkaConfig = work.resolve("kafka-operator.properties");
        try (Writer writer = Files.newBufferedWriter(operatorKafkaConfig)) {
            login.store(writer, "Kafka login of the operator " + Services.OPERATOR);
        }
        out.printf("  kafka      SASL/SCRAM users %s, each with only its ACLs%n", Services.kafkaUsers());
        return kafka.clientProperties(KafkaSecurity.ADMIN);
    }

    /** {@code --bootstrap-servers}, and the operator's {@code --kafka-config} on a broker with SASL. */
    private List<String> kafkaOptions(LocalStack stack) {
        List<String> options = new ArrayList<>(List.of("--bootstrap-servers", stack.kafkaBootstrapServers()));
        if (operatorKafkaConfig != null) {
            options.addAll(List.of("--kafka-config", operatorKafkaConfig.toString()));
        }
        return options;
    }

    private String[] cutoverctlArguments(LocalStack stack, String... args) {
        List<String> all = new ArrayList<>();
        int words = args.length > 1 && args[0].equals("migrate") ? 2 : 1;
        all.addAll(List.of(args).subList(0, words));
        all.addAll(kafkaOptions(stack));
        all.addAll(List.of(args).subList(words, args.length));
        return all.toArray(String[]::new);
    }

    private Report cutover(LocalStack stack, KafkaProbe bus, Services services) throws Exception {
        String name = stack.dns().databaseName().replaceAll("\\.$", "");
        InetSocketAddress dns = new InetSocketAddress(stack.dns().host(), stack.dns().port());
        if (options.clientDns() == ClientDns.TTL) {
            JvmDns.install(dns, options.clientDnsCache());
        }
        ClientSettings settings = ClientSettings.defaults(name, stack.source().port(), SeedData.DATABASE, SeedData.ROLE,
                SeedData.PASSWORD).withRate(options.rate()).withWorkers(options.workers())
                .withAddresses(stack.source().host(), stack.target().host()).withDns(dns, options.clientDnsCache());
        if (options.clientDns() == ClientDns.NONE) {
            settings = settings.withoutPool();
        }
        try (RehearsalClient client = fleet != null ? fleet.start(settings, stack, options.clientDnsCache()) : RehearsalClient.start(settings)) {
            out.printf("client       %d connections%s, %.0f writes/s through %s%n", options.workers(),
                    options.clientDns() == ClientDns.NONE ? " (no pool, no DNS cache)"
                            : fleet != null ? " (" + fleet.describe(options.clientDnsCache()) + ")" : "", options.rate(), name);
            awaitCondition("the client's warm-up", () -> client.progress().acked() >= options.warmUpWrites());
            if (options.layout() == Layout.PROCESSES && options.settle().isPositive()) {
                Settling.await(services.compilerCpu().isPresent()
                        ? Settling.Gauge.compilers(services::compilerCpu)
                        : Settling.Gauge.processes(services::processCpu), options.settle(), out);
            }
            // The services, the broker and the client share this JVM, and a collection of its young generation
            // stops them all at once for tens of milliseconds. One now, before the switch (with the young generation
            // ./rehearse sizes to outlast it), keeps the harness's own pauses out of either method's figures.
            System.gc();
            if (method != null) {
                return cutoverWith(method, stack, client);
            }

            String cutoverId = SeedData.DATABASE + "-" + LocalDateTime.now(ZoneOffset.UTC).format(ID_TIME);
            FaultInjector injector = null;
            if (fault != null) {
                injector = new FaultInjector(fault, new Fault.Scene(stack, services), stack.kafkaBootstrapServers(), cutoverId, out);
                injector.start();
                out.printf("fault        %s: %s%n", fault.name(), fault.description());
            }
            Instant asked = Instant.now();
            int started = cutoverctl(cutoverctlArguments(stack, "start",
                    "--database", SeedData.DATABASE, "--operator", Services.OPERATOR, "--reason", "rehearsal",
                    "--cutover-id", cutoverId));
            Duration cutoverctlStart = Duration.between(asked, Instant.now());
            if (started != 0) {
                throw new RehearsalFailed("cutoverctl start failed with exit code " + started);
            }
            Cutoverctl.run(out, out, cutoverctlArguments(stack, "watch",
                    "--cutover", cutoverId, "--timeout", options.stepTimeout().toSeconds() + "s"));
            SpecificRecord end = bus.await(SpecificRecord.class, m -> cutoverId.equals(cutoverOf(m))
                    && (m instanceof CutoverCompleted || m instanceof CutoverRolledBack || m instanceof CutoverRejected),
                    options.stepTimeout());
            CutoverResult result = switch (end) {
                case CutoverCompleted c -> CutoverResult.COMPLETED;
                case CutoverRolledBack r -> CutoverResult.ROLLED_BACK;
                default -> CutoverResult.FAILED;
            };
            if (result == CutoverResult.COMPLETED) {
                long target = client.progress().ackedByTarget();
                awaitCondition("writes on the target", () -> client.progress().ackedByTarget() >= target + options.writesAfter());
            }
            if (thenFallback != null && result == CutoverResult.COMPLETED) {
                fallbackOutcome = thenFallback.run(stack, bus, client, cutoverId, options.writesAfter(),
                        options.stepTimeout(), out);
            }
            long sourceAcksAfterRollback = 0;
            if (result == CutoverResult.ROLLED_BACK) {
                // The source serves again: the client's writes through the DNS name are acknowledged by it.
                long source = client.progress().ackedBySource();
                awaitCondition("writes on the source after the rollback",
                        () -> client.progress().ackedBySource() >= source + options.writesAfter());
                sourceAcksAfterRollback = client.progress().ackedBySource() - source;
            }
            if (handMade != null) {
                aftermath = handMade.observe(stack, bus, cutoverId, result, options.stepTimeout());
            }
            if (injector != null) {
                injector.close();
                faultVerdict = FaultVerdict.of(injector.outcome(), result, sourceAcksAfterRollback, stack.source());
                out.printf("fault        %s%n", faultVerdict.describe());
            }
            ClientRecord record = client.stop();
            if (reverse != null && result == CutoverResult.COMPLETED && fallbackOutcome == null) {
                reverseAftermath = reverse.observe(stack, bus, cutoverId, options.stepTimeout());
                out.printf("fallback     the source follows the target from %s: source %s, target %s%n",
                        reverseAftermath.started().getFromLsn(), reverseAftermath.sourceRows(),
                        reverseAftermath.targetRows());
            }
            ReportInputs inputs = inputs(bus, cutoverId, record, result).withCutoverctlStart(cutoverctlStart);
            try (Connection source = stack.source().connect(SeedData.DATABASE);
                    Connection target = stack.target().connect(SeedData.DATABASE)) {
                Report report = fallbackOutcome == null ? Report.create(inputs, source, target)
                        : fallbackOutcome.report(inputs, source, target);
                out.println();
                Cutoverctl.run(out, out, cutoverctlArguments(stack, "timeline", "--cutover", cutoverId));
                out.println();
                return report;
            }
        }
    }

    /** The cutover by another method, then the same wait for the target's writes and the same report. */
    private Report cutoverWith(CutoverMethod other, LocalStack stack, RehearsalClient client) throws Exception {
        CutoverMethod.Outcome outcome = other.cutover(new CutoverMethod.Setting(stack, SeedData.DATABASE, SeedData.ROLE,
                "cutover_sub_" + SeedData.DATABASE, "cutover_slot_" + SeedData.DATABASE, options.dnsTtl(),
                options.stepTimeout(), out));
        if (outcome.result() == CutoverResult.COMPLETED) {
            long target = client.progress().ackedByTarget();
            awaitCondition("writes on the target", () -> client.progress().ackedByTarget() >= target + options.writesAfter());
        }
        ClientRecord record = client.stop();
        ReportInputs inputs = outcome.times().apply(ReportInputs.of(record, outcome.result())).withTimeline(outcome.timeline());
        try (Connection source = stack.source().connect(SeedData.DATABASE);
                Connection target = stack.target().connect(SeedData.DATABASE)) {
            return Report.create(inputs, source, target);
        }
    }

    /** The report's inputs: the client's record and the times of the cutover's messages {@code bus} has seen. */
    public static ReportInputs inputs(KafkaProbe bus, String cutoverId, ClientRecord record, CutoverResult result) {
        ReportInputs inputs = ReportInputs.of(record, result);
        Optional<Instant> fenceStart = bus.seen().stream()
                .filter(m -> m instanceof StepStarted s && s.getStep().equals("STOP_TRAFFIC") && cutoverId.equals(cutoverOf(m)))
                .map(m -> MessagePublisher.metadataOf(m).getOccurredAt()).findFirst();
        Optional<Instant> flipped = at(bus, cutoverId, DnsFlipped.class);
        inputs = fenceStart.map(inputs::withFenceStartedAt).orElse(inputs);
        inputs = at(bus, cutoverId, StartCutover.class).map(inputs::withStartRequestedAt).orElse(inputs);
        inputs = at(bus, cutoverId, CutoverStarted.class).map(inputs::withCutoverStartedAt).orElse(inputs);
        inputs = at(bus, cutoverId, TrafficStopped.class).map(inputs::withFenceAt).orElse(inputs);
        inputs = at(bus, cutoverId, SourceRestored.class).map(inputs::withSourceRestoredAt).orElse(inputs);
        inputs = at(bus, cutoverId, TargetOpened.class).map(inputs::withTargetOpenedAt).orElse(inputs);
        inputs = flipped.map(inputs::withFlippedAt).orElse(inputs);
        if (fenceStart.isPresent() && flipped.isPresent()) {
            inputs = inputs.withFenceToFlip(Duration.between(fenceStart.get(), flipped.get()));
        }
        return inputs;
    }

    /**
     * cutoverctl as the operator runs it: in the processes layout its script in a JVM of its own (its start-up is part
     * of what the operator waits for), in one JVM its library.
     */
    private int cutoverctl(String... args) throws IOException, InterruptedException {
        if (options.layout() == Layout.ONE_JVM) {
            return Cutoverctl.run(out, out, args);
        }
        List<String> command = new ArrayList<>(List.of(ServiceProcess.moduleDirectory("cutoverctl").resolve("cutoverctl").toString()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
        Process process = builder.start();
        process.getInputStream().transferTo(out);
        return process.waitFor();
    }

    /**
     * The migration to streaming: in the processes layout as an operator starts it, {@code cutoverctl migrate start
     * --watch}; in one JVM by the driver, which prints each step.
     */
    private void prepareTarget(KafkaProbe bus, LocalStack stack) throws IOException, InterruptedException {
        if (options.layout() == Layout.ONE_JVM) {
            new MigrationDriver(bus, out, options.stepTimeout()).prepareTarget();
            return;
        }
        int exit = cutoverctl(cutoverctlArguments(stack, "migrate", "start", "--database",
                SeedData.DATABASE, "--operator", Services.OPERATOR, "--reason", "rehearsal", "--watch", "--timeout",
                options.stepTimeout().toSeconds() + "s"));
        if (exit != 0) {
            throw new RehearsalFailed("cutoverctl migrate start --watch ended with exit code " + exit
                    + ": the migration did not become ready (its events are above)");
        }
    }

    private static Optional<Instant> at(KafkaProbe bus, String cutoverId, Class<? extends SpecificRecord> type) {
        return bus.seen().stream().filter(m -> type.isInstance(m) && cutoverId.equals(cutoverOf(m)))
                .map(m -> MessagePublisher.metadataOf(m).getOccurredAt()).findFirst();
    }

    private static String cutoverOf(SpecificRecord message) {
        return MessagePublisher.metadataOf(message).getCutoverId();
    }

    private void awaitCondition(String what, BooleanSupplier condition) throws InterruptedException {
        Instant deadline = Instant.now().plus(options.stepTimeout());
        while (!condition.getAsBoolean()) {
            if (Instant.now().isAfter(deadline)) {
                throw new RehearsalFailed(what + " did not happen within " + options.stepTimeout());
            }
            Thread.sleep(20);
        }
    }

    private static long since(Instant start) {
        return Duration.between(start, Instant.now()).toMillis();
    }
}
