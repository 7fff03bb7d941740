package dev.cutover.cutover.runner;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.apache.avro.specific.SpecificRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.cutover.cutover.saga.Cutover;
import dev.cutover.cutover.saga.CutoverDecider;
import dev.cutover.cutover.saga.CutoverEvent;
import dev.cutover.cutover.saga.CutoverId;
import dev.cutover.cutover.saga.CutoverMessage;
import dev.cutover.cutover.saga.CutoverPolicy;
import dev.cutover.cutover.saga.DatabaseName;
import dev.cutover.cutover.saga.Decision;
import dev.cutover.cutover.saga.Operator;
import dev.cutover.cutover.saga.SagaCommand;
import dev.cutover.events.CutoverRejected;
import dev.cutover.events.Metadata;
import dev.cutover.events.StartCutover;
import dev.cutover.platform.MessagePublisher;

/**
 * Keeps every cutover's state and turns each incoming message into the saga's decision: its events
 * are published (and folded into the state) and its commands sent, all in one Kafka transaction. The
 * state only changes once the transaction has committed, so a failed publish leaves it as it was and
 * the redelivered message is decided again.
 */
class SagaRunner implements CutoverQueries {

    private static final Logger log = LoggerFactory.getLogger(SagaRunner.class);

    private record Saga(Cutover state, DatabaseName database) {
    }

    private final Map<CutoverId, Saga> sagas = new HashMap<>();
    private final MessagePublisher publisher;
    private final SagaSettings settings;
    private final Clock clock;

    SagaRunner(MessagePublisher publisher, SagaSettings settings, Clock clock) {
        this.publisher = publisher;
        this.settings = settings;
        this.clock = clock;
    }

    /** Rebuilds every cutover from the saga's own events, as read back from the log after a restart. */
    synchronized void recover(Map<CutoverId, List<CutoverEvent>> histories, Map<CutoverId, DatabaseName> databases) {
        histories.forEach((id, history) -> {
            Saga saga = new Saga(CutoverDecider.rebuild(history), databases.get(id));
            if (saga.state().isActive() && !settings.dns().containsKey(saga.database().value())) {
                // Another deployment's database, or one removed from this one's settings: acting on it would
                // send commands nobody here can carry out. It is left alone, and said so once.
                log.warn("cutover {} of database {} is in flight, but this service has no cutover.saga.dns.{}: it is"
                        + " left alone; configure the database here or finish it where it is configured",
                        id.value(), saga.database().value(), saga.database().value());
                return;
            }
            sagas.put(id, saga);
        });
        long active = sagas.values().stream().filter(saga -> saga.state().isActive()).count();
        log.info("recovered {} cutovers from the log, {} of them in flight", sagas.size(), active);
    }

    synchronized void onStart(StartCutover command) {
        Metadata metadata = command.getMetadata();
        CutoverId id = new CutoverId(metadata.getCutoverId());
        DatabaseName database = new DatabaseName(metadata.getDatabase());
        SagaSettings.Dns dns = settings.dns().get(database.value());
        if (dns == null) {
            rejectUnconfigured(id, database, command);
            return;
        }
        Cutover state = stateOf(id);
        CutoverMessage.StartCutover start = SagaCodec.start(command, dns.plan(), activeCutoverOf(database, id));
        decide(id, database, state, start, metadata);
    }

    /** A participant's event or an ops command about a cutover; messages the saga does not react to pass by. */
    synchronized void onMessage(SpecificRecord message, Metadata metadata) {
        if (metadata.getCutoverId() == null || SagaCodec.sagaEvent(message).isPresent()) {
            return;
        }
        Optional<CutoverMessage> input = SagaCodec.inbound(message);
        if (input.isEmpty()) {
            return;
        }
        CutoverId id = new CutoverId(metadata.getCutoverId());
        Saga saga = sagas.get(id);
        if (saga == null) {
            throw new IllegalStateException(message.getSchema().getName() + " " + metadata.getMessageId()
                    + " is about cutover " + id.value() + ", which this service never started:"
                    + " it was sent by hand or for a cutover whose log was deleted");
        }
        decide(id, saga.database(), saga.state(), input.get(), metadata);
    }

