package dev.cutover.cutover.runner;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

class SagaPartitionsUnitTest {

    @Test
    void aPartitionNumberIsOwnedOnlyWhenBothSagaTopicsOfThatNumberAreHeld() {
        List<TopicPartition> assigned = List.of(
                new TopicPartition("cutover.commands", 0), new TopicPartition("cutover.events", 0),
                new TopicPartition("cutover.commands", 1),
                new TopicPartition("cutover.events", 2),
                new TopicPartition("cutover.events", 3), new TopicPartition("cutover.commands", 3));

        assertThat(SagaPartitions.onBothTopics(assigned)).containsExactly(0, 3);
        assertThat(SagaPartitions.onBothTopics(List.of())).isEmpty();
    }
}
