package dev.cutover.sandbox.rehearsal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import org.apache.avro.specific.SpecificRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.cutover.events.CutoverCompleted;
import dev.cutover.events.DnsFlipped;
import dev.cutover.events.PgBouncerResumed;
import dev.cutover.events.StartCutover;
import dev.cutover.events.TargetOpened;
import dev.cutover.platform.KafkaProbe;
import dev.cutover.platform.MessagePublisher;
import dev.cutover.stack.LocalStack;
import dev.cutover.stack.PgBouncerServer;
import dev.cutover.stack.StackOptions;

/**
 * An application that reaches its database through a real PgBouncer, cut over by every service with dns-switcher in
 * PgBouncer mode: the statement it sends once the entry is flipped is held by PgBouncer, not refused, and runs on
 * the target when the target opens.
 */
class PgBouncerCutoverEndToEndTest {

    private static final Duration TIMEOUT = Duration.ofMinutes(3);

    private static LocalStack stack;
    private static PgBouncerServer pgbouncer;
    private static Services services;
    private static KafkaProbe bus;
    private static final ExecutorService APPLICATION = Executors.newSingleThreadExecutor();

    @BeforeAll
    static void start() throws Exception {
        stack = LocalStack.start(StackOptions.defaults());
        SeedData.createRoleAndDatabase(stack.source(), stack.target());
        SeedData.load(stack.source(), 1);
        pgbouncer = PgBouncerServer.start(PgBouncerServer.Options.of()
                .withUser(SeedData.ROLE, SeedData.PASSWORD)
                .withDatabase(SeedData.DATABASE, "host=" + stack.source().host() + " port=" + stack.source().port()
                        + " dbname=" + SeedData.DATABASE));
        Services.Database database = new Services.Database(SeedData.DATABASE, stack.source(), stack.target(),
                SeedData.ROLE, null);
        services = new Services(stack, Files.createTempDirectory("cutover-pgbouncer"), Duration.ofSeconds(1),
                List.of(database));
        services.switchThroughPgBouncer(database, pgbouncer, SeedData.DATABASE);
        services.startAll();
        bus = new KafkaProbe(stack.kafkaBootstrapServers());
    }

    @AfterAll
    static void stop() throws Exception {
        APPLICATION.shutdownNow();
        if (services != null) {
            services.close();
        }
        if (bus != null) {
            bus.close();
        }
        if (pgbouncer != null) {
            pgbouncer.close();
        }
        if (stack != null) {
            stack.close();
        }
    }

    @Test
    void theStatementSentWhileTheEntryIsFlippedIsHeldAndRunsOnTheTargetOnceItOpens() throws Exception {
        MigrationDriver.Outcome migration = new MigrationDriver(bus, System.out, TIMEOUT).migrate(SeedData.DATABASE);
        assertThat(migration.failure()).isNull();
        try (Connection client = client()) {
            assertThat(insertOn(client, "before")).isEqualTo(stack.source().port());
            String cutoverId = "pgbouncer-" + UUID.randomUUID();

            bus.send(StartCutover.newBuilder()
                    .setMetadata(KafkaProbe.metadata(SeedData.DATABASE, cutoverId, null))
                    .setOperator(Services.OPERATOR)
                    .setDryRun(false)
                    .setReason("through PgBouncer")
                    .build());
            DnsFlipped flipped = bus.await(DnsFlipped.class, m -> ofCutover(m, cutoverId), TIMEOUT);
            // A thread of its own: the services share this JVM, and some run their blocking work in the common pool.
            CompletableFuture<Instant> held = CompletableFuture.supplyAsync(() -> {
                assertThat(insertOn(client, "held")).isEqualTo(stack.target().port());
                return Instant.now();
            }, APPLICATION);
            TargetOpened opened = bus.await(TargetOpened.class, m -> ofCutover(m, cutoverId), TIMEOUT);
            CutoverCompleted completed = bus.await(CutoverCompleted.class, m -> ofCutover(m, cutoverId), TIMEOUT);
            PgBouncerResumed resumed = bus.await(PgBouncerResumed.class, m -> ofCutover(m, cutoverId), TIMEOUT);

            Instant ran = held.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            assertThat(flipped.getCurrent()).isEqualTo(stack.target().host() + ":" + stack.target().port());
            assertThat(resumed.getCause()).isEqualTo("TARGET_OPENED");
            assertThat(resumed.getServer()).isEqualTo(flipped.getCurrent());
            assertThat(countOf(stack.source().connect(SeedData.DATABASE), "held")).isZero();
            assertThat(countOf(stack.target().connect(SeedData.DATABASE), "held")).isOne();
            // From the fence's answer to the held statement's: what the switch adds after the target opens.
            System.out.printf("through PgBouncer: downtime %d ms, clients held %d ms, target opened to held statement run %d ms%n",
                    completed.getDowntimeMs(), resumed.getHeldMs(),
                    Duration.between(opened.getMetadata().getOccurredAt(), ran).toMillis());
        }
    }

    private static boolean ofCutover(SpecificRecord message, String cutoverId) {
        return cutoverId.equals(MessagePublisher.metadataOf(message).getCutoverId());
    }

    /** The application's connection: its role, through PgBouncer in transaction pooling, so nothing is prepared. */
    private static Connection client() throws SQLException {
        Properties properties = new Properties();
        properties.setProperty("user", SeedData.ROLE);
        properties.setProperty("password", SeedData.PASSWORD);
        properties.setProperty("preferQueryMode", "simple");
        return DriverManager.getConnection(pgbouncer.jdbcUrl(SeedData.DATABASE), properties);
    }

    /** Writes a service row named {@code name} and says which server took it, by its port. */
    private static int insertOn(Connection client, String name) {
        try (Statement statement = client.createStatement();
                ResultSet row = statement.executeQuery(
                        "INSERT INTO services (name) VALUES ('" + name + "') RETURNING inet_server_port()")) {
            row.next();
            return row.getInt(1);
        } catch (SQLException e) {
            throw new IllegalStateException("the application's write '" + name + "' failed: " + e.getMessage(), e);
        }
    }

    private static int countOf(Connection server, String name) throws SQLException {
        try (server; Statement statement = server.createStatement();
                ResultSet row = statement.executeQuery("SELECT count(*) FROM services WHERE name = '" + name + "'")) {
            row.next();
            return row.getInt(1);
        }
    }
}
