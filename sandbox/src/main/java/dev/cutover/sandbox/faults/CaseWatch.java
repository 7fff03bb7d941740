package dev.cutover.sandbox.faults;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

import dev.cutover.cutover.saga.CutoverDecider;
import dev.cutover.events.CutoverCompleted;
import dev.cutover.events.CutoverRejected;
import dev.cutover.events.CutoverRolledBack;
import dev.cutover.events.MigrationReady;
import dev.cutover.events.SagaSilent;
import dev.cutover.events.StepFailureNoted;
import dev.cutover.events.TidyUpTaskDone;
import dev.cutover.events.serde.AvroMessageDeserializer;
import dev.cutover.events.serde.UndecodableMessageException;
import dev.cutover.platform.MessagePublisher;
import dev.cutover.sandbox.rehearsal.Services;
import dev.cutover.stack.LocalStack;

/**
 * One case's own reader of the bus, from a thread of its own: it strikes the case's fault at the first message of the
 * migration or the cutover that triggers it (the injection and the healing then run on a thread of their own, so the reading goes on),
 * notes when and how the cutover ended or the first event that names the operator's action ({@link CaseEnding}), and counts the messages the services sent to their dead-letter topics
 * ({@code cutover.dlt.<service>}) from the case's start on.
 */
final class CaseWatch implements AutoCloseable {

    private static final Pattern TOPICS = Pattern.compile("cutover\\.events|cutover\\.dlt\\..*");
    private static final String DEAD_LETTERS = "cutover.dlt.";
    /** What a completed cutover without a prepared fallback tidies up. */
    private static final Set<String> TIDY_UP_TASKS = Set.of("STOP_REPLICATION", "RESTORE_DNS_TTL");

    private final String bootstrapServers;
    private final String cutoverId;
    private final String migrationId;
    private final StrikingFault fault;
    private final LocalStack stack;
    private final Services services;
    private final long since = System.currentTimeMillis();
    private final Thread thread;
    private volatile boolean stopping;
    private volatile Thread striking;
    private final Set<String> tidiedUp = ConcurrentHashMap.newKeySet();
    private volatile Instant readyAt;
    private volatile Instant completedAt;
    private volatile Instant endedAt;
    private volatile String end;
    private volatile String notice;
    private volatile Instant noticeAt;
    private volatile int deadLetters;
    private volatile String failure;

    /** @param migrationId the migration before the cutover, whose steps a fault during the migration strikes at */
    CaseWatch(LocalStack stack, Services services, String migrationId, String cutoverId, StrikingFault fault) {
        this.bootstrapServers = stack.kafkaBootstrapServers();
        this.stack = stack;
        this.services = services;
        this.migrationId = migrationId;
        this.cutoverId = cutoverId;
        this.fault = fault;
        this.thread = Thread.ofPlatform().name("fault-" + fault.faultCase().name()).daemon().unstarted(this::watch);
    }

    /** Starts reading, before the case's migration. */
    void start() {
        thread.start();
    }

    /**
     * Strikes the case's fault now if its moment is {@link Moment#START}, which no message triggers: the harness calls
     * this just before it starts the cutover, and waits until {@link StrikingFault#injectedAt()} is set.
     */
    synchronized void strikeAtStart() {
        if (fault.faultCase().moment() == Moment.START && striking == null) {
            striking = Thread.ofPlatform().name("strike-" + fault.faultCase().name()).daemon().start(this::strike);
        }
    }

    /** When the case's migration became ready ({@code MigrationReady}); {@code null} if it did not. */
    Instant readyAt() {
        return readyAt;
    }

    /**
     * When the saga's work on the cutover ended: its {@code CutoverRolledBack} (or {@code CutoverRejected}), or, for a
     * completed cutover, the last of its tidy-up tasks done after {@code CutoverCompleted}; {@code null} if it did not.
     */
    Instant endedAt() {
        return endedAt;
    }

    /** The terminal event's type, once the saga's work ended ({@link #endedAt()}); {@code null} before. */
    String end() {
        return end;
    }

    /** When the first event naming the operator's action was written; {@code null} if none was. */
    Instant noticeAt() {
        return noticeAt;
    }

