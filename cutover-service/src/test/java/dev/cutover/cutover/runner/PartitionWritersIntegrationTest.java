package dev.cutover.cutover.runner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.UUID;

import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;

import dev.cutover.events.TableCopied;
import dev.cutover.events.serde.AvroMessageSerializer;
import dev.cutover.platform.KafkaProbe;
import dev.cutover.stack.LocalStack;
import dev.cutover.stack.SharedStackExtension;

/** The fencing that keeps an instance which lost a partition from committing a deadline's decision, on a real broker. */
@ExtendWith(SharedStackExtension.class)
class PartitionWritersIntegrationTest {

    @Test
    void aWriterWhosePartitionWasOpenedElsewhereCommitsNothingMoreAndSaysSo(LocalStack stack) {
        KafkaProperties kafka = new KafkaProperties();
        kafka.setBootstrapServers(List.of(stack.kafkaBootstrapServers()));
        kafka.getProducer().setKeySerializer(StringSerializer.class);
        kafka.getProducer().setValueSerializer(AvroMessageSerializer.class);
        String group = "writers-" + UUID.randomUUID();
        String cutover = "fenced-" + UUID.randomUUID();
        try (PartitionWriters former = new PartitionWriters(group, kafka);
                PartitionWriters current = new PartitionWriters(group, kafka);
                KafkaProbe probe = new KafkaProbe(stack.kafkaBootstrapServers())) {
            former.open(List.of(0));
            former.write(0, List.of(event(cutover, "BEFORE_THE_MOVE")));

            current.open(List.of(0));

            assertThatThrownBy(() -> former.write(0, List.of(event(cutover, "AFTER_THE_MOVE"))))
                    .isInstanceOfSatisfying(PartitionWriters.PartitionLost.class,
                            lost -> assertThat(lost.partition()).isZero())
                    .hasMessageContaining(group + "-0 was taken over by another instance");
            assertThatThrownBy(() -> former.write(0, List.of(event(cutover, "AFTER_THE_MOVE"))))
                    .isInstanceOf(PartitionWriters.PartitionLost.class)
                    .hasMessageContaining("not open on this instance");
            current.write(0, List.of(event(cutover, "BY_THE_NEW_OWNER")));

            probe.await(TableCopied.class, copied -> copied.getTable().equals("BY_THE_NEW_OWNER")
                    && cutover.equals(copied.getMetadata().getCutoverId()), Duration.ofSeconds(30));
            assertThat(probe.seen()).filteredOn(TableCopied.class::isInstance).map(TableCopied.class::cast)
                    .filteredOn(copied -> cutover.equals(copied.getMetadata().getCutoverId()))
                    .extracting(TableCopied::getTable).containsExactly("BEFORE_THE_MOVE", "BY_THE_NEW_OWNER");
        }
    }

    /** An event no saga reacts to, named after the moment it is written. */
    private static SpecificRecord event(String cutover, String name) {
        return TableCopied.newBuilder().setMetadata(KafkaProbe.metadata("fenced", cutover, null)).setTable(name)
                .setRows(0).setBytes(0).setDurationMs(0).build();
    }
}
