package dev.cutover.platform;

import io.micrometer.core.instrument.MeterRegistry;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.listener.ConsumerRecordRecoverer;
import org.springframework.kafka.listener.BatchListenerFailedException;
import org.springframework.kafka.listener.ListenerExecutionFailedException;
import org.springframework.kafka.support.serializer.DeserializationException;

import dev.cutover.events.Messages;
import dev.cutover.events.Metadata;
import dev.cutover.events.StepFailed;

/**
 * The one place where a failed message is dealt with. A command whose handling failed is answered
 * with {@code StepFailed}, so the saga hears about it and can compensate; anything that is not a
 * decodable command (garbage, an unknown schema, an event whose handling threw) goes to the
 * service's dead-letter topic, where people can find it after an incident.
 */
public final class StepFailedRecoverer implements ConsumerRecordRecoverer {

    private static final Logger log = LoggerFactory.getLogger(StepFailedRecoverer.class);

    private final MessagePublisher publisher;
    private final ConsumerRecordRecoverer deadLetters;

    /** Commands answered with {@code StepFailed}, by command. */
    public static final String STEP_FAILURES = "cutover.step.failures";
    /** Records sent to the service's dead-letter topic, by the topic they came from. */
    public static final String DEAD_LETTERS = "cutover.dead.letters";

    private final MeterRegistry meters;

    /** @param meters where the failed steps and dead letters are counted, for dashboards and alerts */
    StepFailedRecoverer(MessagePublisher publisher, ConsumerRecordRecoverer deadLetters, MeterRegistry meters) {
        this.publisher = publisher;
        this.deadLetters = deadLetters;
        this.meters = meters;
    }

    @Override
    public void accept(ConsumerRecord<?, ?> record, Exception exception) {
        Throwable cause = rootOf(exception);
        if (record.value() instanceof SpecificRecord command && Messages.isCommand(command.getSchema().getFullName())) {
            failed(command, exception);
            if (cause instanceof StepFailure) {
                return;
            }
        } else {
            log.error("cannot handle the record at {}-{}@{}: {}; sending it to the dead-letter topic",
                    record.topic(), record.partition(), record.offset(), cause.getMessage());
        }
        deadLetters.accept(record, exception);
        meters.counter(DEAD_LETTERS, "topic", record.topic()).increment();
    }

    /**
     * Answers {@code command} with {@code StepFailed}: for a command that failed after its listener had returned
     * (work the service runs beside its listener), as for one whose listener threw.
     */
    public void failed(SpecificRecord command, Exception exception) {
        Throwable cause = rootOf(exception);
        Metadata metadata = MessagePublisher.metadataOf(command);
        boolean retryable = cause instanceof StepFailure failure && failure.retryable();
        String reason = reason(exception);
        log.warn("{} {} failed: {}", command.getSchema().getName(), metadata.getMessageId(), reason,
                cause instanceof StepFailure ? null : cause);
        publisher.publish(StepFailed.newBuilder()
                .setMetadata(publisher.answering(metadata))
                .setStep(command.getSchema().getName())
                .setReason(reason)
                .setRetryable(retryable)
                .build());
        meters.counter(STEP_FAILURES, "command", command.getSchema().getName()).increment();
    }

    /**
     * Whether the handler said its failure will not go away on a retry ({@link StepFailure#retryable()} false): such
     * a command is answered at once, without the retries that would only delay the saga's compensation.
     */
    public static boolean notRetryable(Exception exception) {
        return rootOf(exception) instanceof StepFailure failure && !failure.retryable();
    }

    /** What went wrong, in the words of the exception that says so (not the framework's envelopes around it). */
    static String reason(Exception exception) {
        Throwable cause = rootOf(exception);
        return cause.getMessage() == null ? cause.getClass().getName() : cause.getMessage();
    }

    /** The record for a log line: the command's type and id when it is one, else where it is. */
    static String describe(ConsumerRecord<?, ?> record) {
        return record.value() instanceof SpecificRecord message ? MessagePublisher.describe(message)
                : record.topic() + "-" + record.partition() + "@" + record.offset();
    }

    private static Throwable rootOf(Exception exception) {
        Throwable cause = exception;
        // Unwrap the framework's envelopes down to the exception that says what was wrong.
        while ((cause instanceof ListenerExecutionFailedException || cause instanceof BatchListenerFailedException
                || cause instanceof DeserializationException)
                && cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause;
    }
}
