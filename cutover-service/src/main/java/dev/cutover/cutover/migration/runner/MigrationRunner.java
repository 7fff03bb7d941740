package dev.cutover.cutover.migration.runner;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Function;

import org.apache.avro.specific.SpecificRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.cutover.cutover.migration.DnsTtl;
import dev.cutover.cutover.migration.Migration;
import dev.cutover.cutover.migration.MigrationCommand;
import dev.cutover.cutover.migration.MigrationDecider;
import dev.cutover.cutover.migration.MigrationDecision;
import dev.cutover.cutover.migration.MigrationEvent;
import dev.cutover.cutover.migration.MigrationId;
import dev.cutover.cutover.migration.MigrationMessage;
import dev.cutover.cutover.migration.MigrationPolicy;
import dev.cutover.cutover.runner.OwnedSagas;
import dev.cutover.cutover.runner.PartitionWriters;
import dev.cutover.cutover.runner.SagaEntry;
import dev.cutover.cutover.runner.SagaMetadata;
import dev.cutover.cutover.runner.SagaPartitions;
import dev.cutover.cutover.runner.SagaProjection;
import dev.cutover.cutover.saga.DatabaseName;
import dev.cutover.events.Metadata;
import dev.cutover.events.StartMigration;
import dev.cutover.platform.MessagePublisher;

/**
 * Keeps the state of every migration on the partitions this instance owns and turns each incoming message into the
 * saga's decision: its events are published (and folded into the state) and its commands sent, all in one Kafka
 * transaction, the listener's for an answer (with the consumed offset), the partition's fenced writer's for a
 * deadline. A failed publish leaves the state as it was, and the redelivered message is decided again.
 */
class MigrationRunner implements SagaPartitions.Owner {

    private static final Logger log = LoggerFactory.getLogger(MigrationRunner.class);

    private final OwnedSagas<MigrationId, Migration> sagas = new OwnedSagas<>();
    private final MessagePublisher publisher;
    private final PartitionWriters writers;
    private final SagaProjection<MigrationId, Migration, MigrationEvent> projection;
    private final MigrationPolicy policy;
    private final Function<DatabaseName, Optional<DnsTtl>> dnsPlans;
    private final Function<DatabaseName, Optional<String>> adoptedReplications;
    private final Clock clock;

    /**
     * @param dnsPlans            the record and cutover TTL configured for a database, if any
     * @param adoptedReplications the replication someone else runs for a database, described, if it is adopted
     */
    MigrationRunner(MessagePublisher publisher, PartitionWriters writers,
            SagaProjection<MigrationId, Migration, MigrationEvent> projection, MigrationPolicy policy,
            Function<DatabaseName, Optional<DnsTtl>> dnsPlans,
            Function<DatabaseName, Optional<String>> adoptedReplications, Clock clock) {
        this.publisher = publisher;
        this.writers = writers;
        this.projection = projection;
        this.policy = policy;
        this.dnsPlans = dnsPlans;
        this.adoptedReplications = adoptedReplications;
        this.clock = clock;
    }

    /** Takes over the migrations of newly owned partitions as the log has them. */
    @Override
    public synchronized void adopt(Set<Integer> partitions) {
        Map<MigrationId, SagaEntry<Migration>> found = projection.sagasIn(partitions);
        sagas.adopt(partitions, found);
        log.info("partitions {}: {} migrations read back from the log, {} of them in flight", partitions, found.size(),
                found.values().stream().filter(saga -> saga.state().isActive()).count());
    }

    @Override
    public synchronized void release(Set<Integer> partitions) {
        sagas.release(partitions);
    }

    synchronized void onStart(StartMigration command, int partition) {
        Metadata metadata = command.getMetadata();
        MigrationId id = MigrationCodec.migrationId(metadata);
        DatabaseName database = new DatabaseName(metadata.getDatabase());
        sagas.requireOwned(partition, MessagePublisher.describe(command));
        MigrationMessage.StartMigration start = MigrationCodec.start(command, dnsPlans.apply(database),
                activeMigrationOf(database, id), adoptedReplications.apply(database));
        SagaEntry<Migration> saga = sagas.get(id).orElseGet(() -> new SagaEntry<>(new Migration.NotStarted(),
                database, partition));
        decide(id, saga, start, metadata, this::publishWithConsumed);
    }

