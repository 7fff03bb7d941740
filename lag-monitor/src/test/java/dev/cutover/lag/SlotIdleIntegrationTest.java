package dev.cutover.lag;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.UUID;
import java.util.stream.StreamSupport;

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

import dev.cutover.events.ReplicationSlotIdle;
import dev.cutover.events.serde.AvroMessageDeserializer;
import dev.cutover.stack.LocalStack;
import dev.cutover.stack.Postgres;
import dev.cutover.stack.SharedStackExtension;

/**
 * A migration aborted half-way: its subscription is gone from the target, its slot stays on the source (PostgreSQL
 * 11 in the local stack) with no reader and keeps WAL. The service, configured by properties, must say so on
 * {@code cutover.events}.
 */
@ExtendWith(SharedStackExtension.class)
class SlotIdleIntegrationTest {

    private static final String DATABASE = "lagmonitorslot";
    private static final String SLOT = "lagmonitorslot_left_behind";

    private static Postgres source;
    private static ConfigurableApplicationContext service;
    private static KafkaConsumer<String, SpecificRecord> consumer;
    private static Instant slotCreatedAt;

    @BeforeAll
    static void start(LocalStack stack) throws SQLException {
        source = stack.source();
        source.createDatabase(DATABASE);
        stack.target().createDatabase(DATABASE);
        slotCreatedAt = Instant.now();
        onSource("select pg_create_logical_replication_slot('" + SLOT + "', 'pgoutput')",
                "create table orders (id bigserial primary key, item text not null)",
                "insert into orders (item) select 'kept for the slot' from generate_series(1, 100)");

        Map<String, Object> properties = new HashMap<>();
        properties.put("spring.kafka.bootstrap-servers", stack.kafkaBootstrapServers());
        properties.put("server.port", "0");
        endpoint(properties, "source", stack.source());
        endpoint(properties, "target", stack.target());
        properties.put("cutover.databases." + DATABASE + ".replication.slot", SLOT);
        String lag = "cutover.lag.databases." + DATABASE + ".";
        properties.put(lag + "engine", "native");
        properties.put(lag + "interval", "200ms");
        properties.put(lag + "catching-up-delay", "1s");
        properties.put(lag + "heartbeat", "false");
        properties.put(lag + "slot-idle-warning", "1s");
        service = new SpringApplicationBuilder(LagMonitorApplication.class).properties(properties).run();

        Properties consumerProperties = new Properties();
        consumerProperties.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.kafkaBootstrapServers());
        consumerProperties.put(ConsumerConfig.GROUP_ID_CONFIG, "lag-monitor-slot-test-" + UUID.randomUUID());
        consumerProperties.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        consumer = new KafkaConsumer<>(consumerProperties, new StringDeserializer(), new AvroMessageDeserializer());
        consumer.subscribe(List.of("cutover.events"));
    }

    @AfterAll
    static void stop() throws SQLException {
        consumer.close();
        service.close();
        // Left in place, the slot would keep the shared source's WAL for every later test.
        onSource("select pg_drop_replication_slot('" + SLOT + "')");
    }

    @Test
    void aSlotLeftWithoutAReaderWhileItKeepsWalIsReportedWithWhatToDo() {
        ReplicationSlotIdle idle = await().atMost(Duration.ofSeconds(30))
                .until(SlotIdleIntegrationTest::slotIdle, Optional::isPresent).orElseThrow();

        assertThat(idle.getMetadata().getDatabase()).isEqualTo(DATABASE);
        assertThat(idle.getSlot()).isEqualTo(SLOT);
        assertThat(idle.getRetainedWalBytes()).isPositive();
        assertThat(idle.getInactiveSince()).isAfterOrEqualTo(slotCreatedAt.minusSeconds(1));
        assertThat(idle.getInactiveForMs()).isGreaterThanOrEqualTo(1_000);
        assertThat(idle.getAction()).contains("cutoverctl migrate abort --migration",
                "SELECT pg_drop_replication_slot('" + SLOT + "')");
    }

    @Test
    void howLongTheSlotHasHadNoReaderIsAGaugeOnThePrometheusEndpoint() {
        String port = service.getEnvironment().getProperty("local.server.port");
        HttpClient http = HttpClient.newHttpClient();
        String gauge = "cutover_replication_slot_idle_seconds{database=\"" + DATABASE + "\"} ";

        String scrape = await().atMost(Duration.ofSeconds(30)).until(() -> http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/actuator/prometheus")).build(),
                HttpResponse.BodyHandlers.ofString()).body(), body -> body.contains(gauge));

        String value = scrape.lines().filter(line -> line.startsWith(gauge)).findFirst().orElseThrow()
                .substring(gauge.length());
        assertThat(Double.parseDouble(value)).isGreaterThan(0);
    }

    private static Optional<ReplicationSlotIdle> slotIdle() {
        return StreamSupport.stream(consumer.poll(Duration.ofMillis(100)).spliterator(), false)
                .map(ConsumerRecord::value)
                .filter(ReplicationSlotIdle.class::isInstance).map(ReplicationSlotIdle.class::cast)
                .filter(e -> e.getMetadata().getDatabase().equals(DATABASE))
                .findFirst();
    }

    private static void endpoint(Map<String, Object> properties, String side, Postgres server) {
        String prefix = "cutover.databases." + DATABASE + "." + side + ".";
        properties.put(prefix + "host", server.host());
        properties.put(prefix + "port", server.port());
        properties.put(prefix + "database", DATABASE);
        properties.put(prefix + "user", server.superuser());
        properties.put(prefix + "password", server.password());
    }

    private static void onSource(String... statements) throws SQLException {
        try (Connection connection = source.connect(DATABASE); Statement statement = connection.createStatement()) {
            for (String sql : statements) {
                statement.execute(sql);
            }
        }
    }
}
