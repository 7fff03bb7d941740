package dev.cutover.cutover.runner;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

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
import dev.cutover.cutover.saga.Step;
import dev.cutover.events.CutoverRejected;
import dev.cutover.events.Metadata;
import dev.cutover.events.StartCutover;
import dev.cutover.platform.MessagePublisher;

/**
 * Keeps the state of every cutover on the partitions this instance owns and turns each incoming message into the
 * saga's decision: its events are published (and folded into the state) and its commands sent, all in one Kafka
 * transaction of the partition's fenced writer. A decision that answers a consumed message goes into the transaction
 * the loop has open on that writer ({@link SagaTransaction}); one that nothing consumed starts (a deadline, a lag
 * report) commits in a transaction of its own. A failed publish leaves the state as it was, and the redelivered
 * message is decided again.
 *
 * <p>Only the loop's thread calls it ({@link SagaLoop}), so it needs no locks; {@link #partitions} is a copy other
 * threads may read. The made-up cutovers of {@link #warmUp} touch no saga, and may run on any thread.
 */
class SagaRunner implements SagaPartitions.Owner {

    private static final Logger log = LoggerFactory.getLogger(SagaRunner.class);

    private final OwnedSagas<CutoverId, Cutover> sagas = new OwnedSagas<>();
    /**
     * The sagas the loop's open transaction changed, as they were before it: its decisions run ahead of the log until
     * it commits ({@link #pollCommitted}); if it fails instead ({@link #pollRolledBack}), they are put back, so that the
     * messages read again are decided again on the state the log has.
     */
    private final Map<CutoverId, Optional<SagaEntry<Cutover>>> uncommitted = new HashMap<>();
    private final MessagePublisher publisher;
    private final PartitionWriters writers;
    private final SagaProjection<CutoverId, Cutover, CutoverEvent> projection;
    private final SagaSettings settings;
    private final Set<Integer> lost = new HashSet<>();
    /** The newest lag report of each database, whether or not a cutover waited on it: see {@link #lagHeardDuringPreflight}. */
    private final Map<DatabaseName, CutoverMessage.LagReported> latestLag = new HashMap<>();
    /** The databases configured under {@code cutover.databases}: named when a start names another. */
    private final Set<String> databases;
    /** Those whose cutovers prepare reverse replication ({@code cutover.databases.<name>.fallback.prepare}). */
    private final Set<String> fallbackDatabases;
    private final MigrationsInFlight migrations;
    private final Clock clock;
    /** The owned partitions, for threads other than the loop's. */
    private volatile Set<Integer> owned = Set.of();

    SagaRunner(MessagePublisher publisher, PartitionWriters writers,
            SagaProjection<CutoverId, Cutover, CutoverEvent> projection, SagaSettings settings, Set<String> databases,
            Set<String> fallbackDatabases, MigrationsInFlight migrations, Clock clock) {
        this.publisher = publisher;
        this.writers = writers;
        this.projection = projection;
        this.settings = settings;
        this.databases = Set.copyOf(databases);
        this.fallbackDatabases = Set.copyOf(fallbackDatabases);
        this.migrations = migrations;
        this.clock = clock;
    }

    /** Takes over the cutovers of newly owned partitions as the log has them. */
    @Override
    public void adopt(Set<Integer> partitions) {
        Map<CutoverId, SagaEntry<Cutover>> found = new HashMap<>();
        projection.sagasIn(partitions).forEach((id, saga) -> {
            if (saga.state().isActive() && !settings.dns().containsKey(saga.database().value())) {
                // Another deployment's database, or one removed from this one's settings: acting on it would
                // send commands nobody here can carry out. It is left alone, and said so once.
                log.warn("cutover {} of database {} is in flight, but this service has no cutover.saga.dns.{}: it is"
                        + " left alone; configure the database here or finish it where it is configured",
                        id.value(), saga.database().value(), saga.database().value());
                return;
            }
            found.put(id, saga);
        });
        sagas.adopt(partitions, found);
        owned = sagas.partitions();
        log.info("partitions {}: {} cutovers read back from the log, {} of them in flight", partitions, found.size(),
                found.values().stream().filter(saga -> saga.state().isActive()).count());
    }

    @Override
    public void release(Set<Integer> partitions) {
        sagas.release(partitions);
        owned = sagas.partitions();
    }

