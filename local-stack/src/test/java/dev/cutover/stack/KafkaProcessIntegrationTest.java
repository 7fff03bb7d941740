package dev.cutover.stack;

import static dev.cutover.stack.KafkaRestartIntegrationTest.commit;
import static dev.cutover.stack.KafkaRestartIntegrationTest.read;
import static dev.cutover.stack.KafkaRestartIntegrationTest.transactionalProducer;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The broker in a JVM of its own, as the sandbox's processes layout and production run it. */
class KafkaProcessIntegrationTest {

    @Test
    void aBrokerInItsOwnProcessServesTransactionsAndKeepsItsLogWhenItIsKilledAndStartedAgain() throws Exception {
        try (LocalStack stack = LocalStack.start(StackOptions.defaults().withParts(StackPart.KAFKA).withKafkaProcess(true))) {
            KafkaProcess kafka = (KafkaProcess) stack.kafka();
            String address = kafka.bootstrapServers();
            String topic = "own-process-" + UUID.randomUUID();
            try (var producer = transactionalProducer(address)) {
                producer.initTransactions();
                commit(producer, topic, "before the kill");
            }

            kafka.kill();
            kafka.restart();

            assertThat(stack.kafkaBootstrapServers()).isEqualTo(address);
            assertThat(read(address, "reader-" + UUID.randomUUID(), topic, 1)).as("the log, after SIGKILL and a new start")
                    .containsExactly("before the kill");
        }
    }
}
