package dev.cutover.ctl;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.apache.avro.Schema;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;

import dev.cutover.ctl.replay.Decoded;
import dev.cutover.ctl.replay.Json;
import dev.cutover.ctl.replay.Summaries;
import dev.cutover.ctl.replay.Undecodable;
import dev.cutover.events.serde.MessageHeaders;
import dev.cutover.events.topic.Topic;
import dev.cutover.events.topic.Topics;

/** {@code tail}: every record of a topic, decoded, as text or JSON lines, until stopped. */
final class TailCommand implements Command {

    private static final Duration POLL = Duration.ofMillis(200);
    private static final String DEAD_LETTER_PREFIX = "cutover.dlt.";

    @Override
    public String name() {
        return "tail";
    }

    @Override
    public String summary() {
        return "decode a topic's records to text or JSON lines, until Ctrl-C";
    }

    @Override
    public List<String> description() {
        return List.of(
                "Topics: " + String.join(", ", Topics.all().stream().map(Topic::name).toList())
                        + ", and " + DEAD_LETTER_PREFIX + "<service>.",
                "With --json each record is one object: topic, partition, offset, timestamp, key, type,",
                "fingerprint, value (the message as JSON; on cutover.schemas the schema itself). A record that",
                "cannot be decoded gets \"undecodable\" with the reason instead of a value; it never stops tail.",
                "Reads all partitions from the end (new records only) unless --from-beginning.",
                "",
                "Exit: 0 stopped by Ctrl-C, --max or --idle-timeout; 4 Kafka failed.");
    }

    @Override
    public List<Option> options() {
        return List.of(
                Option.valued("topic", "NAME", "the topic to read (required)"),
                Option.flag("from-beginning", "start at the oldest record instead of the end"),
                Option.flag("json", "one JSON object per line instead of text"),
                Option.valued("max", "N", "stop after N records"),
                Option.valued("idle-timeout", "DURATION", "stop when no record arrives for this long, e.g. 5s"));
    }

    @Override
    public int run(Arguments arguments, Session session) {
        var topic = arguments.required("topic");
        boolean known = Topics.all().stream().anyMatch(t -> t.name().equals(topic)) || topic.startsWith(DEAD_LETTER_PREFIX);
        if (!known) {
            throw new UsageException("--topic must be one of " + Topics.all() + " or " + DEAD_LETTER_PREFIX
                    + "<service>, was '" + topic + "'");
        }
        var max = arguments.positiveLong("max");
        var idle = arguments.duration("idle-timeout");
        var json = arguments.flag("json");
        var woken = new CountDownLatch(1);
        try (var consumer = session.kafka().consumer();
                var interrupt = session.interrupts().onInterrupt(() -> {
                    woken.countDown();
                    consumer.wakeup();
                })) {
            var lastSeen = session.clock().instant();
            var partitions = awaitTopic(consumer, topic, session, woken, lastSeen, idle);
            if (partitions.isEmpty()) {
                return ExitCodes.OK;
            }
            consumer.assign(partitions.get());
            if (arguments.flag("from-beginning")) {
                consumer.seekToBeginning(partitions.get());
            } else {
                consumer.seekToEnd(partitions.get());
                // Seeks are lazy; fixing the positions now means "from now on" is now, not the first poll.
                partitions.get().forEach(consumer::position);
            }
            var decoder = new RecordDecoder();
            long printed = 0;
            while (true) {
                var records = consumer.poll(POLL);
                for (var record : records) {
                    session.out().println(json ? jsonLine(record, decoder) : textLine(record, decoder));
                    if (max.isPresent() && ++printed >= max.get()) {
                        session.out().flush();
                        return ExitCodes.OK;
                    }
                }
                session.out().flush();
                var now = session.clock().instant();
                if (!records.isEmpty()) {
                    lastSeen = now;
                } else if (idle.isPresent() && !now.isBefore(lastSeen.plus(idle.get()))) {
                    return ExitCodes.OK;
                }
            }
        } catch (WakeupException e) {
            return ExitCodes.OK;
        } finally {
            session.out().flush();
        }
    }