    /** {@code StartMigration}, and participants' answers and ops commands about a migration; not its own messages. */
    boolean actsOn(SpecificRecord message) {
        return message instanceof StartMigration || MessagePublisher.metadataOf(message).getMigrationId() != null
                && !MigrationCodec.isOwn(message) && MigrationCodec.inbound(message).isPresent();
    }

    synchronized void onMessage(SpecificRecord message, Metadata metadata, int partition) {
        if (!actsOn(message)) {
            return;
        }
        Optional<MigrationMessage> input = MigrationCodec.inbound(message);
        sagas.requireOwned(partition, MessagePublisher.describe(message));
        MigrationId id = MigrationCodec.migrationId(metadata);
        SagaEntry<Migration> saga = sagas.get(id).orElseThrow(() -> new IllegalStateException(
                message.getSchema().getName() + " " + metadata.getMessageId() + " is about migration " + id.value()
                        + ", which this service never started: it was sent by hand or for a migration whose log was"
                        + " deleted"));
        decide(id, saga, input.get(), metadata, this::publishWithConsumed);
    }

    /** Fires the deadlines that have passed: a step that timed out stops its migration, a due retry is sent. */
    synchronized void tick() {
        Instant now = clock.instant();
        for (Map.Entry<MigrationId, SagaEntry<Migration>> entry : sagas.due(now,
                (state, database) -> MigrationDecider.deadline(state, policy))) {
            MigrationId id = entry.getKey();
            SagaEntry<Migration> saga = entry.getValue();
            if (!sagas.owns(saga.partition())) {
                continue;
            }
            try {
                decide(id, saga, new MigrationMessage.Tick(), null, messages -> writers.write(saga.partition(), messages));
            } catch (PartitionWriters.PartitionLost e) {
                log.warn("migration {}: {}; this instance stops acting on partition {}", id.value(), e.getMessage(),
                        e.partition());
                sagas.release(Set.of(e.partition()));
            } catch (RuntimeException e) {
                log.error("migration {}: the deadline could not be acted on, will try again: {}", id.value(),
                        e.getMessage(), e);
            }
        }
    }

    synchronized Optional<Migration> state(MigrationId id) {
        return sagas.get(id).map(SagaEntry::state);
    }

    private void decide(MigrationId id, SagaEntry<Migration> saga, MigrationMessage input, Metadata cause,
            Consumer<List<SpecificRecord>> publish) {
        Instant now = clock.instant();
        DatabaseName database = saga.database();
        MigrationDecision decision = MigrationDecider.decide(saga.state(), input, now, policy);
        if (decision.isNone()) {
            return;
        }
        Migration next = saga.state();
        List<SpecificRecord> out = new ArrayList<>();
        for (MigrationEvent event : decision.events()) {
            next = MigrationDecider.evolve(next, event);
            Instant at = MigrationCodec.timeOf(event);
            out.addAll(MigrationCodec.event(event, () -> metadata(id, database, cause, at)));
        }
        for (MigrationCommand command : decision.commands()) {
            out.add(MigrationCodec.command(command, metadata(id, database, cause, now)));
        }
        publish.accept(out);
        sagas.put(id, saga.with(next));
        log.info("migration {}: {} -> {}", id.value(), input.getClass().getSimpleName(),
                out.stream().map(m -> m.getSchema().getName()).toList());
    }

    /** In the listener's transaction, which commits the consumed offset with them. */
    private void publishWithConsumed(List<SpecificRecord> messages) {
        publisher.publishAll(messages);
    }

    /** Another migration of the database in flight: on this instance's partitions, else as the log shows elsewhere. */
    private Optional<MigrationId> activeMigrationOf(DatabaseName database, MigrationId except) {
        return sagas.active(database, except, Migration::isActive)
                .or(() -> projection.activeElsewhere(database, except, sagas.partitions()));
    }

    private Metadata metadata(MigrationId id, DatabaseName database, Metadata cause, Instant at) {
        return SagaMetadata.of(publisher, cause, database.value(), null, id.value(), at);
    }
}
