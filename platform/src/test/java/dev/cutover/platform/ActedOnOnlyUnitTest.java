package dev.cutover.platform;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

import dev.cutover.events.OpenTarget;
import dev.cutover.events.StopTraffic;
import dev.cutover.events.SyncSequences;

class ActedOnOnlyUnitTest {

    private static final TopicPartition COMMANDS_0 = new TopicPartition("cutover.commands", 0);
    private static final TopicPartition COMMANDS_1 = new TopicPartition("cutover.commands", 1);

    private final ActedOnOnly fenceCommands = new ActedOnOnly(
            message -> message instanceof StopTraffic || message instanceof OpenTarget);

    @Test
    void aMessageTheListenerDoesNotActOnIsSkippedAndOneItActsOnPasses() {
        ConsumerRecord<Object, Object> stop = record(COMMANDS_0, 0, stopTraffic());
        ConsumerRecord<Object, Object> sequences = record(COMMANDS_0, 1, syncSequences());

        assertThat(fenceCommands.intercept(stop, null)).isSameAs(stop);
        assertThat(fenceCommands.intercept(sequences, null)).isNull();
    }

    @Test
    void aRecordThatCouldNotBeDecodedAlwaysReachesTheListenerSoThatItsErrorIsReported() {
        ConsumerRecord<Object, Object> undecodable = record(COMMANDS_0, 0, null);

        assertThat(fenceCommands.intercept(undecodable, null)).isSameAs(undecodable);
        assertThat(fenceCommands.intercept(poll(undecodable), null)).containsExactly(undecodable);
    }

    @Test
    void aPollOfOnlyMessagesTheListenerDoesNotActOnIsSkippedWhole() {
        ConsumerRecords<Object, Object> poll = poll(record(COMMANDS_0, 0, syncSequences()),
                record(COMMANDS_1, 0, syncSequences()));

        assertThat(fenceCommands.intercept(poll, null)).isNull();
    }

    @Test
    void aMixedPollIsHandedOverWithOnlyTheMessagesActedOnInTheirOrderAndItsNextOffsetsKept() {
        ConsumerRecord<Object, Object> stop = record(COMMANDS_0, 0, stopTraffic());
        ConsumerRecord<Object, Object> open = record(COMMANDS_0, 2, openTarget());
        ConsumerRecords<Object, Object> poll = poll(stop, record(COMMANDS_0, 1, syncSequences()), open,
                record(COMMANDS_1, 5, syncSequences()));

        ConsumerRecords<Object, Object> kept = fenceCommands.intercept(poll, null);

        assertThat(kept).containsExactly(stop, open);
        assertThat(kept.partitions()).containsExactly(COMMANDS_0);
        assertThat(kept.nextOffsets()).isEqualTo(poll.nextOffsets());
    }

    @Test
    void aPollOfOnlyMessagesActedOnIsHandedOverAsItCame() {
        ConsumerRecords<Object, Object> poll = poll(record(COMMANDS_0, 0, stopTraffic()),
                record(COMMANDS_0, 1, openTarget()));

        assertThat(fenceCommands.intercept(poll, null)).isSameAs(poll);
    }

    @SafeVarargs
    private static ConsumerRecords<Object, Object> poll(ConsumerRecord<Object, Object>... records) {
        Map<TopicPartition, List<ConsumerRecord<Object, Object>>> byPartition = new LinkedHashMap<>();
        Map<TopicPartition, OffsetAndMetadata> next = new HashMap<>();
        for (ConsumerRecord<Object, Object> record : records) {
            TopicPartition partition = new TopicPartition(record.topic(), record.partition());
            byPartition.computeIfAbsent(partition, p -> new ArrayList<>()).add(record);
            next.put(partition, new OffsetAndMetadata(record.offset() + 1));
        }
        return new ConsumerRecords<>(byPartition, next);
    }

    private static ConsumerRecord<Object, Object> record(TopicPartition partition, long offset, Object value) {
        return new ConsumerRecord<>(partition.topic(), partition.partition(), offset, "cutover-1", value);
    }

    private static StopTraffic stopTraffic() {
        return StopTraffic.newBuilder().setMetadata(KafkaProbe.metadata("app", "cutover-1", null)).setTimeoutMs(5_000)
                .build();
    }

    private static OpenTarget openTarget() {
        return OpenTarget.newBuilder().setMetadata(KafkaProbe.metadata("app", "cutover-1", null)).build();
    }

    private static SyncSequences syncSequences() {
        return SyncSequences.newBuilder().setMetadata(KafkaProbe.metadata("app", "cutover-1", null)).setMargin(0)
                .build();
    }
}
