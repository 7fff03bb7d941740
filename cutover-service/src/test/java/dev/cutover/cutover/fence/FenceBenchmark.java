package dev.cutover.cutover.fence;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import dev.cutover.events.RestoreSource;
import dev.cutover.events.SourceRestored;
import dev.cutover.events.StopTraffic;
import dev.cutover.events.TrafficStopped;
import dev.cutover.platform.KafkaProbe;
import dev.cutover.stack.LocalStack;
import dev.cutover.stack.Postgres;
import dev.cutover.stack.StackOptions;
import dev.cutover.stack.StackPart;

/**
 * The fence as it runs in production: cutover-service's executable jar in a process of its own, against a broker and a
 * PostgreSQL 11 source, while 8 libpq clients ({@code psql}) each connect, insert and disconnect every 20 ms. Each run
 * sends {@code StopTraffic} and times it to {@code TrafficStopped} (the two events' times), then puts the source back
 * with {@code RestoreSource}. The first run is the process's first fence; the service's class-loading log shows
 * whether it loaded any of the driver's classes. Not a test: run it by hand (the module's README says how).
 */
public final class FenceBenchmark {

    private static final String DATABASE = "fencebench";
    private static final String ROLE = "fencebench_app";
    private static final int CLIENTS = 8;

    private FenceBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int runs = args.length > 0 ? Integer.parseInt(args[0]) : 10;
        Path jar = Path.of(args.length > 1 ? args[1] : "cutover-service/target/cutover-service-0.1.0-SNAPSHOT-exec.jar");
        Path work = Files.createTempDirectory("fence-benchmark");
        Path classLoading = work.resolve("class-load.log");
        List<Process> processes = new ArrayList<>();
        try (LocalStack stack = LocalStack.start(StackOptions.defaults()
                .withParts(StackPart.KAFKA, StackPart.SOURCE, StackPart.TARGET))) {
            prepare(stack);
            // Started as its Dockerfile starts it, with the JVM options the module ships (decision 124).
            Process service = new ProcessBuilder(javaBin(), "@cutover-service/jvm.options",
                    "-Xlog:class+load=info:file=" + classLoading, "-jar", jar.toString(),
                    "--spring.kafka.bootstrap-servers=" + stack.kafkaBootstrapServers(),
                    "--server.port=0",
                    "--cutover.saga.operators=benchmark",
                    endpoint("source", stack.source()), port("source", stack.source()), db("source"), user("source"),
                    password("source", stack.source()),
                    endpoint("target", stack.target()), port("target", stack.target()), db("target"), user("target"),
                    password("target", stack.target()),
                    "--cutover.databases." + DATABASE + ".app-roles=" + ROLE)
                    .redirectErrorStream(true).redirectOutput(work.resolve("service.log").toFile()).start();
            processes.add(service);
            for (int i = 0; i < CLIENTS; i++) {
                processes.add(client(stack.source(), work.resolve("client-" + i + ".log")));
            }
            try (KafkaProbe probe = new KafkaProbe(stack.kafkaBootstrapServers())) {
                awaitReady(work.resolve("service.log"));
                List<Long> fenceMs = new ArrayList<>();
                for (int run = 0; run < runs; run++) {
                    awaitSessions(stack.source());
                    long driverBefore = driverClasses(classLoading);
                    StopTraffic stop = StopTraffic.newBuilder()
                            .setMetadata(KafkaProbe.metadata(DATABASE, null, null)).setTimeoutMs(5_000).build();
                    probe.send(stop);
                    TrafficStopped stopped = probe.awaitAnswer(TrafficStopped.class, stop.getMetadata().getMessageId(),
                            Duration.ofSeconds(30));
                    long took = Duration.between(stop.getMetadata().getOccurredAt(),
                            stopped.getMetadata().getOccurredAt()).toMillis();
                    fenceMs.add(took);
                    System.out.printf("run %d: fenceMs %d (fence itself %d ms, %d sessions ended), driver classes"
                                    + " loaded by it: %d%n", run + 1, took, stopped.getDurationMs(),
                            stopped.getTerminatedSessions(), driverClasses(classLoading) - driverBefore);
                    RestoreSource restore = RestoreSource.newBuilder()
                            .setMetadata(KafkaProbe.metadata(DATABASE, null, null)).setReason("benchmark").build();
                    probe.send(restore);
                    probe.awaitAnswer(SourceRestored.class, restore.getMetadata().getMessageId(),
                            Duration.ofSeconds(30));
                }
                List<Long> sorted = fenceMs.stream().sorted().toList();
                System.out.printf("fenceMs over %d runs: first %d, median %d, p95 %d, max %d%n", runs, fenceMs.getFirst(),
                        sorted.get(runs / 2), sorted.get((int) Math.ceil(runs * 0.95) - 1), sorted.getLast());
            }
        } finally {
            for (Process process : processes) {
                process.descendants().forEach(ProcessHandle::destroy);
                process.destroy();
                process.waitFor(10, TimeUnit.SECONDS);
            }
            System.out.println("logs in " + work);
        }
    }

    private static void prepare(LocalStack stack) throws SQLException {
        for (Postgres server : List.of(stack.source(), stack.target())) {
            server.createDatabase(DATABASE);
            try (Connection c = server.connect(DATABASE); Statement s = c.createStatement()) {
                s.execute("create role " + ROLE + (server == stack.source() ? " login" : " nologin")
                        + " password 'app'");
                s.execute("create table writes (id bigserial primary key, at timestamptz default now())");
                s.execute("grant insert on writes to " + ROLE);
                s.execute("grant usage on sequence writes_id_seq to " + ROLE);
            }
        }
    }

    /** One libpq client: connects, inserts, disconnects, every 20 ms, whatever happens. */
    private static Process client(Postgres source, Path log) throws IOException {
        String connect = "host=" + source.host() + " port=" + source.port() + " dbname=" + DATABASE + " user=" + ROLE;
        ProcessBuilder builder = new ProcessBuilder("bash", "-c", "while true; do psql -X -q '" + connect
                + "' -c 'insert into writes default values'; sleep 0.02; done");
        builder.environment().put("PGPASSWORD", "app");
        return builder.redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }

    private static void awaitReady(Path serviceLog) throws IOException, InterruptedException {
        Instant deadline = Instant.now().plusSeconds(120);
        while (!Files.readString(serviceLog).contains("Started CutoverServiceApplication")) {
            if (Instant.now().isAfter(deadline)) {
                throw new IllegalStateException("cutover-service did not start: see " + serviceLog);
            }
            Thread.sleep(200);
        }
        // What runs once the application is ready (the warm-ups, the schemas published) goes on for a while on a busy
        // host; a cutover's first StopTraffic comes long after it.
        Thread.sleep(20_000);
    }

    /** The clients are back on the source (it was restored after the previous run). */
    private static void awaitSessions(Postgres source) throws SQLException, InterruptedException {
        Instant deadline = Instant.now().plusSeconds(30);
        try (Connection admin = source.connect(DATABASE); Statement statement = admin.createStatement()) {
            long before = writes(statement);
            while (writes(statement) < before + 4 * CLIENTS) {
                if (Instant.now().isAfter(deadline)) {
                    throw new IllegalStateException("the clients do not write to the source");
                }
                Thread.sleep(50);
            }
        }
    }

    private static long writes(Statement statement) throws SQLException {
        try (ResultSet rs = statement.executeQuery("select count(*) from writes")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static long driverClasses(Path classLoading) throws IOException {
        try (var lines = Files.lines(classLoading)) {
            return lines.filter(line -> line.contains(" org.postgresql.")).count();
        }
    }

    private static String javaBin() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    private static String endpoint(String side, Postgres server) {
        return "--cutover.databases." + DATABASE + "." + side + ".host=" + server.host();
    }

    private static String port(String side, Postgres server) {
        return "--cutover.databases." + DATABASE + "." + side + ".port=" + server.port();
    }

    private static String db(String side) {
        return "--cutover.databases." + DATABASE + "." + side + ".database=" + DATABASE;
    }

    private static String user(String side) {
        return "--cutover.databases." + DATABASE + "." + side + ".user=postgres";
    }

    private static String password(String side, Postgres server) {
        return "--cutover.databases." + DATABASE + "." + side + ".password=" + server.password();
    }
}
