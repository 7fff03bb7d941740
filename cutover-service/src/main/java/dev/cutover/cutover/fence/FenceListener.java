package dev.cutover.cutover.fence;

import java.util.ArrayList;
import java.util.List;

import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.kafka.listener.BatchListenerFailedException;

import dev.cutover.events.LockTarget;
import dev.cutover.events.OpenTarget;
import dev.cutover.events.RestoreSource;
import dev.cutover.events.StopTraffic;
import dev.cutover.events.WriteCanary;
import dev.cutover.platform.DecodedValues;

/**
 * The fence's commands from Kafka, a poll at a time; commands for other participants never reach it
 * ({@link FenceWatchers}). The saga sends {@code StopTraffic} and {@code WriteCanary} together, so they arrive in one
 * poll: the canary is written right after the fence, and both answers go out together once both are done. A command
 * that fails is handed to the error handler, which tries it again and then answers it with {@code StepFailed}; the
 * answers of the commands before it are published first, and the commands after it follow its retries.
 */
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

    @KafkaListener(id = "fence", topics = "cutover.commands", groupId = "cutover-fence",
            containerPostProcessor = "fenceWatchers", batch = "true")
    void on(List<ConsumerRecord<String, Object>> records) {
        List<SpecificRecord> answers = new ArrayList<>();
        List<Runnable> afterPublishing = new ArrayList<>();
        for (ConsumerRecord<String, Object> record : records) {
            try {
                carryOut(record, answers, afterPublishing);
            } catch (RuntimeException e) {
                publish(answers, afterPublishing);
                throw new BatchListenerFailedException(e.getMessage() == null ? e.getClass().getName()
                        : e.getMessage(), e, record);
            }
        }
        publish(answers, afterPublishing);
    }

    private void carryOut(ConsumerRecord<String, Object> record, List<SpecificRecord> answers,
            List<Runnable> afterPublishing) {
        Object value = DecodedValues.of(record);
        if (value == null) {
            throw new IllegalArgumentException("a command without a value (a tombstone?) at " + record.topic() + "-"
                    + record.partition() + "@" + record.offset() + ": nothing to carry out");
        }
        if (!(value instanceof SpecificRecord command) || !handles(command) || fence.carriedOutEarly(command)) {
            // Not the fence's (the interceptor lets only undecodable records through besides its own), or carried out
            // already, as soon as the saga committed it in this process.
            return;
        }
        FenceParticipant.Carried carried = fence.carryOut(command, record.partition());
        answers.add(carried.answer());
        carried.afterPublishing().ifPresent(afterPublishing::add);
    }

    private void publish(List<SpecificRecord> answers, List<Runnable> afterPublishing) {
        fence.publish(answers);
        afterPublishing.forEach(Runnable::run);
    }
}
