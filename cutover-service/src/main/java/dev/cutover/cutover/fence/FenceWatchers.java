package dev.cutover.cutover.fence;

import java.util.Collection;

import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.common.TopicPartition;
import org.springframework.kafka.config.ContainerPostProcessor;
import org.springframework.kafka.listener.AbstractMessageListenerContainer;
import org.springframework.kafka.listener.ConsumerAwareRebalanceListener;

import dev.cutover.platform.ActedOnOnly;

/**
 * Attached to the fence's listener container: it runs without Kafka transactions (see
 * {@link FenceConfiguration#fenceParticipant}), it is handed only the fence's own commands, and when partitions move
 * away, their first-session watchers stop.
 */
class FenceWatchers implements ConsumerAwareRebalanceListener,
        ContainerPostProcessor<Object, Object, AbstractMessageListenerContainer<Object, Object>> {

    private final FenceParticipant fence;

    FenceWatchers(FenceParticipant fence) {
        this.fence = fence;
    }

    @Override
    public void postProcess(AbstractMessageListenerContainer<Object, Object> container) {
        container.getContainerProperties().setConsumerRebalanceListener(this);
        container.getContainerProperties().setKafkaAwareTransactionManager(null);
        container.getContainerProperties().setTransactionManager(null);
        container.setBatchInterceptor(new ActedOnOnly(FenceListener::handles));
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
