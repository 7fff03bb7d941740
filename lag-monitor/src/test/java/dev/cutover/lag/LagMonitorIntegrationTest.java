package dev.cutover.lag;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.UUID;
import java.util.function.Predicate;

import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import dev.cutover.events.AwaitCatchUp;
import dev.cutover.events.CutoverStarted;
import dev.cutover.events.CanaryObserved;
import dev.cutover.events.LagReported;
import dev.cutover.events.Metadata;
import dev.cutover.events.ReplicationRecovered;
import dev.cutover.events.ReplicationStalled;
import dev.cutover.events.SourceRestored;
import dev.cutover.events.StartReverseReplication;
import dev.cutover.events.StaleWriterDetected;
import dev.cutover.events.StepFailed;
import dev.cutover.events.TrafficStopped;
import dev.cutover.events.serde.AvroMessageDeserializer;
import dev.cutover.lag.fixture.ReplicatedDatabase;
import dev.cutover.lag.monitor.LagMonitor;
import dev.cutover.lag.stale.StaleWriterService;
import dev.cutover.platform.MessagePublisher;
import dev.cutover.stack.LocalStack;
import dev.cutover.stack.SharedStackExtension;

/** The service as deployed: configured by properties, commanded and observed through a real broker. */
@ExtendWith(SharedStackExtension.class)
class LagMonitorIntegrationTest {

    private static final String DATABASE = "lagmonitorapp";
    private static final String APP_ROLE = "lagmonitor_app";

    private static ReplicatedDatabase database;
    private static ConfigurableApplicationContext service;
    private static KafkaConsumer<String, SpecificRecord> consumer;
    private static final List<ConsumerRecord<String, SpecificRecord>> received = new ArrayList<>();
    private static String sourceUrl;

