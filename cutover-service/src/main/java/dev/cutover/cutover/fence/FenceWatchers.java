package dev.cutover.cutover.fence;

import java.util.Collection;

import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.common.TopicPartition;
import org.springframework.kafka.config.ContainerPostProcessor;
import org.springframework.kafka.listener.AbstractMessageListenerContainer;
import org.springframework.kafka.listener.ConsumerAwareRebalanceListener;

/** Attached to the fence's listener container: when partitions move away, their first-session watchers stop. */
class FenceWatchers implements ConsumerAwareRebalanceListener,
        ContainerPostProcessor<Object, Object, AbstractMessageListenerContainer<Object, Object>> {

    private final FenceParticipant fence;

    FenceWatchers(FenceParticipant fence) {
        this.fence = fence;
    }

    @Override
    public void postProcess(AbstractMessageListenerContainer<Object, Object> container) {
        container.getContainerProperties().setConsumerRebalanceListener(this);
    }

    @Override
    public void onPartitionsRevokedBeforeCommit(Consumer<?, ?> consumer, Collection<TopicPartition> partitions) {
        fence.stopWatching(partitions.stream().map(TopicPartition::partition).toList());
    }

    @Override
    public void onPartitionsLost(Consumer<?, ?> consumer, Collection<TopicPartition> partitions) {
        fence.stopWatching(partitions.stream().map(TopicPartition::partition).toList());
    }
}
