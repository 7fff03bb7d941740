package dev.cutover.cutover.migration.runner;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
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
import dev.cutover.cutover.runner.SagaMetadata;
import dev.cutover.cutover.saga.DatabaseName;
import dev.cutover.events.Metadata;
import dev.cutover.events.StartMigration;
import dev.cutover.platform.MessagePublisher;

/**
 * Keeps every migration's state and turns each incoming message into the saga's decision: its events are published
 * (and folded into the state) and its commands sent, all in one Kafka transaction. The state only changes once the
 * transaction has committed, so a failed publish leaves it as it was and the redelivered message is decided again.
 */
class MigrationRunner {

    private static final Logger log = LoggerFactory.getLogger(MigrationRunner.class);

    private record Saga(Migration state, DatabaseName database) {
    }

    private final Map<MigrationId, Saga> sagas = new HashMap<>();
    private final MessagePublisher publisher;
    private final MigrationPolicy policy;
    private final Function<DatabaseName, Optional<DnsTtl>> dnsPlans;
    private final Clock clock;

    /** @param dnsPlans the record and cutover TTL configured for a database, if any */
    MigrationRunner(MessagePublisher publisher, MigrationPolicy policy, Function<DatabaseName, Optional<DnsTtl>> dnsPlans,
            Clock clock) {
        this.publisher = publisher;
        this.policy = policy;
        this.dnsPlans = dnsPlans;
        this.clock = clock;
    }

    /** Rebuilds every migration from the saga's own events, as read back from the log after a restart. */
    synchronized void recover(Map<MigrationId, List<MigrationEvent>> histories, Map<MigrationId, DatabaseName> databases) {
        histories.forEach((id, history) ->
                sagas.put(id, new Saga(MigrationDecider.rebuild(history), databases.get(id))));
        long active = sagas.values().stream().filter(saga -> saga.state().isActive()).count();
        log.info("recovered {} migrations from the log, {} of them in flight", sagas.size(), active);
    }

    synchronized void onStart(StartMigration command) {
        Metadata metadata = command.getMetadata();
        MigrationId id = MigrationCodec.migrationId(metadata);
        DatabaseName database = new DatabaseName(metadata.getDatabase());
        MigrationMessage.StartMigration start = MigrationCodec.start(command, dnsPlans.apply(database),
                activeMigrationOf(database, id));
        decide(id, database, stateOf(id), start, metadata);
    }

    /** A participant's event about a migration; messages the saga does not react to pass by. */
    synchronized void onMessage(SpecificRecord message, Metadata metadata) {
        if (metadata.getMigrationId() == null || MigrationCodec.isOwn(message)) {
            return;
        }
        Optional<MigrationMessage> input = MigrationCodec.inbound(message);
        if (input.isEmpty()) {
            return;
        }
        MigrationId id = MigrationCodec.migrationId(metadata);
        Saga saga = sagas.get(id);
        if (saga == null) {
            throw new IllegalStateException(message.getSchema().getName() + " " + metadata.getMessageId()
                    + " is about migration " + id.value() + ", which this service never started:"
                    + " it was sent by hand or for a migration whose log was deleted");
        }
        decide(id, saga.database(), saga.state(), input.get(), metadata);
    }

    /** Fires the deadlines that have passed: a step that timed out stops its migration, a due retry is sent. */
    synchronized void tick() {
        Instant now = clock.instant();
        for (Map.Entry<MigrationId, Saga> entry : List.copyOf(sagas.entrySet())) {
            Saga saga = entry.getValue();
            Optional<Instant> deadline = MigrationDecider.deadline(saga.state(), policy);
            if (deadline.isPresent() && !now.isBefore(deadline.get())) {
                try {
                    decide(entry.getKey(), saga.database(), saga.state(), new MigrationMessage.Tick(), null);
                } catch (RuntimeException e) {
                    log.error("migration {}: the deadline could not be acted on, will try again: {}",
                            entry.getKey().value(), e.getMessage(), e);
                }
            }
        }
    }

    synchronized Optional<Migration> state(MigrationId id) {
        return Optional.ofNullable(sagas.get(id)).map(Saga::state);
    }

    private void decide(MigrationId id, DatabaseName database, Migration state, MigrationMessage input,
            Metadata cause) {
        Instant now = clock.instant();
        MigrationDecision decision = MigrationDecider.decide(state, input, now, policy);
        if (decision.isNone()) {
            return;
        }
        Migration next = state;
        List<SpecificRecord> out = new ArrayList<>();
        for (MigrationEvent event : decision.events()) {
            next = MigrationDecider.evolve(next, event);
            Instant at = MigrationCodec.timeOf(event);
            out.addAll(MigrationCodec.event(event, () -> metadata(id, database, cause, at)));
        }
        for (MigrationCommand command : decision.commands()) {
            out.add(MigrationCodec.command(command, metadata(id, database, cause, now)));
        }
        publisher.atomically(() -> out.forEach(publisher::publish));
        sagas.put(id, new Saga(next, database));
        log.info("migration {}: {} -> {}", id.value(), input.getClass().getSimpleName(),
                out.stream().map(m -> m.getSchema().getName()).toList());
    }

    private Migration stateOf(MigrationId id) {
        Saga saga = sagas.get(id);
        return saga == null ? new Migration.NotStarted() : saga.state();
    }

    private Optional<MigrationId> activeMigrationOf(DatabaseName database, MigrationId except) {
        return sagas.entrySet().stream()
                .filter(entry -> !entry.getKey().equals(except))
                .filter(entry -> entry.getValue().database().equals(database) && entry.getValue().state().isActive())
                .map(Map.Entry::getKey)
                .findFirst();
    }

    private Metadata metadata(MigrationId id, DatabaseName database, Metadata cause, Instant at) {
        return SagaMetadata.of(publisher, cause, database.value(), null, id.value(), at);
    }
}
