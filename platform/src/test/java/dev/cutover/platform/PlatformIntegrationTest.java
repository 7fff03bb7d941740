package dev.cutover.platform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.core.read.ListAppender;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.slf4j.LoggerFactory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.kafka.annotation.KafkaHandler;
import org.springframework.kafka.annotation.KafkaListener;

import dev.cutover.events.AbortCutover;
import dev.cutover.events.CopyData;
import dev.cutover.events.Metadata;
import dev.cutover.events.StepFailed;
import dev.cutover.events.serde.AvroMessageDeserializer;
import dev.cutover.events.serde.AvroMessageSerializer;
import dev.cutover.events.serde.Fingerprints;
import dev.cutover.events.serde.ReleasedSchemas;
import dev.cutover.stack.LocalStack;
import dev.cutover.stack.SharedStackExtension;

@ExtendWith(SharedStackExtension.class)
class PlatformIntegrationTest {

    static ConfigurableApplicationContext service;
    static String bootstrap;

    @BeforeAll
    static void startService(LocalStack stack) {
        bootstrap = stack.kafkaBootstrapServers();
        service = new SpringApplicationBuilder(TestService.class).properties(Map.of(
                "spring.application.name", "platform-test",
                "spring.kafka.bootstrap-servers", bootstrap,
                "server.port", "0")).run();
    }

    @AfterAll
    static void stopService() {
        service.close();
    }