    Set<Integer> partitions() {
        return owned;
    }

    /** @param at when the command was read: the time its decision is stamped with */
    void onStart(StartCutover command, int partition, SagaTransaction transaction, Instant at) {
        Metadata metadata = command.getMetadata();
        CutoverId id = new CutoverId(metadata.getCutoverId());
        DatabaseName database = new DatabaseName(metadata.getDatabase());
        sagas.requireOwned(partition, MessagePublisher.describe(command));
        SagaSettings.Dns dns = settings.dns().get(database.value());
        if (dns == null) {
            rejectUnconfigured(id, database, partition, command, transaction, at);
            return;
        }
        SagaEntry<Cutover> saga = sagas.get(id).orElseGet(() -> new SagaEntry<>(new Cutover.NotStarted(), database,
                partition));
        CutoverMessage.StartCutover start = SagaCodec.start(command, dns.plan(), activeCutoverOf(database, id),
                fallbackDatabases.contains(database.value()), migrations.of(database));
        decide(id, saga, start, metadata, transaction, at);
    }

    /** {@code StartCutover}, and participants' answers and ops commands about a cutover; not its own messages. */
    static boolean actsOn(SpecificRecord message) {
        return message instanceof StartCutover || MessagePublisher.metadataOf(message).getCutoverId() != null
                && SagaCodec.sagaEvent(message).isEmpty() && SagaCodec.inbound(message).isPresent();
    }

    /**
     * A participant's event or an ops command about a cutover; messages the saga does not react to pass by.
     *
     * @param at when the message was read: the time its decision is stamped with, which for an answer held for the
     *           rest of the switch's answers is earlier than the decision
     */
    void onMessage(SpecificRecord message, Metadata metadata, int partition, SagaTransaction transaction, Instant at) {
        if (metadata.getCutoverId() == null || SagaCodec.sagaEvent(message).isPresent()) {
            return;
        }
        Optional<CutoverMessage> input = SagaCodec.inbound(message);
        if (input.isEmpty()) {
            return;
        }
        sagas.requireOwned(partition, MessagePublisher.describe(message));
        CutoverId id = new CutoverId(metadata.getCutoverId());
        SagaEntry<Cutover> saga = sagas.get(id).orElseThrow(() -> new IllegalStateException(
                message.getSchema().getName() + " " + metadata.getMessageId() + " is about cutover " + id.value()
                        + ", which this service never started: it was sent by hand or for a cutover whose log was"
                        + " deleted"));
        decide(id, saga, input.get(), metadata, transaction, at);
    }

    /**
     * The latest lag of a database, for the owned cutovers of it that are waiting on lag: a cutover's preflight, or a
     * fallback's (the reverse replication's reports).
     */
    void onLag(dev.cutover.events.LagReported report) {
        DatabaseName database = new DatabaseName(report.getMetadata().getDatabase());
        CutoverMessage.LagReported lag = SagaCodec.lag(report);
        if (!lag.reverse()) {
            latestLag.put(database, lag);
        }
        for (Map.Entry<CutoverId, SagaEntry<Cutover>> entry : sagas.activeOf(database, Cutover::isActive)) {
            decideUnprompted(entry.getKey(), entry.getValue(), lag);
        }
    }

