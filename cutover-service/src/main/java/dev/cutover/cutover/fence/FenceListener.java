package dev.cutover.cutover.fence;

import org.apache.avro.specific.SpecificRecord;
import org.springframework.kafka.annotation.KafkaHandler;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.kafka.support.KafkaHeaders;
import org.springframework.messaging.handler.annotation.Header;

import dev.cutover.events.LockTarget;
import dev.cutover.events.OpenTarget;
import dev.cutover.events.RestoreSource;
import dev.cutover.events.StopTraffic;
import dev.cutover.events.WriteCanary;

/**
 * The fence's commands from Kafka, one call each; commands for other participants pass by. {@link FenceWatchers}
 * stops the first-session watchers of partitions this instance no longer holds.
 */
@KafkaListener(id = "fence", topics = "cutover.commands", groupId = "cutover-fence",
        containerPostProcessor = "fenceWatchers")
class FenceListener {

    private final FenceParticipant fence;

    /** The commands this listener carries out; it is not called for the others ({@link FenceWatchers}). */
    static boolean handles(SpecificRecord command) {
        return command instanceof StopTraffic || command instanceof WriteCanary || command instanceof OpenTarget
                || command instanceof LockTarget || command instanceof RestoreSource;
    }

    FenceListener(FenceParticipant fence) {
        this.fence = fence;
    }

    @KafkaHandler
    void on(StopTraffic command) {
        fence.stopTraffic(command);
    }

    @KafkaHandler
    void on(WriteCanary command) {
        fence.writeCanary(command);
    }

    @KafkaHandler
    void on(OpenTarget command, @Header(KafkaHeaders.RECEIVED_PARTITION) int partition) {
        fence.openTarget(command, partition);
    }

    @KafkaHandler
    void on(LockTarget command) {
        fence.lockTarget(command);
    }

    @KafkaHandler
    void on(RestoreSource command) {
        fence.restoreSource(command);
    }

    @KafkaHandler(isDefault = true)
    void ignore(Object commandForSomeoneElse) {
        // Every participant reads every command; this one is not the fence's.
    }
}