    /** The topic's partitions once it exists; empty if --idle-timeout passes first. */
    private static Optional<List<TopicPartition>> awaitTopic(KafkaConsumer<byte[], byte[]> consumer, String topic,
            Session session, CountDownLatch woken, Instant since, Optional<Duration> idle) {
        boolean told = false;
        while (true) {
            var partitions = consumer.partitionsFor(topic);
            if (partitions != null && !partitions.isEmpty()) {
                return Optional.of(partitions.stream().map(p -> new TopicPartition(p.topic(), p.partition())).toList());
            }
            if (!told) {
                session.err().println("topic " + topic + " does not exist yet on " + session.kafka().bootstrapServers()
                        + "; waiting for it");
                told = true;
            }
            if (idle.isPresent() && !session.clock().instant().isBefore(since.plus(idle.get()))) {
                return Optional.empty();
            }
            try {
                if (woken.await(POLL.toMillis() * 5, TimeUnit.MILLISECONDS)) {
                    throw new WakeupException();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new WakeupException();
            }
        }
    }

    static String jsonLine(ConsumerRecord<byte[], byte[]> record, RecordDecoder decoder) {
        var line = new LinkedHashMap<String, Object>();
        line.put("topic", record.topic());
        line.put("partition", record.partition());
        line.put("offset", record.offset());
        line.put("timestamp", Instant.ofEpochMilli(record.timestamp()));
        line.put("key", RecordDecoder.key(record));
        if (record.topic().equals(Topics.SCHEMAS.name())) {
            var schema = schema(record);
            line.put("type", schema.map(Schema::getFullName).orElse(null));
            line.put("fingerprint", RecordDecoder.key(record));
            if (schema.isPresent()) {
                line.put("value", new Json.Raw(schema.get().toString()));
            } else if (record.value() == null) {
                line.put("value", null);
            } else {
                line.put("value", null);
                line.put("undecodable", "the value is not an Avro schema");
            }
            return Json.write(line);
        }
        switch (decoder.decode(record)) {
            case Decoded decoded -> {
                line.put("type", decoded.message().getSchema().getFullName());
                line.put("fingerprint", RecordDecoder.payloadFingerprint(record.value()));
                line.put("value", decoded.message());
            }
            case Undecodable undecodable -> {
                line.put("type", header(record, MessageHeaders.TYPE));
                line.put("fingerprint", RecordDecoder.payloadFingerprint(record.value()));
                line.put("value", null);
                line.put("undecodable", undecodable.problem());
            }
        }
        return Json.write(line);
    }

    static String textLine(ConsumerRecord<byte[], byte[]> record, RecordDecoder decoder) {
        var where = record.topic() + "[" + record.partition() + "]@" + record.offset() + "  "
                + Instant.ofEpochMilli(record.timestamp()) + "  " + RecordDecoder.key(record);
        if (record.topic().equals(Topics.SCHEMAS.name())) {
            return where + "  " + schema(record).map(schema -> "schema " + schema.getFullName())
                    .orElse(record.value() == null ? "tombstone" : "undecodable: the value is not an Avro schema");
        }
        return switch (decoder.decode(record)) {
            case Decoded decoded -> where + "  " + decoded.type() + "  " + Summaries.of(decoded.message());
            case Undecodable undecodable -> where + "  undecodable: " + undecodable.problem();
        };
    }

    private static Optional<Schema> schema(ConsumerRecord<byte[], byte[]> record) {
        if (record.value() == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(new Schema.Parser().parse(new String(record.value(), StandardCharsets.UTF_8)));
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }

    private static String header(ConsumerRecord<?, ?> record, String name) {
        var header = record.headers().lastHeader(name);
        return header == null || header.value() == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }
}
