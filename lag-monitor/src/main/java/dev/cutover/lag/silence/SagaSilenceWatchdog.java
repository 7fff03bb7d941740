package dev.cutover.lag.silence;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

import dev.cutover.events.CutoverCompleted;
import dev.cutover.events.CutoverPlanned;
import dev.cutover.events.CutoverRejected;
import dev.cutover.events.CutoverRolledBack;
import dev.cutover.events.CutoverStarted;
import dev.cutover.events.Metadata;
import dev.cutover.events.SagaSilent;
import dev.cutover.events.StepStarted;
import dev.cutover.events.serde.AvroMessageDeserializer;
import dev.cutover.events.serde.UndecodableMessageException;
import dev.cutover.events.topic.Topics;
import dev.cutover.lag.silence.SagaNews.Word;
import dev.cutover.platform.MessagePublisher;
import dev.cutover.platform.PublishFailed;

/**
 * Reads {@code cutover.events} on a thread of its own, in a group of its own so that each partition is watched by one
 * instance, from the beginning of every partition it is given: the cutovers under way and their saga's last word are
 * folded from the log, and so is every {@code SagaSilent} already written, which is what keeps a restarted watchdog
 * from repeating one. A silence is judged only while this reader has read its partition to the end (the last stable
 * offset), so that what it has not read yet is not taken for silence; and the time it could not reach the broker does
 * not count, since the saga could not write then either.
 */
