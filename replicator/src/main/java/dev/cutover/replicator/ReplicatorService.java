package dev.cutover.replicator;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;

import dev.cutover.events.AwaitReverseCatchUp;
import dev.cutover.events.CopyData;
import dev.cutover.events.DataMismatch;
import dev.cutover.events.DataVerified;
import dev.cutover.events.FallbackPrepared;
import dev.cutover.events.FallbackRemoved;
import dev.cutover.events.FullLoadCompleted;
import dev.cutover.events.FullLoadResumed;
import dev.cutover.events.Metadata;
import dev.cutover.events.PrepareFallback;
import dev.cutover.events.RemoveFallback;
import dev.cutover.events.ReplicationStopped;
import dev.cutover.events.ReportedTable;
import dev.cutover.events.ReplicationStreaming;
import dev.cutover.events.ReverseCaughtUp;
import dev.cutover.events.ReverseReplicationStarted;
import dev.cutover.events.StartReverseReplication;
import dev.cutover.events.StartStreaming;
import dev.cutover.events.StopReplication;
import dev.cutover.events.StopReverseReplication;
import dev.cutover.events.TableCopied;
import dev.cutover.events.VerificationMode;
import dev.cutover.events.VerifyData;
import dev.cutover.platform.MessagePublisher;
import dev.cutover.platform.StepFailure;
import dev.cutover.platform.database.DatabasePair;
import dev.cutover.platform.database.DatabasesSettings;
import dev.cutover.platform.database.Replication;
import dev.cutover.replicator.copy.FullLoad;
import dev.cutover.replicator.copy.FullLoadResult;
import dev.cutover.replicator.copy.LoadAbort;
import dev.cutover.replicator.copy.LoadOptions;
import dev.cutover.replicator.copy.LoadResume;
import dev.cutover.replicator.copy.ResumedLoad;
import dev.cutover.replicator.copy.RunningLoads;
import dev.cutover.replicator.fallback.ReverseOutcome;
import dev.cutover.replicator.fallback.ReverseReplication;
import dev.cutover.replicator.postgres.Conninfo;
import dev.cutover.replicator.postgres.Lsn;
import dev.cutover.replicator.postgres.ReplicationNames;
import dev.cutover.replicator.postgres.TableName;
import dev.cutover.replicator.streaming.Streaming;
import dev.cutover.replicator.streaming.StreamingStarted;
import dev.cutover.replicator.streaming.StreamingStopped;
import dev.cutover.replicator.verify.DataVerifier;
import dev.cutover.replicator.verify.Verification;
import dev.cutover.replicator.verify.VerificationScope;
import dev.cutover.replicator.verify.VerifyMode;

/** Carries out the replicator's commands and answers each with its event. */
@Service
class ReplicatorService {

    private static final Logger log = LoggerFactory.getLogger(ReplicatorService.class);

    private final DatabasesSettings databases;
    private final ReplicatorSettings settings;
    private final MessagePublisher publisher;
    private final HandledCommands handled = new HandledCommands(10_000);

    private final RunningLoads loads;
    private final SharedLoads shared;

    ReplicatorService(DatabasesSettings databases, ReplicatorSettings settings, MessagePublisher publisher,
            RunningLoads loads, SharedLoads shared) {
        this.databases = databases;
        this.settings = settings;
        this.publisher = publisher;
        this.loads = loads;
        this.shared = shared;
    }

    void copyData(CopyData command) {
        Metadata cause = command.getMetadata();
        if (repeated(cause)) {
            return;
        }
        DatabasePair pair = pair(cause);
        ReplicationNames names = names(databases, cause);
        Map<String, Long> copied = command.getCopiedTables().stream()
                .collect(Collectors.toMap(ReportedTable::getTable, ReportedTable::getRows, (first, second) -> second));
        Optional<ResumedLoad> resumed = LoadResume.resume(pair, names, copied);
        if (resumed.isPresent()) {
            publishResumed(cause, resumed.get());
            handled.add(cause.getMessageId());
            return;
        }
        LoadOptions options = command.getParallelism() > 0
                ? settings.loadOptions().withWorkers(command.getParallelism()) : settings.loadOptions();
        String migration = cause.getMigrationId() != null ? cause.getMigrationId() : cause.getMessageId().toString();
        LoadAbort abort = loads.begin(migration);
        FullLoadResult result;
        try {
            result = new FullLoad(options, shared.forLoad(cause)).run(pair, names, table -> publisher.publish(
                    TableCopied.newBuilder()
                            .setMetadata(publisher.answering(cause))
                            .setTable(table.table())
                            .setRows(table.rows())
                            .setBytes(table.bytes())
                            .setDurationMs(table.took().toMillis())
                            .build()), abort);
        } finally {
            loads.end(migration, abort);
        }
        publisher.publish(FullLoadCompleted.newBuilder()
                .setMetadata(publisher.answering(cause))
                .setSlot(result.slot())
                .setTables(result.tables())
                .setRows(result.rows())
                .setBytes(result.bytes())
                .setDurationMs(result.took().toMillis())
                .setMegabytesPerSecond(result.megabytesPerSecond())
                .build());
        handled.add(cause.getMessageId());
    }