    @BeforeAll
    static void start(LocalStack stack) throws SQLException {
        database = ReplicatedDatabase.create(stack, DATABASE);
        database.onSource("create role " + APP_ROLE + " login password 'app'",
                "grant insert, select on orders to " + APP_ROLE,
                "grant usage on sequence orders_id_seq to " + APP_ROLE);
        sourceUrl = stack.source().jdbcUrl(DATABASE);
        Map<String, Object> properties = new HashMap<>();
        properties.put("spring.kafka.bootstrap-servers", stack.kafkaBootstrapServers());
        properties.put("server.port", "0");
        endpoint(properties, "source", stack.source());
        endpoint(properties, "target", stack.target());
        properties.put("cutover.databases." + DATABASE + ".app-roles[0]", APP_ROLE);
        String lag = "cutover.lag.databases." + DATABASE + ".";
        properties.put(lag + "engine", "native");
        properties.put(lag + "subscription", database.subscription());
        properties.put(lag + "interval", "200ms");
        properties.put(lag + "stall-after", "2s");
        properties.put(lag + "catching-up-delay", "1s");
        service = new SpringApplicationBuilder(LagMonitorApplication.class).properties(properties).run();

        Properties consumerProperties = new Properties();
        consumerProperties.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.kafkaBootstrapServers());
        consumerProperties.put(ConsumerConfig.GROUP_ID_CONFIG, "lag-monitor-test-" + UUID.randomUUID());
        consumerProperties.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        consumer = new KafkaConsumer<>(consumerProperties, new StringDeserializer(), new AvroMessageDeserializer());
        consumer.subscribe(List.of("cutover.events", "replication.lag"));
    }

    @AfterAll
    static void stop() throws SQLException {
        consumer.close();
        service.close();
        database.close();
    }

    @Test
    void lagIsReportedEveryIntervalKeyedByTheDatabase() {
        List<LagReported> reports = await().atMost(Duration.ofSeconds(30)).until(
                () -> all(LagReported.class, r -> r.getMetadata().getDatabase().equals(DATABASE)), r -> r.size() >= 5);

        ConsumerRecord<String, SpecificRecord> record = first(LagReported.class, r -> true).orElseThrow();
        assertThat(record.topic()).isEqualTo("replication.lag");
        assertThat(record.key()).isEqualTo(DATABASE);
        LagReported last = reports.getLast();
        assertThat(last.getEngine()).isEqualTo("NATIVE");
        assertThat(last.getSlotLagBytes()).isNotNull();
        assertThat(last.getRetainedWalBytes()).isNotNull();
        assertThat(last.getHeartbeatLagMs()).isNotNull();
        assertThat(last.getSourceLsn()).isNotNull();
        assertThat(reports).extracting(LagReported::getState).contains("STREAMING");
    }

    @Test
    void awaitCatchUpIsAnsweredWithCanaryObservedAndItsLatency() throws SQLException {
        String token = "canary-" + UUID.randomUUID();
        String lsn = database.writeCanary(token);
        AwaitCatchUp command = AwaitCatchUp.newBuilder().setMetadata(command()).setCanaryToken(token)
                .setCanaryLsn(lsn).setTimeoutMs(10_000).build();

        publisher().publish(command);

        CanaryObserved observed = await().atMost(Duration.ofSeconds(30))
                .until(() -> event(CanaryObserved.class, e -> e.getToken().equals(token)), Optional::isPresent)
                .orElseThrow();
        assertThat(String.valueOf(observed.getMetadata().getCausationId()))
                .isEqualTo(String.valueOf(command.getMetadata().getMessageId()));
        assertThat(observed.getLatencyMs()).isBetween(0L, 10_000L);
        assertThat(observed.getTargetLsn()).contains("/");
    }

    @Test
    void awaitCatchUpSentBeforeTheCanaryIsWrittenIsAnsweredOnceTheCanaryReachesTheTarget() throws SQLException {
        String token = "canary-" + UUID.randomUUID();
        AwaitCatchUp command = AwaitCatchUp.newBuilder().setMetadata(command()).setCanaryToken(token)
                .setTimeoutMs(30_000).build();

        publisher().publish(command);
        database.writeCanary(token);

        CanaryObserved observed = await().atMost(Duration.ofSeconds(30))
                .until(() -> event(CanaryObserved.class, e -> e.getToken().equals(token)), Optional::isPresent)
                .orElseThrow();
        assertThat(String.valueOf(observed.getMetadata().getCausationId()))
                .isEqualTo(String.valueOf(command.getMetadata().getMessageId()));
        assertThat(observed.getTargetLsn()).contains("/");
    }

    @Test
    void aStartedCutoverReadiesTheCanaryWaitOnTheTargetWithoutWritingACanary() throws SQLException {
        database.onTarget("drop trigger if exists cutover_canary_notify on cutover.canary");
        long canaries = count(database::connectSource, "select count(*) from cutover.canary");

        publisher().publish(CutoverStarted.newBuilder().setMetadata(command()).setOperator("alice").setDryRun(false)
                .setReason("test").setDnsRecord("db.example.test.").setSourceAddress("127.0.0.2")
                .setTargetAddress("127.0.0.3").setPrepareFallback(false).build());

        // Before any AwaitCatchUp: the wait's first pass ran, and made the trigger it listens to.
        await().atMost(Duration.ofSeconds(30)).until(() -> count(database::connectTarget,
                "select count(*) from pg_trigger where tgname = 'cutover_canary_notify' and tgenabled = 'A'"), n -> n == 1);
        assertThat(count(database::connectSource, "select count(*) from cutover.canary")).isEqualTo(canaries);
    }

    @Test
    void aStartedCutoverIsAnsweredWithALagReadingTakenForItOffTheSchedule() {
        Metadata started = command();
        publisher().publish(CutoverStarted.newBuilder().setMetadata(started).setOperator("alice").setDryRun(false)
                .setReason("test").setDnsRecord("db.example.test.").setSourceAddress("127.0.0.2")
                .setTargetAddress("127.0.0.3").setPrepareFallback(false).build());

        ConsumerRecord<String, SpecificRecord> reading = await().atMost(Duration.ofSeconds(30)).until(
                () -> first(LagReported.class, r -> String.valueOf(r.getMetadata().getCausationId())
                        .equals(String.valueOf(started.getMessageId()))), Optional::isPresent).orElseThrow();
        assertThat(reading.topic()).isEqualTo("replication.lag");
        assertThat(reading.key()).as("in the database's order, with the readings of the schedule").isEqualTo(DATABASE);
        LagReported report = (LagReported) reading.value();
        assertThat(report.getState()).isEqualTo("STREAMING");
        assertThat(report.getMetadata().getOccurredAt()).isAfterOrEqualTo(started.getOccurredAt());
    }

    private interface Connect {
        Connection open() throws SQLException;
    }

    private static long count(Connect side, String query) throws SQLException {
        try (Connection connection = side.open(); Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery(query)) {
            rows.next();
            return rows.getLong(1);
        }
    }

    @Test
    void canaryThatCannotArriveFailsWithFiguresAndTheSubscriptionIsReportedStalledThenRecovered() throws SQLException {
        database.disableSubscription();
        try {
            String token = "canary-" + UUID.randomUUID();
            String lsn = database.writeCanary(token);
            AwaitCatchUp command = AwaitCatchUp.newBuilder().setMetadata(command()).setCanaryToken(token)
                    .setCanaryLsn(lsn).setTimeoutMs(500).build();

            publisher().publish(command);

            StepFailed failed = await().atMost(Duration.ofSeconds(30))
                    .until(() -> event(StepFailed.class, e -> String.valueOf(e.getMetadata().getCausationId())
                            .equals(String.valueOf(command.getMetadata().getMessageId()))), Optional::isPresent)
                    .orElseThrow();
            assertThat(failed.getStep()).isEqualTo("AwaitCatchUp");
            assertThat(failed.getRetryable()).isTrue();
            assertThat(failed.getReason()).contains(token, "not visible", lsn, "slot lag", "disabled", "heartbeat lag");
            ReplicationStalled stalled = await().atMost(Duration.ofSeconds(15))
                    .until(() -> event(ReplicationStalled.class, e -> true), Optional::isPresent).orElseThrow();
            assertThat(stalled.getStalledForMs()).isGreaterThanOrEqualTo(2_000);
        } finally {
            database.enableSubscription();
        }
        await().atMost(Duration.ofSeconds(30))
                .until(() -> event(ReplicationRecovered.class, e -> true), Optional::isPresent);
    }

    @Test
    void writesOnTheSourceAfterTheFenceAreReportedAsStaleWriters() throws SQLException {
        LagMonitor monitor = service.getBean(LagMonitor.class);
        publisher().publish(TrafficStopped.newBuilder().setMetadata(command()).setFenceLsn(database.sourceLsn())
                .setRoles(List.of(APP_ROLE)).build());
        await().atMost(Duration.ofSeconds(30)).until(() -> !monitor.heartbeatOn(DATABASE));

        try (Connection app = DriverManager.getConnection(sourceUrl, APP_ROLE, "app");
                Statement statement = app.createStatement()) {
            StaleWriterDetected detected = await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                    .until(() -> {
                        statement.executeUpdate("insert into orders (item) values ('after the fence')");
                        return event(StaleWriterDetected.class, e -> true);
                    }, Optional::isPresent).orElseThrow();
            assertThat(detected.getRole()).isEqualTo(APP_ROLE);
            assertThat(detected.getTransactions()).isPositive();
            assertThat(detected.getDetail()).contains("fence at", "row(s) written", APP_ROLE);
        }

        publisher().publish(SourceRestored.newBuilder().setMetadata(command()).setRoles(List.of(APP_ROLE)).build());
        await().atMost(Duration.ofSeconds(30)).until(() -> monitor.heartbeatOn(DATABASE));
    }

    @Test
    void theWatchForStaleWritersEndsWhenTheSourceIsToFollowTheTarget() throws SQLException {
        LagMonitor monitor = service.getBean(LagMonitor.class);
        StaleWriterService staleWriters = service.getBean(StaleWriterService.class);
        publisher().publish(TrafficStopped.newBuilder().setMetadata(command()).setFenceLsn(database.sourceLsn())
                .setRoles(List.of(APP_ROLE)).build());
        await().atMost(Duration.ofSeconds(30)).until(() -> staleWriters.watching(DATABASE));

        publisher().publish(StartReverseReplication.newBuilder().setMetadata(command())
                .setFromLsn(database.sourceLsn()).build());

        await().atMost(Duration.ofSeconds(30)).until(() -> !staleWriters.watching(DATABASE));
        assertThat(monitor.heartbeatOn(DATABASE)).as("nothing flows forward any more").isFalse();
        publisher().publish(SourceRestored.newBuilder().setMetadata(command()).setRoles(List.of(APP_ROLE)).build());
        await().atMost(Duration.ofSeconds(30)).until(() -> monitor.heartbeatOn(DATABASE));
    }

    @Test
    void lagGaugesPerDatabaseAreOnThePrometheusEndpoint() {
        String port = service.getEnvironment().getProperty("local.server.port");
        HttpClient http = HttpClient.newHttpClient();

        String scrape = await().atMost(Duration.ofSeconds(30)).until(() -> http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/actuator/prometheus")).build(),
                HttpResponse.BodyHandlers.ofString()).body(), body -> body.contains("cutover_replication_lag_bytes"));

        assertThat(scrape).contains("cutover_replication_lag_bytes{database=\"" + DATABASE + "\"}",
                "cutover_replication_heartbeat_ms{database=\"" + DATABASE + "\"}");
    }

    private static void endpoint(Map<String, Object> properties, String side, dev.cutover.stack.Postgres server) {
        String prefix = "cutover.databases." + DATABASE + "." + side + ".";
        properties.put(prefix + "host", server.host());
        properties.put(prefix + "port", server.port());
        properties.put(prefix + "database", DATABASE);
        properties.put(prefix + "user", server.superuser());
        properties.put(prefix + "password", server.password());
    }

    private static MessagePublisher publisher() {
        return service.getBean(MessagePublisher.class);
    }

    private static Metadata command() {
        return publisher().originating(DATABASE, "cutover-" + UUID.randomUUID(), null);
    }

    private static synchronized void poll() {
        consumer.poll(Duration.ofMillis(100)).forEach(received::add);
    }

    private static synchronized <T extends SpecificRecord> Optional<ConsumerRecord<String, SpecificRecord>> first(
            Class<T> type, Predicate<T> matching) {
        poll();
        return received.stream().filter(r -> type.isInstance(r.value()) && matching.test(type.cast(r.value())))
                .findFirst();
    }

    private static <T extends SpecificRecord> Optional<T> event(Class<T> type, Predicate<T> matching) {
        return first(type, e -> databaseOf(e).equals(DATABASE) && matching.test(e)).map(r -> type.cast(r.value()));
    }

    private static synchronized <T extends SpecificRecord> List<T> all(Class<T> type, Predicate<T> matching) {
        poll();
        return received.stream().map(ConsumerRecord::value).filter(type::isInstance).map(type::cast)
                .filter(matching).toList();
    }

    private static String databaseOf(SpecificRecord message) {
        return ((Metadata) message.get(message.getSchema().getField("metadata").pos())).getDatabase();
    }
}