    @Test
    void healthIsUpWithTheBrokerReachable() throws Exception {
        String port = service.getEnvironment().getProperty("local.server.port");
        HttpResponse<String> health = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/actuator/health")).build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(health.body()).contains("\"kafka\"").contains("\"status\":\"UP\"");
    }

    @Test
    void everyReleasedSchemaIsPublishedKeyedByItsFingerprint() {
        List<String> expected = ReleasedSchemas.load().all().stream().map(Fingerprints::hex).toList();
        List<String> keys = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(consumerConfig(),
                new StringDeserializer(), new StringDeserializer())) {
            consumer.subscribe(List.of("cutover.schemas"));
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                consumer.poll(Duration.ofMillis(200)).forEach(record -> keys.add(record.key()));
                assertThat(keys).containsAll(expected);
            });
        }
    }

    @Test
    void aCommandWhoseHandlingFailsIsAnsweredWithStepFailed() {
        CopyData command = copyData("doomed-" + UUID.randomUUID(), 13);
        send(command.getMetadata().getMigrationId(), new AvroMessageSerializer().serialize("cutover.commands", command));

        StepFailed failed = awaitEvent(StepFailed.class, command.getMetadata().getMessageId().toString());

        assertThat(failed.getStep()).isEqualTo("CopyData");
        assertThat(failed.getReason()).isEqualTo("the target disk is full: free space on the target");
        assertThat(failed.getRetryable()).isFalse();
        assertThat(failed.getMetadata().getMigrationId()).isEqualTo(command.getMetadata().getMigrationId());
        assertThat(failed.getMetadata().getProducer()).isEqualTo("platform-test");
    }

    @Test
    void aFailureTheHandlerDeclaresNotRetryableIsAnsweredAtOnceAndARetryableOneAfterEveryAttempt() {
        CopyData hopeless = copyData("hopeless-" + UUID.randomUUID(), 13);
        CopyData flaky = copyData("flaky-" + UUID.randomUUID(), 14);
        send(hopeless.getMetadata().getMigrationId(), new AvroMessageSerializer().serialize("cutover.commands", hopeless));
        send(flaky.getMetadata().getMigrationId(), new AvroMessageSerializer().serialize("cutover.commands", flaky));

        assertThat(awaitEvent(StepFailed.class, hopeless.getMetadata().getMessageId().toString()).getRetryable())
                .isFalse();
        assertThat(awaitEvent(StepFailed.class, flaky.getMetadata().getMessageId().toString()).getRetryable())
                .isTrue();
        assertThat(TestService.attempts.get(hopeless.getMetadata().getMessageId())).isEqualTo(1);
        assertThat(TestService.attempts.get(flaky.getMetadata().getMessageId())).isEqualTo(3);
    }

    @Test
    void aHandledFailureIsOneWarnLineWithItsCausePerAttemptAndNoError() {
        ListAppender<ILoggingEvent> logged = new ListAppender<>();
        logged.start();
        Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        root.addAppender(logged);
        try {
            CopyData late = copyData("late-" + UUID.randomUUID(), 15);
            String id = late.getMetadata().getMessageId().toString();
            send(late.getMetadata().getMigrationId(), new AvroMessageSerializer().serialize("cutover.commands", late));

            awaitEvent(StepFailed.class, id);

            List<ILoggingEvent> aboutIt = logged.list.stream().filter(event -> mentions(event, id)).toList();
            assertThat(aboutIt).noneMatch(event -> event.getLevel().isGreaterOrEqual(Level.ERROR));
            assertThat(aboutIt).filteredOn(event -> event.getLevel() == Level.WARN)
                    .hasSize(3)
                    .allSatisfy(event -> {
                        assertThat(event.getFormattedMessage()).contains("no answer to " + id);
                        assertThat(event.getThrowableProxy()).isNull();
                    });
        } finally {
            root.detachAppender(logged);
        }
    }

    /** Whether the line or any exception logged with it names {@code text}. */
    private static boolean mentions(ILoggingEvent event, String text) {
        if (event.getFormattedMessage().contains(text)) {
            return true;
        }
        for (IThrowableProxy thrown = event.getThrowableProxy(); thrown != null; thrown = thrown.getCause()) {
            if (thrown.getMessage() != null && thrown.getMessage().contains(text)) {
                return true;
            }
        }
        return false;
    }

    @Test
    void aMessageTheProducerRefusesAtOnceIsAPublishFailedNamingItsTopic() {
        MessagePublisher publisher = service.getBean(MessagePublisher.class);
        AbortCutover tooLarge = AbortCutover.newBuilder()
                .setMetadata(publisher.originating("app", "c-" + UUID.randomUUID(), null))
                .setOperator("olivia")
                .setReason("x".repeat(2 * 1024 * 1024))
                .build();

        assertThatThrownBy(() -> publisher.publish(tooLarge))
                .isInstanceOf(PublishFailed.class)
                .hasMessageContaining("cutover.commands")
                .hasRootCauseInstanceOf(RecordTooLargeException.class);
    }

    @Test
    void garbageGoesToTheDeadLetterTopicAndTheListenerKeepsGoing() {
        String key = "garbage-" + UUID.randomUUID();
        send(key, new byte[] {1, 2, 3, 4});
        CopyData next = copyData(key, 4);
        send(key, new AvroMessageSerializer().serialize("cutover.commands", next));

        await().atMost(Duration.ofSeconds(30)).until(() -> TestService.handled.contains(next.getMetadata().getMessageId()));
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(consumerConfig(),
                new StringDeserializer(), new ByteArrayDeserializer())) {
            consumer.subscribe(List.of("cutover.dlt.platform-test"));
            List<ConsumerRecord<String, byte[]>> dead = new ArrayList<>();
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                consumer.poll(Duration.ofMillis(200)).forEach(dead::add);
                assertThat(dead).anySatisfy(record -> {
                    assertThat(record.key()).isEqualTo(key);
                    assertThat(record.value()).containsExactly(1, 2, 3, 4);
                });
            });
        }
    }

    private static CopyData copyData(String migrationId, int parallelism) {
        return CopyData.newBuilder()
                .setMetadata(Metadata.newBuilder()
                        .setMessageId(UUID.randomUUID())
                        .setMigrationId(migrationId)
                        .setDatabase("app")
                        .setOccurredAt(Instant.now())
                        .setProducer("test")
                        .build())
                .setParallelism(parallelism)
                .build();
    }

    private static void send(String key, byte[] value) {
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of("bootstrap.servers", bootstrap),
                new StringSerializer(), new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>("cutover.commands", key, value));
        }
    }

    private static <T extends SpecificRecord> T awaitEvent(Class<T> type, String causationId) {
        List<T> found = new ArrayList<>();
        try (KafkaConsumer<String, SpecificRecord> consumer = new KafkaConsumer<>(consumerConfig(),
                new StringDeserializer(), new AvroMessageDeserializer())) {
            consumer.subscribe(List.of("cutover.events"));
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                consumer.poll(Duration.ofMillis(200)).forEach(record -> {
                    if (type.isInstance(record.value())
                            && causationId.equals(MessagePublisher.metadataOf(record.value()).getCausationId())) {
                        found.add(type.cast(record.value()));
                    }
                });
                return !found.isEmpty();
            });
        }
        return found.getFirst();
    }

    private static Map<String, Object> consumerConfig() {
        return Map.of("bootstrap.servers", bootstrap, "group.id", "test-" + UUID.randomUUID(),
                "auto.offset.reset", "earliest");
    }

    @SpringBootApplication
    static class TestService {

        static final List<UUID> handled = new CopyOnWriteArrayList<>();
        static final Map<UUID, Integer> attempts = new ConcurrentHashMap<>();

        @Bean
        CommandListener commandListener() {
            return new CommandListener();
        }

        @KafkaListener(topics = "cutover.commands", groupId = "platform-test")
        static class CommandListener {

            @KafkaHandler
            void on(CopyData command) {
                attempts.merge(command.getMetadata().getMessageId(), 1, Integer::sum);
                if (command.getParallelism() == 13) {
                    throw new StepFailure("the target disk is full: free space on the target", false);
                }
                if (command.getParallelism() == 14) {
                    throw new StepFailure("the target did not answer in time", true);
                }
                if (command.getParallelism() == 15) {
                    throw new StepFailure("no answer to " + command.getMetadata().getMessageId(), true);
                }
                handled.add(command.getMetadata().getMessageId());
            }

            @KafkaHandler(isDefault = true)
            void ignore(Object other) {
            }
        }
    }
}