    private void publishResumed(Metadata cause, ResumedLoad resumed) {
        publisher.publish(FullLoadResumed.newBuilder()
                .setMetadata(publisher.answering(cause))
                .setSlot(resumed.slot())
                .setConsistentLsn(resumed.consistentPoint().toString())
                .setKeptTables(resumed.kept().entrySet().stream()
                        .map(table -> ReportedTable.newBuilder()
                                .setTable(table.getKey().toString())
                                .setRows(table.getValue())
                                .build())
                        .toList())
                .setWithheldTables(resumed.withheld().stream().map(TableName::toString).toList())
                .build());
    }

    void startStreaming(StartStreaming command) {
        Metadata cause = command.getMetadata();
        if (repeated(cause)) {
            return;
        }
        StreamingStarted started = new Streaming(settings.slotReleasePatience(), settings.tableSyncTimeout())
                .start(pair(cause), names(databases, cause), settings.verifyMode(asked(command.getVerify())));
        publisher.publish(ReplicationStreaming.newBuilder()
                .setMetadata(publisher.answering(cause))
                .setSlot(started.slot())
                .setSubscription(started.subscription())
                .setStartLsn(started.startLsn().toString())
                .build());
        handled.add(cause.getMessageId());
    }

    void stopReplication(StopReplication command) {
        Metadata cause = command.getMetadata();
        if (repeated(cause)) {
            return;
        }
        StreamingStopped stopped = new Streaming(settings.slotReleasePatience())
                .stop(pair(cause), names(databases, cause), command.getDropSlot());
        publisher.publish(ReplicationStopped.newBuilder()
                .setMetadata(publisher.answering(cause))
                .setSlot(stopped.names().slot())
                .setSubscription(stopped.names().subscription())
                .setPublication(stopped.names().publication())
                .setSlotDropped(stopped.slotDropped())
                .setSubscriptionOutcome(stopped.subscription().name())
                .setSlotOutcome(stopped.slot().name())
                .setPublicationOutcome(stopped.publication().name())
                .setAdopted(replication(databases, cause).adopted())
                .build());
        handled.add(cause.getMessageId());
    }

    /** Reverse replication's publication and slot on the target, made while it is locked: the cutover's preflight. */
    void prepareFallback(PrepareFallback command) {
        Metadata cause = command.getMetadata();
        if (repeated(cause)) {
            return;
        }
        DatabasePair pair = pair(cause);
        if (!pair.fallback().prepare()) {
            throw new StepFailure("cutover.databases." + cause.getDatabase() + ".fallback.prepare is off for the"
                    + " replicator, but the cutover asked for a fallback: give every service the same setting", false);
        }
        ReverseOutcome.Prepared prepared = reverse().prepare(pair, Replication.reverse(cause.getDatabase()),
                targetConninfo(pair));
        publisher.publish(FallbackPrepared.newBuilder()
                .setMetadata(publisher.answering(cause))
                .setPublication(prepared.names().publication())
                .setSlot(prepared.names().slot())
                .setSlotLsn(prepared.slotPosition().toString())
                .setCreated(prepared.created())
                .build());
        handled.add(cause.getMessageId());
    }

    /** Once forward replication is stopped: the source follows the target from where the target opened. */
    void startReverseReplication(StartReverseReplication command) {
        Metadata cause = command.getMetadata();
        if (repeated(cause)) {
            return;
        }
        DatabasePair pair = pair(cause);
        Lsn from;
        try {
            from = Lsn.parse(command.getFromLsn());
        } catch (IllegalArgumentException e) {
            throw new StepFailure("StartReverseReplication carries no LSN the target opened at: " + e.getMessage(), false, e);
        }
        ReverseOutcome.Started started = reverse().start(pair, Replication.reverse(cause.getDatabase()),
                replication(databases, cause), from, targetConninfo(pair));
        publisher.publish(ReverseReplicationStarted.newBuilder()
                .setMetadata(publisher.answering(cause))
                .setSubscription(started.names().subscription())
                .setSlot(started.names().slot())
                .setPublication(started.names().publication())
                .setFromLsn(started.from().toString())
                .setAlreadyRunning(started.alreadyRunning())
                .build());
        handled.add(cause.getMessageId());
    }

    /** The cutover went back before the target opened: what its preflight made on the target goes. */
    void removeFallback(RemoveFallback command) {
        Metadata cause = command.getMetadata();
        if (repeated(cause)) {
            return;
        }
        publishRemoved(cause, reverse().removeUnstarted(pair(cause), Replication.reverse(cause.getDatabase())));
        handled.add(cause.getMessageId());
    }

