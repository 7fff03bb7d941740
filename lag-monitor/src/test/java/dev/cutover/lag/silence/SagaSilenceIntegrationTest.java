package dev.cutover.lag.silence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import dev.cutover.events.CutoverRolledBack;
import dev.cutover.events.CutoverStarted;
import dev.cutover.events.MetadataFactory;
import dev.cutover.events.SagaSilent;
import dev.cutover.events.StepStarted;
import dev.cutover.events.serde.AvroMessageDeserializer;
import dev.cutover.events.serde.AvroMessageSerializer;
import dev.cutover.lag.LagMonitorApplication;
import dev.cutover.platform.MessagePublisher;
import dev.cutover.stack.KafkaBroker;

/**
 * The saga's events of cutovers written as cutover-service would, on a real broker with one partition (so the log has
 * one order), and lag-monitor with a bound of 2 s: a cutover whose saga stops mid-switch is reported once, also by a
 * lag-monitor started again that reads the log anew; one that ended is never reported.
 */
class SagaSilenceIntegrationTest {

    private static final String DATABASE = "silence";
    private static final MetadataFactory SAGA = new MetadataFactory("cutover-service", Clock.systemUTC());

    private static KafkaBroker kafka;
    private static KafkaProducer<String, SpecificRecord> producer;
    private static KafkaConsumer<String, SpecificRecord> consumer;
    private static final List<SpecificRecord> seen = new ArrayList<>();

    @BeforeAll
    static void start() {
        kafka = KafkaBroker.start();
        producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()),
                new StringSerializer(), new AvroMessageSerializer());
        consumer = new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, "saga-silence-test-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"), new StringDeserializer(), new AvroMessageDeserializer());
        consumer.subscribe(List.of("cutover.events"));
    }

    @AfterAll
    static void stop() {
        consumer.close();
        producer.close();
        kafka.close();
    }

    @Test
    void aSagaSilentMidSwitchIsReportedOnceEvenAcrossARestartAndACutoverThatEndedNever() {
        String silent = "a-silent-" + UUID.randomUUID();
        String ended = "c-ended-" + UUID.randomUUID();
        String later = "b-later-" + UUID.randomUUID();
        StepStarted fence;
        try (ConfigurableApplicationContext watchdog = lagMonitor()) {
            write(started(silent));
            fence = new StepStarted(SAGA.forCutover(DATABASE, silent), "STOP_TRAFFIC");
            write(fence);
            write(started(ended));
            write(CutoverRolledBack.newBuilder().setMetadata(SAGA.forCutover(DATABASE, ended)).setFailedStep("FLIP_DNS")
                    .setReason("the flip's deadline passed").build());

            SagaSilent report = await().atMost(Duration.ofSeconds(60)).until(() -> silences(silent), l -> !l.isEmpty())
                    .getFirst();

            assertThat(report.getMetadata().getProducer()).isEqualTo("lag-monitor");
            assertThat(report.getMetadata().getDatabase()).isEqualTo(DATABASE);
            assertThat(report.getMetadata().getCausationId()).isEqualTo(fence.getMetadata().getMessageId().toString());
            assertThat(report.getLastEventType()).isEqualTo("StepStarted");
            assertThat(report.getLastStep()).isEqualTo("STOP_TRAFFIC");
            assertThat(report.getLastEventAt()).isEqualTo(fence.getMetadata().getOccurredAt());
            assertThat(report.getSilentForMs()).isGreaterThanOrEqualTo(2_000);
            assertThat(report.getAction()).contains("Start cutover-service",
                    "recovers the saga from cutover.events and carries on");
        }

        // Started again, the watchdog reads the whole log anew. Every check judges every cutover under way, and a
        // check only runs once the log is read to its end: when the later cutover is reported, a second report of
        // the first (whose id sorts first) or one of the ended cutover would have been written before it.
        try (ConfigurableApplicationContext restarted = lagMonitor()) {
            write(started(later));

            await().atMost(Duration.ofSeconds(60)).until(() -> silences(later), l -> !l.isEmpty());
        }
        assertThat(silences(silent)).hasSize(1);
        assertThat(silences(ended)).isEmpty();
    }

    private static ConfigurableApplicationContext lagMonitor() {
        return new SpringApplicationBuilder(LagMonitorApplication.class).properties(Map.of(
                "spring.kafka.bootstrap-servers", kafka.bootstrapServers(),
                "server.port", "0",
                "cutover.platform.partitions", "1",
                "cutover.lag.saga-silence.after", "2s",
                "cutover.lag.saga-silence.check-interval", "100ms")).run();
    }

    private static CutoverStarted started(String cutoverId) {
        return CutoverStarted.newBuilder().setMetadata(SAGA.forCutover(DATABASE, cutoverId)).setOperator("alice")
                .setDryRun(false).setReason("test").setDnsRecord("db.example.test.").setSourceAddress("127.0.0.2")
                .setTargetAddress("127.0.0.3").setPrepareFallback(false).build();
    }

    private static void write(SpecificRecord event) {
        String key = MessagePublisher.metadataOf(event).getCutoverId();
        producer.send(new ProducerRecord<>("cutover.events", key, event));
        producer.flush();
    }

    /** The SagaSilent events of one cutover read so far, reading on. */
    private static List<SagaSilent> silences(String cutoverId) {
        consumer.poll(Duration.ofMillis(100)).forEach(record -> seen.add(record.value()));
        return seen.stream().filter(SagaSilent.class::isInstance).map(SagaSilent.class::cast)
                .filter(silent -> silent.getMetadata().getCutoverId().equals(cutoverId)).toList();
    }
}