@Component
class SagaSilenceWatchdog implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(SagaSilenceWatchdog.class);
    private static final String GROUP = "lag-monitor-saga-silence";
    private static final Duration BROKER_WAIT = Duration.ofSeconds(5);

    private final KafkaProperties kafka;
    private final MessagePublisher publisher;
    private final SagaSilenceSettings settings;
    private final Clock clock;
    private final AvroMessageDeserializer decoder = new AvroMessageDeserializer();
    private final Map<TopicPartition, SilenceWatch> watches = new HashMap<>();
    private final Map<TopicPartition, Instant> watchingSince = new HashMap<>();
    private volatile boolean running;
    private volatile KafkaConsumer<String, byte[]> consumer;
    private Thread thread;
    private boolean blind;

    SagaSilenceWatchdog(KafkaProperties kafka, MessagePublisher publisher, SagaSilenceSettings settings, Clock clock) {
        this.kafka = kafka;
        this.publisher = publisher;
        this.settings = settings;
        this.clock = clock;
    }

    @Override
    public void start() {
        if (!settings.enabled()) {
            return;
        }
        running = true;
        thread = Thread.ofPlatform().name("saga-silence").daemon().start(this::run);
    }

    @Override
    public void stop() {
        running = false;
        KafkaConsumer<String, byte[]> reading = consumer;
        if (reading != null) {
            reading.wakeup();
        }
        if (thread != null) {
            try {
                thread.join(Duration.ofSeconds(10));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    private void run() {
        while (running) {
            try (KafkaConsumer<String, byte[]> reading = newConsumer()) {
                consumer = reading;
                reading.subscribe(List.of(Topics.EVENTS.name()), new FromTheBeginning(reading));
                read(reading);
            } catch (WakeupException e) {
                // stop() woke the reader up.
            } catch (KafkaException e) {
                log.warn("the watch for silent sagas lost its reader of {} and starts it again in {} s: {}",
                        Topics.EVENTS.name(), BROKER_WAIT.toSeconds(), e.toString());
                watches.clear();
                watchingSince.clear();
                pause();
            }
        }
    }

    private KafkaConsumer<String, byte[]> newConsumer() {
        Map<String, Object> config = new HashMap<>(kafka.buildConsumerProperties());
        config.put(ConsumerConfig.GROUP_ID_CONFIG, GROUP);
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        return new KafkaConsumer<>(config, new StringDeserializer(), new ByteArrayDeserializer());
    }

    private void read(KafkaConsumer<String, byte[]> reading) {
        Instant nextCheck = clock.instant();
        while (running) {
            for (ConsumerRecord<String, byte[]> record : reading.poll(settings.checkInterval())) {
                TopicPartition partition = new TopicPartition(record.topic(), record.partition());
                SilenceWatch watch = watches.get(partition);
                if (watch != null) {
                    news(record).ifPresent(news -> watches.put(partition, watch.with(news)));
                }
            }
            if (!clock.instant().isBefore(nextCheck)) {
                check(reading);
                nextCheck = clock.instant().plus(settings.checkInterval());
            }
        }
    }

    private void check(KafkaConsumer<String, byte[]> reading) {
        Set<TopicPartition> assigned = reading.assignment();
        if (assigned.isEmpty()) {
            return;
        }
        Map<TopicPartition, Long> ends = new HashMap<>();
        Map<TopicPartition, Long> positions = new HashMap<>();
        try {
            ends.putAll(reading.endOffsets(assigned, BROKER_WAIT));
            for (TopicPartition partition : assigned) {
                positions.put(partition, reading.position(partition, BROKER_WAIT));
            }
        } catch (TimeoutException e) {
            blind = true;
            return;
        }
        Instant now = clock.instant();
        if (blind) {
            blind = false;
            watchingSince.replaceAll((partition, since) -> now);
        }
        for (TopicPartition partition : assigned) {
            SilenceWatch watch = watches.get(partition);
            Long end = ends.get(partition);
            if (watch == null || end == null || positions.get(partition) < end) {
                continue;
            }
            for (Silence silence : watch.due(now, watchingSince.get(partition))) {
                if (report(silence)) {
                    watch = watch.with(new SagaNews.Reported(silence.cutoverId(), silence.lastWord().messageId()));
                }
            }
            watches.put(partition, watch);
        }
    }

    private boolean report(Silence silence) {
        String action = silence.action(settings.sagaService());
        Metadata metadata = publisher.originating(silence.database(), silence.cutoverId(), null);
        metadata.setCausationId(silence.lastWord().messageId());
        try {
            publisher.publish(SagaSilent.newBuilder().setMetadata(metadata)
                    .setLastEventType(silence.lastWord().type())
                    .setLastEventId(silence.lastWord().messageId())
                    .setLastEventAt(silence.lastWord().at())
                    .setLastStep(silence.lastStep().orElse(null))
                    .setSilentForMs(silence.silentFor().toMillis())
                    .setBoundMs(silence.bound().toMillis())
                    .setAction(action)
                    .build());
        } catch (PublishFailed e) {
            log.warn("{}: the saga is silent, but SagaSilent could not be written (tried again in {}): {}",
                    silence.cutoverId(), settings.checkInterval(), e.getMessage());
            return false;
        }
        log.warn("{} ({}): {}", silence.cutoverId(), silence.database(), action);
        return true;
    }

    /** What a record says about a cutover's saga; nothing for other records, and for ones it cannot decode. */
    private Optional<SagaNews> news(ConsumerRecord<String, byte[]> record) {
        SpecificRecord message;
        try {
            message = decoder.deserialize(record.topic(), record.headers(), record.value());
        } catch (UndecodableMessageException e) {
            return Optional.empty();
        }
        if (message == null) {
            return Optional.empty();
        }
        Metadata metadata = MessagePublisher.metadataOf(message);
        String cutoverId = metadata.getCutoverId();
        if (cutoverId == null) {
            return Optional.empty();
        }
        boolean fromSaga = settings.sagaService().equals(metadata.getProducer());
        Word word = new Word(message.getSchema().getName(), metadata.getMessageId().toString(), metadata.getOccurredAt(),
                message instanceof StepStarted started ? Optional.of(started.getStep()) : Optional.empty());
        return Optional.ofNullable(switch (message) {
            case CutoverStarted started when fromSaga -> new SagaNews.Started(cutoverId, metadata.getDatabase(), word);
            case CutoverCompleted completed -> new SagaNews.Ended(cutoverId);
            case CutoverRolledBack rolledBack -> new SagaNews.Ended(cutoverId);
            case CutoverRejected rejected -> new SagaNews.Ended(cutoverId);
            case CutoverPlanned planned -> new SagaNews.Ended(cutoverId);
            case SagaSilent silent -> new SagaNews.Reported(cutoverId, silent.getLastEventId());
            default -> fromSaga ? new SagaNews.Spoke(cutoverId, word) : null;
        });
    }

    private static void pause() {
        try {
            Thread.sleep(BROKER_WAIT);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Each partition given to this instance is read again from its beginning; one taken away is forgotten. */
    private final class FromTheBeginning implements ConsumerRebalanceListener {

        private final KafkaConsumer<String, byte[]> reading;

        FromTheBeginning(KafkaConsumer<String, byte[]> reading) {
            this.reading = reading;
        }

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            Instant now = clock.instant();
            for (TopicPartition partition : partitions) {
                watches.put(partition, SilenceWatch.start(settings.after()));
                watchingSince.put(partition, now);
            }
            reading.seekToBeginning(partitions);
        }

        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            partitions.forEach(partition -> {
                watches.remove(partition);
                watchingSince.remove(partition);
            });
        }
    }
}