    /** How the cutover stands now; {@code injected}: whether the fault struck. */
    CaseEnding ending(boolean injected) {
        String ended = end;
        return new CaseEnding(injected, ended, completedAt != null, notice);
    }

    int deadLetters() {
        return deadLetters;
    }

    /** What went wrong striking or healing the fault; {@code null} if nothing. */
    String failure() {
        return failure;
    }

    /** Waits until the fault, if it struck, is healed. */
    void awaitHealed(Duration bound) throws InterruptedException {
        Thread injecting = striking;
        if (injecting != null && !injecting.join(bound)) {
            failure = "the fault was not healed within " + bound;
        }
    }

    @Override
    public void close() throws InterruptedException {
        stopping = true;
        if (thread.getState() != Thread.State.NEW) {
            thread.join(Duration.ofSeconds(10));
        }
    }

    private void watch() {
        AvroMessageDeserializer decoder = new AvroMessageDeserializer();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of("bootstrap.servers", bootstrapServers,
                "group.id", "fault-matrix-" + UUID.randomUUID(), "auto.offset.reset", "earliest",
                "enable.auto.commit", "false", "isolation.level", "read_committed", "metadata.max.age.ms", "1000",
                "key.deserializer", ByteArrayDeserializer.class.getName(),
                "value.deserializer", ByteArrayDeserializer.class.getName()))) {
            consumer.subscribe(TOPICS);
            while (!stopping) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(50))) {
                    if (record.topic().startsWith(DEAD_LETTERS)) {
                        deadLetters += record.timestamp() >= since ? 1 : 0;
                    } else {
                        read(decoder, record);
                    }
                }
            }
        } catch (KafkaException e) {
            failure = "the case's reader of the bus failed: " + e;
        }
    }

    private void read(AvroMessageDeserializer decoder, ConsumerRecord<byte[], byte[]> record) {
        SpecificRecord message;
        try {
            message = decoder.deserialize(record.topic(), record.headers(), record.value());
        } catch (UndecodableMessageException e) {
            return;
        }
        var metadata = MessagePublisher.metadataOf(message);
        if (!cutoverId.equals(metadata.getCutoverId()) && !migrationId.equals(metadata.getMigrationId())) {
            return;
        }
        if (striking == null && fault.triggeredBy(message)) {
            striking = Thread.ofPlatform().name("strike-" + fault.faultCase().name()).daemon().start(this::strike);
        }
        Instant at = MessagePublisher.metadataOf(message).getOccurredAt();
        switch (message) {
            case MigrationReady ready -> readyAt = readyAt == null ? at : readyAt;
            case CutoverRolledBack rolledBack -> ended("CutoverRolledBack", at);
            case CutoverRejected rejected -> ended("CutoverRejected", at);
            case CutoverCompleted completed -> completedAt = at;
            case TidyUpTaskDone done -> tidiedUp.add(done.getTask());
            case SagaSilent silent -> noticed(CaseEnding.SAGA_SILENT, at);
            // Only the saga's note that a tidy-up task went unanswered names the operator's action; a participant's
            // failure it notes is retried on its own.
            case StepFailureNoted noted when "TIDY_UP".equals(noted.getStep())
                    && noted.getReason().contains(CutoverDecider.UNANSWERED_TIDY_UP) ->
                    noticed(CaseEnding.TIDY_UP_UNANSWERED, at);
            default -> { }
        }
        if (completedAt != null && tidiedUp.containsAll(TIDY_UP_TASKS)) {
            ended("CutoverCompleted", at);
        }
    }

    private void ended(String terminal, Instant at) {
        if (endedAt == null) {
            endedAt = at;
            end = terminal;
        }
    }

    private void noticed(String type, Instant at) {
        if (notice == null) {
            noticeAt = at;
            notice = type;
        }
    }

    private void strike() {
        try {
            fault.inject(stack, services);
        } catch (Exception e) {
            failure = "striking " + fault.faultCase().name() + " failed: " + e;
        } finally {
            try {
                fault.heal(stack, services);
            } catch (Exception e) {
                failure = "healing " + fault.faultCase().name() + " failed: " + e;
            }
        }
    }
}
