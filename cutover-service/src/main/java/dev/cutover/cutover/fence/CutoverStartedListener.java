package dev.cutover.cutover.fence;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.springframework.kafka.annotation.KafkaListener;

import dev.cutover.events.CutoverStarted;
import dev.cutover.platform.DecodedValues;
import dev.cutover.platform.PlatformAutoConfiguration;

/**
 * Readies the fence when a cutover starts, while preflight runs, so that {@code StopTraffic} finds everything open
 * and loaded ({@link FenceParticipant#ready}). Every instance reads every start (a group of its own, from the newest):
 * which one's fence listener will be handed the {@code StopTraffic} is not known in advance.
 */
class CutoverStartedListener {

    private final FenceParticipant fence;

    CutoverStartedListener(FenceParticipant fence) {
        this.fence = fence;
    }

    @KafkaListener(id = "fence-ready", topics = "cutover.events",
            groupId = "cutover-fence-ready-#{T(java.util.UUID).randomUUID()}",
            properties = "auto.offset.reset=latest", containerPostProcessor = PlatformAutoConfiguration.WITHOUT_TRANSACTIONS)
    void on(ConsumerRecord<String, Object> record) {
        if (DecodedValues.of(record) instanceof CutoverStarted started) {
            fence.ready(started.getMetadata().getDatabase());
        }
    }
}