    /**
     * Whether deciding {@code answers} now, in order, would only record progress: every one a participant's answer
     * about a cutover this instance owns, in the switch (running, before the point of no return), their decisions
     * sending nothing, and each cutover still awaiting an answer after them, with no deadline before {@code heldUntil}.
     * Such answers can wait for the rest ({@link SagaLoop}): nothing the switch waits for follows from them, and no
     * step times out while they wait. Nothing is changed.
     */
    boolean onlyRecordProgress(List<SpecificRecord> answers, Instant now, Instant heldUntil) {
        Map<CutoverId, SagaEntry<Cutover>> after = new HashMap<>();
        for (SpecificRecord message : answers) {
            Metadata metadata = MessagePublisher.metadataOf(message);
            Optional<CutoverMessage> input = metadata.getCutoverId() == null ? Optional.empty()
                    : SagaCodec.inbound(message).filter(CutoverMessage.StepOutcome.class::isInstance);
            if (input.isEmpty()) {
                return false;
            }
            CutoverId id = new CutoverId(metadata.getCutoverId());
            Optional<SagaEntry<Cutover>> saga = sagas.get(id);
            if (saga.isEmpty() || !sagas.owns(saga.get().partition())) {
                return false;
            }
            if (!after.containsKey(id) && CutoverDecider.deadline(saga.get().state(), policyFor(saga.get().database()))
                    .filter(deadline -> deadline.isBefore(heldUntil)).isPresent()) {
                // A deadline of the state as it is would fire while the answer waits: the answer that arrived in time
                // would be judged late.
                return false;
            }
            Cutover state = after.getOrDefault(id, saga.get()).state();
            try {
                Decision decision = CutoverDecider.decide(state, input.get(), now, policyFor(saga.get().database()));
                if (!decision.commands().isEmpty()) {
                    return false;
                }
                for (CutoverEvent event : decision.events()) {
                    state = CutoverDecider.evolve(state, event);
                }
            } catch (RuntimeException e) {
                return false;
            }
            after.put(id, saga.get().with(state));
        }
        return after.values().stream().allMatch(saga -> saga.state() instanceof Cutover.Running running
                && !running.inFlight().isEmpty() && running.inFlight().stream().allMatch(Step::compensable)
                && CutoverDecider.deadline(running, policyFor(saga.database()))
                        .filter(deadline -> deadline.isBefore(heldUntil)).isEmpty());
    }

    /** Fires the deadlines that have passed: a step that timed out is compensated or retried. */
    void tick() {
        Instant now = clock.instant();
        for (Map.Entry<CutoverId, SagaEntry<Cutover>> entry : sagas.due(now, (state, database) ->
                state.isActive() ? CutoverDecider.deadline(state, policyFor(database)) : Optional.empty())) {
            try {
                decideUnprompted(entry.getKey(), entry.getValue(), new CutoverMessage.Tick());
            } catch (RuntimeException e) {
                log.error("cutover {}: the deadline could not be acted on, will try again: {}",
                        entry.getKey().value(), e.getMessage(), e);
            }
        }
    }

    /**
     * A decision no consumed message starts (a deadline, a lag report): through the partition's fenced writer, and
     * only while it is owned. The loop makes it between its transactions, never while one has changed the saga.
     */
    private void decideUnprompted(CutoverId id, SagaEntry<Cutover> saga, CutoverMessage input) {
        if (!sagas.owns(saga.partition())) {
            return;
        }
        try {
            decide(id, saga, input, null, null, clock.instant());
        } catch (PartitionWriters.PartitionLost e) {
            lose(e, "cutover " + id.value());
        }
    }

    /** The partition's writer cannot go on: this instance stops acting on its sagas until the group says who owns it. */
    void lose(PartitionWriters.PartitionLost e, String what) {
        log.warn("{}: {}; this instance stops acting on partition {} until the group says who owns it", what,
                e.getMessage(), e.partition());
        release(Set.of(e.partition()));
        lost.add(e.partition());
    }

    /**
     * Partitions let go of because their writer could not go on (fenced by another instance, or unable to abort),
     * since the last call: the consumer still holds them, so the loop asks the group to settle who owns them.
     */
    Set<Integer> takeLost() {
        Set<Integer> taken = Set.copyOf(lost);
        lost.clear();
        return taken;
    }

    /**
     * @param transaction the loop's open transaction when a consumed message starts the decision; null for a decision
     *                    nothing consumed starts
     * @param now         the decision's time
     */
    private void decide(CutoverId id, SagaEntry<Cutover> saga, CutoverMessage input, Metadata cause,
            SagaTransaction transaction, Instant now) {
        Optional<Written> decided = decision(id, saga, input, cause, now,
                settings.dns().get(saga.database().value()));
        if (decided.isEmpty()) {
            return;
        }
        List<SpecificRecord> out = decided.get().records();
        if (transaction != null) {
            // Acknowledged at the commit, which waits for every send and fails if one did (then the loop puts the sagas
            // back): the rest of the loop's messages are decided meanwhile, instead of after the acknowledgements.
            transaction.send(out);
            uncommitted.putIfAbsent(id, sagas.get(id));
        } else {
            writers.write(saga.partition(), out);
        }
        sagas.put(id, saga.with(decided.get().next()));
        log.info("cutover {}: {} -> {}", id.value(), input.getClass().getSimpleName(),
                out.stream().map(m -> m.getSchema().getName()).toList());
        // Only one that lets the cutover through: a passing spike must not refuse what the next report would allow.
        lagHeardDuringPreflight(saga.state(), decided.get().next(), Optional.ofNullable(latestLag.get(saga.database())))
                .filter(lag -> lag.state().streaming() && lag.lagBytes() <= policyFor(saga.database()).maxLagBytes())
                .ifPresent(lag -> decide(id, sagas.get(id).orElseThrow(), lag, cause, transaction, now));
    }

