package dev.cutover.platform;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.common.TopicPartition;
import org.springframework.kafka.listener.BatchInterceptor;
import org.springframework.kafka.listener.RecordInterceptor;

/**
 * Hands a transactional listener only the messages it acts on. Every participant reads every command, and a saga reads
 * back its own events and commands; each such message would otherwise cost a Kafka transaction of its own to commit
 * its offset, and on a busy broker those empty transactions queue in front of the ones that matter. A message skipped
 * here is acknowledged before any transaction begins, and its offset is committed with the next one. A record whose
 * payload could not be decoded always reaches the listener, so that the error handler reports it.
 *
 * <p>For a batch listener the same holds per poll: a poll of nothing but such messages begins no transaction, and a
 * poll that mixes them with others hands the listener only the others. The batch form matters most to a saga: each of
 * its decisions comes back to it as a poll of its own messages, and while that poll's empty transaction commits, the
 * answers it is waiting for queue behind it. A listener without transactions (the fence) is spared the calls.
 */
public final class ActedOnOnly implements RecordInterceptor<Object, Object>, BatchInterceptor<Object, Object> {

    private final Predicate<SpecificRecord> actedOn;

    public ActedOnOnly(Predicate<SpecificRecord> actedOn) {
        this.actedOn = actedOn;
    }

    @Override
    public ConsumerRecord<Object, Object> intercept(ConsumerRecord<Object, Object> record,
            Consumer<Object, Object> consumer) {
        return record.value() instanceof SpecificRecord message && !actedOn.test(message) ? null : record;
    }

    @Override
    public ConsumerRecords<Object, Object> intercept(ConsumerRecords<Object, Object> records,
            Consumer<Object, Object> consumer) {
        Map<TopicPartition, List<ConsumerRecord<Object, Object>>> kept = new HashMap<>();
        int skipped = 0;
        for (ConsumerRecord<Object, Object> record : records) {
            if (intercept(record, consumer) == null) {
                skipped++;
            } else {
                kept.computeIfAbsent(new TopicPartition(record.topic(), record.partition()), tp -> new ArrayList<>())
                        .add(record);
            }
        }
        if (skipped == 0) {
            return records;
        }
        return kept.isEmpty() ? null : new ConsumerRecords<>(kept, records.nextOffsets());
    }
}