    /** A fallback fenced the target: answers once the source has applied everything the target wrote. */
    void awaitReverseCatchUp(AwaitReverseCatchUp command) {
        Metadata cause = command.getMetadata();
        if (repeated(cause)) {
            return;
        }
        ReverseOutcome.CaughtUp caughtUp = reverse().awaitCatchUp(pair(cause), Replication.reverse(cause.getDatabase()),
                Duration.ofMillis(command.getTimeoutMs()));
        publisher.publish(ReverseCaughtUp.newBuilder()
                .setMetadata(publisher.answering(cause))
                .setTargetLsn(caughtUp.targetPosition().toString())
                .setConfirmedLsn(caughtUp.confirmed().toString())
                .build());
        handled.add(cause.getMessageId());
    }

    /** A fallback opened the source: nothing flows back any more, and the reverse slot would keep the target's WAL. */
    void stopReverseReplication(StopReverseReplication command) {
        Metadata cause = command.getMetadata();
        if (repeated(cause)) {
            return;
        }
        publishRemoved(cause, reverse().remove(pair(cause), Replication.reverse(cause.getDatabase())));
        handled.add(cause.getMessageId());
    }

    private void publishRemoved(Metadata cause, ReverseOutcome.Removed removed) {
        publisher.publish(FallbackRemoved.newBuilder()
                .setMetadata(publisher.answering(cause))
                .setSubscription(removed.names().subscription())
                .setSubscriptionOutcome(removed.subscription().name())
                .setSlot(removed.names().slot())
                .setSlotOutcome(removed.slot().name())
                .setPublication(removed.names().publication())
                .setPublicationOutcome(removed.publication().name())
                .build());
    }

    /** How the source's server logs in to the target: as configured, or with the target's own login. */
    private static String targetConninfo(DatabasePair pair) {
        return pair.fallback().targetConninfo() != null ? pair.fallback().targetConninfo() : Conninfo.of(pair.target());
    }

    private ReverseReplication reverse() {
        return new ReverseReplication(settings.slotReleasePatience());
    }

    /** The verification a command names; null where it does not say (or names one this version does not know). */
    private static VerifyMode asked(VerificationMode mode) {
        return switch (mode) {
            case FULL -> VerifyMode.FULL;
            case SAMPLED -> VerifyMode.SAMPLED;
            case UNKNOWN -> null;
            case null -> null;
        };
    }

    void verifyData(VerifyData command) {
        Metadata cause = command.getMetadata();
        if (repeated(cause)) {
            return;
        }
        VerificationScope scope = settings.verificationScope(asked(command.getMode()),
                command.getSampleSeed() != null ? command.getSampleSeed()
                // The same command, given again, picks the same ranges.
                : cause.getMessageId().getLeastSignificantBits());
        Verification verification = new DataVerifier(settings.verifyRowsPerRange(), settings.workers())
                .verify(pair(cause), scope);
        List<DataMismatch> mismatches = verification.mismatches().stream()
                .map(mismatch -> DataMismatch.newBuilder()
                        .setTable(mismatch.table())
                        .setRange(mismatch.range().orElse(null))
                        .setSourceRows(mismatch.sourceRows())
                        .setTargetRows(mismatch.targetRows())
                        .setDetail(mismatch.detail())
                        .build())
                .toList();
        publisher.publish(DataVerified.newBuilder()
                .setMetadata(publisher.answering(cause))
                .setTables(verification.tables())
                .setRows(verification.rows())
                .setMismatches(mismatches)
                .setMode(switch (scope) {
                    case VerificationScope.Full full -> VerificationMode.FULL;
                    case VerificationScope.Sampled sampled -> VerificationMode.SAMPLED;
                })
                .setRangesChecked(verification.rangesChecked())
                .setRangesTotal(verification.rangesTotal())
                .setChangedRowsChecked(verification.changedRows())
                .setSampleSeed(scope instanceof VerificationScope.Sampled sampled ? sampled.seed() : null)
                .setSampleFraction(scope instanceof VerificationScope.Sampled sampled ? sampled.fraction() : null)
                .build());
        handled.add(cause.getMessageId());
    }

    private boolean repeated(Metadata cause) {
        if (handled.contains(cause.getMessageId())) {
            log.info("command {} was carried out already; ignoring the repeat", cause.getMessageId());
            return true;
        }
        return false;
    }

    private DatabasePair pair(Metadata cause) {
        return pair(databases, cause);
    }

    /** The configured pair a command names; an unknown name fails the command with what to configure. */
    static DatabasePair pair(DatabasesSettings databases, Metadata cause) {
        try {
            return databases.get(cause.getDatabase());
        } catch (IllegalArgumentException e) {
            throw new StepFailure(e.getMessage(), false, e);
        }
    }

    /** The configured replication: the migration's own objects, or the ones a team created and cutover adopted. */
    static Replication replication(DatabasesSettings databases, Metadata cause) {
        try {
            return databases.replication(cause.getDatabase());
        } catch (IllegalArgumentException e) {
            throw new StepFailure(e.getMessage(), false, e);
        }
    }

    static ReplicationNames names(DatabasesSettings databases, Metadata cause) {
        return ReplicationNames.of(replication(databases, cause));
    }
}