    /**
     * The lag report the preflight's gate can use at once, when this decision passed the checks: one observed since the
     * preflight began is as good as the next one, which would come up to one lag-monitor interval later while the
     * cutover waits. The gate itself still judges it (fresh enough, streaming, under the threshold).
     */
    static Optional<CutoverMessage.LagReported> lagHeardDuringPreflight(Cutover before, Cutover after,
            Optional<CutoverMessage.LagReported> latest) {
        if (!(after instanceof Cutover.Preflight passed && passed.checksPassed())
                || before instanceof Cutover.Preflight earlier && earlier.checksPassed()) {
            return Optional.empty();
        }
        Instant preflightBegan = passed.progress().stepStarts().get(Step.PREFLIGHT);
        return latest.filter(lag -> preflightBegan != null && !lag.observedAt().isBefore(preflightBegan));
    }

    /** A decision as the messages that record and carry it out, and the saga's state once they are written. */
    private record Written(Cutover next, List<SpecificRecord> records) {
    }

    /** The saga's decision on {@code input}, encoded; empty when it decides nothing. Sends nothing. */
    private Optional<Written> decision(CutoverId id, SagaEntry<Cutover> saga, CutoverMessage input, Metadata cause,
            Instant now, SagaSettings.Dns dns) {
        DatabaseName database = saga.database();
        Decision decision = CutoverDecider.decide(saga.state(), input, now, policyFor(database));
        if (decision.isNone()) {
            return Optional.empty();
        }
        Cutover next = saga.state();
        List<SpecificRecord> out = new ArrayList<>();
        for (CutoverEvent event : decision.events()) {
            next = CutoverDecider.evolve(next, event);
            Instant at = SagaCodec.timeOf(event);
            out.add(SagaCodec.event(event, metadata(id, database, cause, at == null ? now : at)));
        }
        for (SagaCommand command : decision.commands()) {
            out.add(SagaCodec.command(command, metadata(id, database, cause, now), dns.plan(), dns,
                    settings.sequenceMargin()));
        }
        return Optional.of(new Written(next, out));
    }

    /**
     * Plays made-up cutovers through this saga's code in memory ({@link SagaWarmUp}): decided, folded and encoded as
     * a real one is, with nothing sent or kept. Safe beside real decisions: it touches no saga of this runner.
     *
     * @return where each made-up cutover ended
     */
    List<Cutover> warmUp() {
        List<Cutover> ends = new ArrayList<>();
        String operator = settings.operators().getFirst();
        for (SagaWarmUp.MadeUp cutover : SagaWarmUp.scripts(operator, policyFor(SagaWarmUp.DATABASE))) {
            SagaEntry<Cutover> saga = new SagaEntry<>(new Cutover.NotStarted(), SagaWarmUp.DATABASE, 0);
            for (SpecificRecord message : cutover.messages()) {
                Metadata metadata = MessagePublisher.metadataOf(message);
                CutoverMessage input = switch (message) {
                    case StartCutover start -> SagaCodec.start(start, SagaWarmUp.DNS.plan(), Optional.empty(),
                            cutover.prepareFallback(), Optional.empty());
                    case dev.cutover.events.LagReported report -> SagaCodec.lag(report);
                    default -> SagaCodec.inbound(message).filter(inbound -> actsOn(message))
                            .orElseThrow(() -> new IllegalStateException("the warm-up's "
                                    + MessagePublisher.describe(message) + " is not a message the saga acts on"));
                };
                saga = played(saga, input, metadata, metadata.getOccurredAt());
                saga = played(saga, new CutoverMessage.Tick(), null, metadata.getOccurredAt());
            }
            CutoverDecider.deadline(saga.state(), policyFor(saga.database()));
            ends.add(saga.state());
        }
        return ends;
    }