    /** The latest lag of a database, for the cutovers of it that are waiting on lag. */
    synchronized void onLag(dev.cutover.events.LagReported report) {
        DatabaseName database = new DatabaseName(report.getMetadata().getDatabase());
        CutoverMessage.LagReported lag = SagaCodec.lag(report);
        List.copyOf(sagas.entrySet()).stream()
                .filter(entry -> entry.getValue().database().equals(database) && entry.getValue().state().isActive())
                .forEach(entry -> decide(entry.getKey(), database, entry.getValue().state(), lag, null));
    }

    /** Fires the deadlines that have passed: a step that timed out is compensated or retried. */
    synchronized void tick() {
        Instant now = clock.instant();
        for (Map.Entry<CutoverId, Saga> entry : List.copyOf(sagas.entrySet())) {
            Saga saga = entry.getValue();
            if (!saga.state().isActive()) {
                continue;
            }
            Optional<Instant> deadline = CutoverDecider.deadline(saga.state(), policyFor(saga.database()));
            if (deadline.isPresent() && !now.isBefore(deadline.get())) {
                try {
                    decide(entry.getKey(), saga.database(), saga.state(), new CutoverMessage.Tick(), null);
                } catch (RuntimeException e) {
                    log.error("cutover {}: the deadline could not be acted on, will try again: {}",
                            entry.getKey().value(), e.getMessage(), e);
                }
            }
        }
    }

    @Override
    public synchronized Optional<Cutover> state(CutoverId id) {
        return Optional.ofNullable(sagas.get(id)).map(Saga::state);
    }

    private void decide(CutoverId id, DatabaseName database, Cutover state, CutoverMessage input, Metadata cause) {
        Instant now = clock.instant();
        Decision decision = CutoverDecider.decide(state, input, now, policyFor(database));
        if (decision.isNone()) {
            return;
        }
        Cutover next = state;
        List<SpecificRecord> out = new ArrayList<>();
        for (CutoverEvent event : decision.events()) {
            next = CutoverDecider.evolve(next, event);
            Instant at = SagaCodec.timeOf(event);
            out.add(SagaCodec.event(event, metadata(id, database, cause, at == null ? now : at)));
        }
        SagaSettings.Dns dns = settings.dns().get(database.value());
        for (SagaCommand command : decision.commands()) {
            out.add(SagaCodec.command(command, metadata(id, database, cause, now), dns.plan(), dns,
                    settings.sequenceMargin()));
        }
        publisher.atomically(() -> out.forEach(publisher::publish));
        sagas.put(id, new Saga(next, database));
        log.info("cutover {}: {} -> {}", id.value(), input.getClass().getSimpleName(),
                out.stream().map(m -> m.getSchema().getName()).toList());
    }

    private void rejectUnconfigured(CutoverId id, DatabaseName database, StartCutover command) {
        String reason = "database " + database.value() + " has no DNS plan: set cutover.saga.dns." + database.value()
                + ".record, .source-address and .target-address";
        CutoverEvent.CutoverRejected rejected = new CutoverEvent.CutoverRejected(id, database,
                new Operator(command.getOperator()), reason, clock.instant());
        publisher.atomically(() -> publisher.publish(CutoverRejected.newBuilder()
                .setMetadata(metadata(id, database, command.getMetadata(), rejected.rejectedAt()))
                .setOperator(command.getOperator())
                .setReason(reason)
                .build()));
        sagas.putIfAbsent(id, new Saga(CutoverDecider.evolve(new Cutover.NotStarted(), rejected), database));
    }

    private Cutover stateOf(CutoverId id) {
        Saga saga = sagas.get(id);
        return saga == null ? new Cutover.NotStarted() : saga.state();
    }

    private Optional<CutoverId> activeCutoverOf(DatabaseName database, CutoverId except) {
        return sagas.entrySet().stream()
                .filter(entry -> !entry.getKey().equals(except))
                .filter(entry -> entry.getValue().database().equals(database) && entry.getValue().state().isActive())
                .map(Map.Entry::getKey)
                .findFirst();
    }

    private CutoverPolicy policyFor(DatabaseName database) {
        SagaSettings.Dns dns = settings.dns().get(database.value());
        return settings.policy(dns == null ? Duration.ofSeconds(1) : dns.ttl());
    }

    private Metadata metadata(CutoverId id, DatabaseName database, Metadata cause, Instant at) {
        return SagaMetadata.of(publisher, cause, database.value(), id.value(), null, at);
    }
}
