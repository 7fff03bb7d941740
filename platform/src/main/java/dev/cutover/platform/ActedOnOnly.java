package dev.cutover.platform;

import java.util.function.Predicate;

import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.springframework.kafka.listener.RecordInterceptor;

/**
 * Hands a transactional listener only the messages it acts on. Every participant reads every command, and a saga reads
 * back its own events and commands; each such message would otherwise cost a Kafka transaction of its own to commit
 * its offset, and on a busy broker those empty transactions queue in front of the ones that matter. A message skipped
 * here is acknowledged before any transaction begins, and its offset is committed with the next one. A record whose
 * payload could not be decoded always reaches the listener, so that the error handler reports it.
 */
public final class ActedOnOnly implements RecordInterceptor<Object, Object> {

    private final Predicate<SpecificRecord> actedOn;

    public ActedOnOnly(Predicate<SpecificRecord> actedOn) {
        this.actedOn = actedOn;
    }

    @Override
    public ConsumerRecord<Object, Object> intercept(ConsumerRecord<Object, Object> record,
            Consumer<Object, Object> consumer) {
        return record.value() instanceof SpecificRecord message && !actedOn.test(message) ? null : record;
    }
}
