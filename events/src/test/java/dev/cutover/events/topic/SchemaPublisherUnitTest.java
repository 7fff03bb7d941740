package dev.cutover.events.topic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.ServerSocket;
import java.util.List;
import java.util.Map;

import org.apache.avro.Schema;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.junit.jupiter.api.Test;

import dev.cutover.events.FlipDns;
import dev.cutover.events.Messages;
import dev.cutover.events.StepFailed;
import dev.cutover.events.serde.Fingerprints;
import dev.cutover.events.serde.ReleasedSchemas;

class SchemaPublisherUnitTest {

    @Test
    void eachSchemaIsKeyedByItsFingerprintAndItsJsonParsesBackToTheSameFingerprint() {
        var records = SchemaPublisher.records(List.of(FlipDns.getClassSchema(), StepFailed.getClassSchema()));

        assertThat(records).allSatisfy(record -> {
            assertThat(record.topic()).isEqualTo("cutover.schemas");
            assertThat(Fingerprints.hex(new Schema.Parser().parse(record.value()))).isEqualTo(record.key());
        });
        assertThat(records).extracting(ProducerRecord::key)
                .containsExactly(Fingerprints.hex(FlipDns.getClassSchema()), Fingerprints.hex(StepFailed.getClassSchema()));
    }

    @Test
    void thePublishedJsonKeepsTheDefaultsAReaderNeeds() {
        var record = SchemaPublisher.records(List.of(StepFailed.getClassSchema())).getFirst();

        assertThat(new Schema.Parser().parse(record.value()).getField("retryable").defaultVal()).isEqualTo(false);
    }

    @Test
    void aSchemaGivenTwiceIsSentOnce() {
        assertThat(SchemaPublisher.records(List.of(FlipDns.getClassSchema(), FlipDns.getClassSchema()))).hasSize(1);
    }

    @Test
    void everyShippedSchemaMakesOneRecord() {
        var shipped = ReleasedSchemas.load().all();

        assertThat(SchemaPublisher.records(shipped)).hasSize(shipped.size()).hasSizeGreaterThanOrEqualTo(Messages.all().size());
    }

    @Test
    void aBrokerThatDoesNotAnswerIsNamedWithTheSettingThatPointsAtIt() throws Exception {
        int nothingListens;
        try (var socket = new ServerSocket(0)) {
            nothingListens = socket.getLocalPort();
        }
        Map<String, Object> config = Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:" + nothingListens,
                ProducerConfig.MAX_BLOCK_MS_CONFIG, "300");

        assertThatThrownBy(() -> SchemaPublisher.publish(config, ReleasedSchemas.load().all()))
                .isInstanceOf(KafkaException.class)
                .hasMessageContaining("Kafka at 127.0.0.1:" + nothingListens + " did not answer")
                .hasMessageContaining("spring.kafka.bootstrap-servers");
    }
}
