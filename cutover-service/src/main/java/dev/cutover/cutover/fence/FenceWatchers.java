package dev.cutover.cutover.fence;

import java.util.Collection;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

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
    /** The partitions of {@code cutover.commands} the fence's consumer holds here. */
    private final Set<Integer> owned = ConcurrentHashMap.newKeySet();

    FenceWatchers(FenceParticipant fence) {
        this.fence = fence;
    }

    /** Whether this instance's fence reads {@code partition}: only then may it take that partition's commands early. */
    boolean owns(int partition) {
        return owned.contains(partition);
    }

    @Override
    public void onPartitionsAssigned(Consumer<?, ?> consumer, Collection<TopicPartition> partitions) {
        partitions.forEach(partition -> owned.add(partition.partition()));
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
        partitions.forEach(partition -> owned.remove(partition.partition()));
        fence.stopWatching(partitions.stream().map(TopicPartition::partition).toList());
    }

    @Override
    public void onPartitionsLost(Consumer<?, ?> consumer, Collection<TopicPartition> partitions) {
        partitions.forEach(partition -> owned.remove(partition.partition()));
        fence.stopWatching(partitions.stream().map(TopicPartition::partition).toList());
    }
}