    private SagaEntry<Cutover> played(SagaEntry<Cutover> saga, CutoverMessage input, Metadata cause, Instant now) {
        Optional<Written> decided = decision(new CutoverId(SagaWarmUp.CUTOVER_ID), saga, input, cause, now,
                SagaWarmUp.DNS);
        // Only run for the code they run: what the loop and the projection do with each record written.
        decided.ifPresent(written -> written.records().forEach(record -> {
            actsOn(record);
            SagaCodec.sagaEvent(record);
            MessagePublisher.describe(record);
        }));
        return decided.map(written -> saga.with(written.next())).orElse(saga);
    }

    /** The loop's transaction committed: what it changed is in the log. */
    void pollCommitted() {
        uncommitted.clear();
    }

    /** The loop's transaction did not commit: the sagas it changed are put back as they were before it. */
    void pollRolledBack() {
        if (!uncommitted.isEmpty()) {
            uncommitted.forEach(sagas::restore);
            log.warn("a saga transaction did not commit: {} cutover(s) put back as they were, to be decided again on"
                    + " redelivery", uncommitted.size());
            uncommitted.clear();
        }
    }

    /**
     * Why a cutover of {@code database} cannot start here: it is not configured at all (a typo, or another deployment's
     * database), or it is but has no DNS plan.
     *
     * @param configured the databases under {@code cutover.databases}
     * @param planned    the databases under {@code cutover.saga.dns}
     */
    static String unconfigured(DatabaseName database, Set<String> configured, Set<String> planned) {
        String name = database.value();
        if (!configured.contains(name)) {
            return "database " + name + " is not configured here; the configured databases are "
                    + new TreeSet<>(configured) + " (with a DNS plan: " + new TreeSet<>(planned)
                    + "): check the name, or configure it under cutover.databases." + name + " and cutover.saga.dns."
                    + name;
        }
        return "database " + name + " has no DNS plan: set " + dnsPlanSettings(name);
    }

    /**
     * What to say, as the service starts, of each configured database without a DNS plan: its migration runs, but its
     * cutover would be refused ({@link #unconfigured}) only once the migration is ready.
     */
    static List<String> withoutDnsPlan(Set<String> configured, Set<String> planned) {
        return configured.stream().filter(name -> !planned.contains(name)).sorted()
                .map(name -> "database " + name + " has no DNS plan: its migration runs, but a cutover of it is"
                        + " refused until " + dnsPlanSettings(name) + " are set")
                .toList();
    }

    private static String dnsPlanSettings(String database) {
        return "cutover.saga.dns." + database + ".record, .source-address and .target-address";
    }

    private void rejectUnconfigured(CutoverId id, DatabaseName database, int partition, StartCutover command,
            SagaTransaction transaction, Instant at) {
        String reason = unconfigured(database, databases, settings.dns().keySet());
        CutoverEvent.CutoverRejected rejected = new CutoverEvent.CutoverRejected(id, database,
                new Operator(command.getOperator()), reason, at);
        transaction.send(List.of(CutoverRejected.newBuilder()
                .setMetadata(metadata(id, database, command.getMetadata(), rejected.rejectedAt()))
                .setOperator(command.getOperator())
                .setReason(reason)
                .build()));
        if (sagas.get(id).isEmpty()) {
            uncommitted.putIfAbsent(id, Optional.empty());
            sagas.put(id, new SagaEntry<>(CutoverDecider.evolve(new Cutover.NotStarted(), rejected), database,
                    partition));
        }
    }

    /** Another cutover of the database in flight: on this instance's partitions, else as the log shows elsewhere. */
    private Optional<CutoverId> activeCutoverOf(DatabaseName database, CutoverId except) {
        return sagas.active(database, except, Cutover::isActive)
                .or(() -> projection.activeElsewhere(database, except, sagas.partitions()));
    }

    private CutoverPolicy policyFor(DatabaseName database) {
        SagaSettings.Dns dns = settings.dns().get(database.value());
        return settings.policy(dns == null ? Duration.ofSeconds(1) : dns.ttl());
    }

    private Metadata metadata(CutoverId id, DatabaseName database, Metadata cause, Instant at) {
        return SagaMetadata.of(publisher, cause, database.value(), id.value(), null, at);
    }
}
