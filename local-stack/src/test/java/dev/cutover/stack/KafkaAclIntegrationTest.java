package dev.cutover.stack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/** Kafka with SASL/SCRAM clients and ACLs: the broker itself refuses a write a principal has no ACL for. */
class KafkaAclIntegrationTest {

    static final String COMMANDS = "cutover.commands";
    static final String EVENTS = "cutover.events";

    @Test
    void onlyAPrincipalWithTheAclWritesTheCommandsTopicAndAWrongPasswordDoesNotConnect() throws Exception {
        KafkaSecurity security = KafkaSecurity.scram().withUsers(List.of("cutoverctl", "replicator"));
        try (LocalStack stack = LocalStack.start(StackOptions.defaults().withParts(StackPart.KAFKA)
                .withKafkaSecurity(security))) {
            KafkaProcess kafka = (KafkaProcess) stack.kafka();
            try (Admin admin = Admin.create(kafka.clientProperties(KafkaSecurity.ADMIN))) {
                admin.createTopics(List.of(new NewTopic(COMMANDS, 1, (short) 1), new NewTopic(EVENTS, 1, (short) 1)))
                        .all().get(30, TimeUnit.SECONDS);
            }
            kafka.allow(List.of(write("cutoverctl", COMMANDS), write("replicator", EVENTS)));

            try (KafkaProducer<String, String> operator = producer(kafka.clientProperties("cutoverctl"))) {
                RecordMetadata stored = operator.send(new ProducerRecord<>(COMMANDS, "shop", "StartCutover")).get();
                assertThat(stored.offset()).isZero();
            }
            try (KafkaProducer<String, String> replicator = producer(kafka.clientProperties("replicator"))) {
                assertThat(replicator.send(new ProducerRecord<>(EVENTS, "shop", "TableCopied")).get().offset()).isZero();
                assertThatThrownBy(() -> replicator.send(new ProducerRecord<>(COMMANDS, "shop", "StartCutover")).get())
                        .isInstanceOf(ExecutionException.class)
                        .hasCauseInstanceOf(TopicAuthorizationException.class);
            }
            Map<String, Object> wrongPassword = new HashMap<>(kafka.clientProperties("cutoverctl"));
            wrongPassword.put("sasl.jaas.config", KafkaSecurity.jaas("cutoverctl", "not-the-password"));
            try (KafkaProducer<String, String> impostor = producer(wrongPassword)) {
                assertThatThrownBy(() -> impostor.send(new ProducerRecord<>(COMMANDS, "shop", "StartCutover")).get())
                        .hasCauseInstanceOf(SaslAuthenticationException.class);
            }
        }
    }

    private static AclBinding write(String user, String topic) {
        return new AclBinding(new ResourcePattern(ResourceType.TOPIC, topic, PatternType.LITERAL),
                new AccessControlEntry("User:" + user, "*", AclOperation.WRITE, AclPermissionType.ALLOW));
    }

    private static KafkaProducer<String, String> producer(Map<String, Object> client) {
        Map<String, Object> config = new HashMap<>(client);
        config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 30_000);
        return new KafkaProducer<>(config, new StringSerializer(), new StringSerializer());
    }
}
