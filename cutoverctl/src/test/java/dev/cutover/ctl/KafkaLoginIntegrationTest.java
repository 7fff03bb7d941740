package dev.cutover.ctl;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.cutover.events.StartCutover;
import dev.cutover.events.serde.AvroMessageDeserializer;
import dev.cutover.events.topic.Topics;
import dev.cutover.stack.KafkaProcess;
import dev.cutover.stack.KafkaSecurity;
import dev.cutover.stack.LocalStack;
import dev.cutover.stack.StackOptions;
import dev.cutover.stack.StackPart;

/**
 * cutoverctl against a broker with SASL/SCRAM users and ACLs: it logs in with {@code --kafka-config}, the operator it
 * writes is the user it logged in as, and a user without the ACL on {@code cutover.commands} hears what to ask for.
 */
class KafkaLoginIntegrationTest {

    @TempDir
    static Path files;
    static LocalStack stack;
    static KafkaProcess kafka;

    @BeforeAll
    static void startSecuredBroker() throws Exception {
        stack = LocalStack.start(StackOptions.defaults().withParts(StackPart.KAFKA)
                .withKafkaSecurity(KafkaSecurity.scram().withUsers(List.of("alice", "replicator"))));
        kafka = (KafkaProcess) stack.kafka();
        try (Admin admin = Admin.create(kafka.clientProperties(KafkaSecurity.ADMIN))) {
            admin.createTopics(List.of(Topics.COMMANDS.newTopic(1, (short) 1), Topics.EVENTS.newTopic(1, (short) 1)))
                    .all().get(30, TimeUnit.SECONDS);
        }
        kafka.allow(List.of(acl("alice", Topics.COMMANDS.name(), AclOperation.WRITE),
                acl("replicator", Topics.EVENTS.name(), AclOperation.WRITE)));
    }

    @AfterAll
    static void stopBroker() {
        if (stack != null) {
            stack.close();
        }
    }

    @Test
    void anOperatorLoggedInWithTheAclStartsACutoverUnderItsOwnName() throws Exception {
        var result = Tool.run(environment(), "start", "--database", "shop", "--kafka-config", config("alice").toString());

        assertThat(result.exitCode()).as(result.err()).isZero();
        var start = lastCommand();
        assertThat(start.getMetadata().getCutoverId()).isEqualTo(result.out().strip());
        assertThat(start.getOperator()).isEqualTo("alice");
    }

    @Test
    void anOperatorNameOtherThanTheLoginIsRefused() throws Exception {
        var result = Tool.run(environment(), "start", "--database", "shop", "--operator", "bob",
                "--kafka-config", config("alice").toString());

        assertThat(result.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(result.err()).contains("--operator bob is not who you log in to Kafka as (alice");
    }

    @Test
    void aServiceUserWithoutTheAclOnTheCommandsIsRefusedByTheBroker() throws Exception {
        Map<String, String> environment = new HashMap<>(environment());
        environment.put(KafkaClients.CONFIG_ENVIRONMENT_VARIABLE, config("replicator").toString());

        var result = Tool.run(environment, "start", "--database", "shop");

        assertThat(result.exitCode()).isEqualTo(ExitCodes.KAFKA);
        assertThat(result.err()).contains("refused the user replicator", "WRITE on cutover.commands");
    }

    private static Map<String, String> environment() {
        return Map.of(KafkaClients.ENVIRONMENT_VARIABLE, kafka.bootstrapServers());
    }

    /** The client properties file an operator keeps (mode 600: it holds the password). */
    private static Path config(String user) throws IOException {
        Properties properties = new Properties();
        kafka.security().orElseThrow().clientProperties(user).forEach((key, value) -> properties.put(key, value));
        Path file = files.resolve(user + ".properties");
        try (Writer writer = Files.newBufferedWriter(file)) {
            properties.store(writer, "Kafka login of " + user);
        }
        return file;
    }

    private static StartCutover lastCommand() {
        Map<String, Object> config = new HashMap<>(kafka.clientProperties(KafkaSecurity.ADMIN));
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        try (var consumer = new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            var partition = new TopicPartition(Topics.COMMANDS.name(), 0);
            consumer.assign(List.of(partition));
            long end = consumer.endOffsets(List.of(partition)).get(partition);
            consumer.seek(partition, end - 1);
            var records = consumer.poll(Duration.ofSeconds(10)).records(partition);
            var last = records.getLast();
            return (StartCutover) new AvroMessageDeserializer().deserialize(last.topic(), last.headers(), last.value());
        }
    }

    private static AclBinding acl(String user, String topic, AclOperation operation) {
        return new AclBinding(new ResourcePattern(ResourceType.TOPIC, topic, PatternType.LITERAL),
                new AccessControlEntry("User:" + user, "*", operation, AclPermissionType.ALLOW));
    }
}
