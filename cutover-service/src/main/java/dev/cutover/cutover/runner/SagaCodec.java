package dev.cutover.cutover.runner;

import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

import org.apache.avro.specific.SpecificRecord;

import dev.cutover.cutover.saga.CompensationPart;
import dev.cutover.cutover.saga.CutoverEvent;
import dev.cutover.cutover.saga.CutoverId;
import dev.cutover.cutover.saga.CutoverMessage;
import dev.cutover.cutover.saga.DatabaseName;
import dev.cutover.cutover.saga.DnsPlan;
import dev.cutover.cutover.saga.FallbackRollbackPart;
import dev.cutover.cutover.saga.FallbackStep;
import dev.cutover.cutover.saga.Lsn;
import dev.cutover.cutover.saga.Operator;
import dev.cutover.cutover.saga.ReplicationState;
import dev.cutover.cutover.saga.SagaCommand;
import dev.cutover.cutover.saga.Step;
import dev.cutover.cutover.saga.TidyUpTask;
import dev.cutover.events.FindingSeverity;
import dev.cutover.events.Metadata;
import dev.cutover.events.PreflightFinding;

/**
 * Translates between the saga's domain records and the Avro messages on Kafka, in both directions for
 * the saga's own events (they are written, and read back to rebuild a saga after a restart).
 */
final class SagaCodec {

    /** Which step's command each participant command answers, by the command's Avro name. */
    private static final Map<String, Step> STEP_OF_COMMAND = Map.ofEntries(
            Map.entry("CheckPreflight", Step.PREFLIGHT),
            Map.entry("PrepareFallback", Step.PREFLIGHT),
            Map.entry("StopTraffic", Step.STOP_TRAFFIC),
            Map.entry("WriteCanary", Step.WRITE_CANARY),
            Map.entry("AwaitCatchUp", Step.AWAIT_CATCH_UP),
            Map.entry("SyncSequences", Step.SYNC_SEQUENCES),
            Map.entry("OpenTarget", Step.OPEN_TARGET),
            Map.entry("FlipDns", Step.FLIP_DNS),
            Map.entry("AwaitTraffic", Step.AWAIT_TRAFFIC),
            Map.entry("StopReplication", Step.TIDY_UP),
            Map.entry("RestoreDnsTtl", Step.TIDY_UP),
            Map.entry("StartReverseReplication", Step.TIDY_UP),
            Map.entry("RemoveFallback", Step.TIDY_UP));

    /** The fallback step each command only a fallback sends belongs to, by the command's Avro name. */
    private static final Map<String, FallbackStep> FALLBACK_STEP_OF_COMMAND = Map.of(
            "LockTarget", FallbackStep.FENCE_TARGET,
            "AwaitReverseCatchUp", FallbackStep.AWAIT_CATCH_UP,
            "RestoreSource", FallbackStep.OPEN_SOURCE,
            "StopReverseReplication", FallbackStep.STOP_REVERSE_REPLICATION);

    private SagaCodec() {
    }

    // ---- inbound: what the saga reacts to ----

    /** The domain message for a participant event about a cutover, or empty when the saga does not react to it. */
    static Optional<CutoverMessage> inbound(SpecificRecord message) {
        return Optional.ofNullable(switch (message) {
            case dev.cutover.events.AbortCutover m -> new CutoverMessage.AbortCutover(
                    new Operator(m.getOperator()), orNotGiven(m.getReason()));
            case dev.cutover.events.PreflightReported m -> new CutoverMessage.PreflightReported(
                    m.getFindings().stream().filter(f -> f.getSeverity() == FindingSeverity.BLOCKER)
                            .map(SagaCodec::describe).toList(),
                    m.getFindings().isEmpty() ? "no findings"
                            : String.join("; ", m.getFindings().stream().map(SagaCodec::describe).toList()));
            case dev.cutover.events.TrafficStopped m -> new CutoverMessage.TrafficStopped(
                    Lsn.parse(m.getFenceLsn()), m.getRoles(), m.getTerminatedSessions());
            case dev.cutover.events.CanaryWritten m -> new CutoverMessage.CanaryWritten(m.getToken(), Lsn.parse(m.getLsn()));
            case dev.cutover.events.CanaryObserved m -> new CutoverMessage.CanaryObserved(
                    m.getToken(), Duration.ofMillis(m.getLatencyMs()), Lsn.parse(m.getTargetLsn()));
            case dev.cutover.events.SequencesSynced m -> new CutoverMessage.SequencesSynced(m.getSequences());
            case dev.cutover.events.TargetOpened m -> new CutoverMessage.TargetOpened(
                    Optional.ofNullable(m.getWalPosition()).map(Lsn::parse));
            case dev.cutover.events.FallbackPrepared m -> new CutoverMessage.FallbackPrepared();
            case dev.cutover.events.ReverseReplicationStarted m -> new CutoverMessage.ReverseReplicationStarted();
            case dev.cutover.events.FallbackRemoved m -> new CutoverMessage.FallbackRemoved();
            case dev.cutover.events.DnsFlipped m -> new CutoverMessage.DnsFlipped(m.getPrevious(), m.getCurrent());
            case dev.cutover.events.TrafficResumed m -> new CutoverMessage.TrafficResumed(m.getFirstSessionAt());
            case dev.cutover.events.ReplicationStopped m -> new CutoverMessage.ReplicationStopped();
            case dev.cutover.events.DnsTtlChanged m -> new CutoverMessage.DnsTtlChanged();
            case dev.cutover.events.SourceRestored m -> new CutoverMessage.SourceRestored();
            case dev.cutover.events.DnsReverted m -> new CutoverMessage.DnsReverted();
            case dev.cutover.events.StepFailed m -> STEP_OF_COMMAND.containsKey(m.getStep())
                    ? new CutoverMessage.StepFailed(STEP_OF_COMMAND.get(m.getStep()), orNotGiven(m.getReason()),
                            m.getRetryable())
                    : FALLBACK_STEP_OF_COMMAND.containsKey(m.getStep())
                    ? new CutoverMessage.FallbackStepFailed(FALLBACK_STEP_OF_COMMAND.get(m.getStep()),
                            orNotGiven(m.getReason()), m.getRetryable())
                    : null;
            case dev.cutover.events.StartFallback m -> new CutoverMessage.StartFallback(new Operator(m.getOperator()),
                    orNotGiven(m.getReason()));
            case dev.cutover.events.TargetLocked m -> new CutoverMessage.TargetLocked();
            case dev.cutover.events.ReverseCaughtUp m -> new CutoverMessage.ReverseCaughtUp(Lsn.parse(m.getTargetLsn()),
                    Lsn.parse(m.getConfirmedLsn()));
            default -> null;
        });
    }

    static CutoverMessage.StartCutover start(dev.cutover.events.StartCutover command, DnsPlan dns,
            Optional<CutoverId> active, boolean prepareFallback, Optional<String> migrationInFlight) {
        Metadata metadata = command.getMetadata();
        return new CutoverMessage.StartCutover(new CutoverId(metadata.getCutoverId()),
                new DatabaseName(metadata.getDatabase()), new Operator(command.getOperator()), command.getDryRun(),
                orNotGiven(command.getReason()), dns, active, prepareFallback, migrationInFlight);
    }

    static CutoverMessage.LagReported lag(dev.cutover.events.LagReported report) {
        ReplicationState state = new ReplicationState(report.getState());
        long lagBytes = report.getSlotLagBytes() == null ? Long.MAX_VALUE : Math.max(0, report.getSlotLagBytes());
        Duration heartbeat = Duration.ofMillis(report.getHeartbeatLagMs() == null ? 0 : Math.max(0, report.getHeartbeatLagMs()));
        return new CutoverMessage.LagReported(lagBytes, heartbeat, state, report.getMetadata().getOccurredAt(),
                "REVERSE".equals(report.getDirection()));
    }

    // ---- outbound: the saga's commands ----

    static SpecificRecord command(SagaCommand command, Metadata metadata, DnsPlan dns, SagaSettings.Dns dnsSettings,
            long sequenceMargin) {
        return switch (command) {
            case SagaCommand.CheckPreflight c -> dev.cutover.events.CheckPreflight.newBuilder()
                    .setMetadata(metadata).setScope("CUTOVER").build();
            case SagaCommand.StopTraffic c -> dev.cutover.events.StopTraffic.newBuilder()
                    .setMetadata(metadata).setTimeoutMs(c.timeout().toMillis()).build();
            case SagaCommand.WriteCanary c -> dev.cutover.events.WriteCanary.newBuilder().setMetadata(metadata)
                    .setToken(c.token()).build();
            case SagaCommand.AwaitCatchUp c -> dev.cutover.events.AwaitCatchUp.newBuilder()
                    .setMetadata(metadata).setCanaryToken(c.token()).setCanaryLsn(c.lsn().map(Lsn::toString).orElse(null))
                    .setTimeoutMs(c.timeout().toMillis()).build();
            case SagaCommand.SyncSequences c -> dev.cutover.events.SyncSequences.newBuilder()
                    .setMetadata(metadata).setMargin(sequenceMargin).build();
            case SagaCommand.SyncSequencesToSource c -> dev.cutover.events.SyncSequences.newBuilder()
                    .setMetadata(metadata).setMargin(sequenceMargin).setTowardsSource(true).build();
            case SagaCommand.LockTarget c -> dev.cutover.events.LockTarget.newBuilder().setMetadata(metadata).build();
            case SagaCommand.AwaitReverseCatchUp c -> dev.cutover.events.AwaitReverseCatchUp.newBuilder()
                    .setMetadata(metadata).setTimeoutMs(c.timeout().toMillis()).build();
            case SagaCommand.StopReverseReplication c -> dev.cutover.events.StopReverseReplication.newBuilder()
                    .setMetadata(metadata).build();
            case SagaCommand.RevertDnsToTarget c -> dev.cutover.events.RevertDns.newBuilder()
                    .setMetadata(metadata).setRecord(c.recordName()).setExpectedTarget(dns.sourceAddress())
                    .setNewTarget(dns.targetAddress()).setTtlSeconds((int) dnsSettings.ttl().toSeconds()).build();
            case SagaCommand.OpenTarget c -> dev.cutover.events.OpenTarget.newBuilder().setMetadata(metadata).build();
            case SagaCommand.FlipDns c -> dev.cutover.events.FlipDns.newBuilder()
                    .setMetadata(metadata).setRecord(c.recordName()).setExpectedTarget(c.expected())
                    .setNewTarget(c.newAddress()).setTtlSeconds((int) c.ttl().toSeconds()).build();
            case SagaCommand.RevertDns c -> dev.cutover.events.RevertDns.newBuilder()
                    .setMetadata(metadata).setRecord(c.recordName()).setExpectedTarget(dns.targetAddress())
                    .setNewTarget(c.sourceAddress()).setTtlSeconds((int) dnsSettings.ttl().toSeconds()).build();
            case SagaCommand.RestoreSource c -> dev.cutover.events.RestoreSource.newBuilder()
                    .setMetadata(metadata).setReason(c.reason()).build();
            case SagaCommand.StopReplication c -> dev.cutover.events.StopReplication.newBuilder()
                    .setMetadata(metadata).setDropSlot(true).build();
            case SagaCommand.PrepareFallback c -> dev.cutover.events.PrepareFallback.newBuilder()
                    .setMetadata(metadata).build();
            case SagaCommand.StartReverseReplication c -> dev.cutover.events.StartReverseReplication.newBuilder()
                    .setMetadata(metadata).setFromLsn(c.from().toString()).build();
            case SagaCommand.RemoveFallback c -> dev.cutover.events.RemoveFallback.newBuilder()
                    .setMetadata(metadata).build();
            case SagaCommand.RestoreDnsTtl c -> dev.cutover.events.RestoreDnsTtl.newBuilder()
                    .setMetadata(metadata).setRecord(c.recordName())
                    .setTtlSeconds((int) dnsSettings.restoreTtl().toSeconds()).build();
        };
    }

    // ---- the saga's own events, both ways ----

    /**
     * What a cutover's dry run did: nothing to the traffic, but its preflight leaves its preparations in place, since a
     * real cutover's preflight would make them again.
     */
    static final String DRY_RUN_DETAIL = "dry run: traffic, DNS and the roles' logins untouched; the preflight's"
            + " preparations stay (the cutover schema's tables on both sides and in the replication, the application"
            + " roles' password on the locked target, where it could be read); predicted downtime = step overhead +"
            + " replication lag + DNS TTL";

    static SpecificRecord event(CutoverEvent event, Metadata metadata) {
        return switch (event) {
            case CutoverEvent.CutoverStarted e -> dev.cutover.events.CutoverStarted.newBuilder()
                    .setMetadata(metadata).setOperator(e.operator().value()).setDryRun(e.dryRun())
                    .setReason(e.reason()).setDnsRecord(e.dns().recordName())
                    .setSourceAddress(e.dns().sourceAddress()).setTargetAddress(e.dns().targetAddress())
                    .setPrepareFallback(e.prepareFallback()).build();
            case CutoverEvent.CutoverRejected e -> dev.cutover.events.CutoverRejected.newBuilder()
                    .setMetadata(metadata).setOperator(e.operator().value()).setReason(e.reason()).build();
            case CutoverEvent.PreflightPassed e -> dev.cutover.events.PreflightPassed.newBuilder()
                    .setMetadata(metadata).setFindings(e.findings()).build();
            case CutoverEvent.CutoverPlanned e -> dev.cutover.events.CutoverPlanned.newBuilder()
                    .setMetadata(metadata).setSteps(e.steps().stream().map(Step::name).toList())
                    .setPredictedDowntimeMs(e.predictedDowntime().toMillis())
                    .setDetail(DRY_RUN_DETAIL)
                    .build();
            case CutoverEvent.StepStarted e -> dev.cutover.events.StepStarted.newBuilder()
                    .setMetadata(metadata).setStep(e.step().name()).build();
            case CutoverEvent.StepFinished e -> dev.cutover.events.StepFinished.newBuilder()
                    .setMetadata(metadata).setStep(e.step().name()).build();
            case CutoverEvent.CanaryRecorded e -> dev.cutover.events.CanaryRecorded.newBuilder()
                    .setMetadata(metadata).setToken(e.token()).setLsn(e.lsn().toString()).build();
            case CutoverEvent.CompensationStarted e -> dev.cutover.events.CompensationStarted.newBuilder()
                    .setMetadata(metadata).setFailedStep(e.failedStep().name()).setReason(e.reason()).build();
            case CutoverEvent.CompensationRetried e -> dev.cutover.events.CompensationRetried.newBuilder()
                    .setMetadata(metadata).setAwaited(e.awaited().stream().map(Enum::name).sorted().toList()).build();
            case CutoverEvent.CompensationPartDone e -> dev.cutover.events.CompensationPartDone.newBuilder()
                    .setMetadata(metadata).setPart(e.part().name()).build();
            case CutoverEvent.CutoverRolledBack e -> dev.cutover.events.CutoverRolledBack.newBuilder()
                    .setMetadata(metadata).setFailedStep(e.failedStep().name()).setReason(e.reason())
                    .setDowntimeMs(e.downtime().toMillis()).build();
            case CutoverEvent.CutoverCompleted e -> {
                Map<String, Long> durations = new LinkedHashMap<>();
                e.stepDurations().forEach((step, duration) -> durations.put(step.name(), duration.toMillis()));
                yield dev.cutover.events.CutoverCompleted.newBuilder()
                        .setMetadata(metadata).setDowntimeMs(e.downtime().toMillis()).setStepDurationsMs(durations)
                        .build();
            }
            case CutoverEvent.FallbackPointRecorded e -> dev.cutover.events.FallbackPointRecorded.newBuilder()
                    .setMetadata(metadata).setLsn(e.lsn().toString()).build();
            case CutoverEvent.TidyUpTaskDone e -> dev.cutover.events.TidyUpTaskDone.newBuilder()
                    .setMetadata(metadata).setTask(e.task().name()).build();
            case CutoverEvent.StepRetried e -> dev.cutover.events.StepRetried.newBuilder()
                    .setMetadata(metadata).setStep(e.step().name()).setReason(e.reason()).build();
            case CutoverEvent.StepFailureNoted e -> dev.cutover.events.StepFailureNoted.newBuilder()
                    .setMetadata(metadata).setStep(e.step().name()).setReason(e.reason()).setRetryable(e.retryable())
                    .build();
            case CutoverEvent.AbortRefused e -> dev.cutover.events.AbortRefused.newBuilder()
                    .setMetadata(metadata).setOperator(e.operator().value()).setReason(e.reason()).build();
            case CutoverEvent.FallbackStarted e -> dev.cutover.events.FallbackStarted.newBuilder()
                    .setMetadata(metadata).setOperator(e.operator().value()).setReason(e.reason()).build();
            case CutoverEvent.FallbackStepStarted e -> dev.cutover.events.FallbackStepStarted.newBuilder()
                    .setMetadata(metadata).setStep(e.step().name()).build();
            case CutoverEvent.FallbackStepFinished e -> dev.cutover.events.FallbackStepFinished.newBuilder()
                    .setMetadata(metadata).setStep(e.step().name()).build();
            case CutoverEvent.FallbackRollingBack e -> dev.cutover.events.FallbackRollingBack.newBuilder()
                    .setMetadata(metadata).setFailedStep(e.failedStep().name()).setReason(e.reason()).build();
            case CutoverEvent.FallbackRollbackPartDone e -> dev.cutover.events.FallbackRollbackPartDone.newBuilder()
                    .setMetadata(metadata).setPart(e.part().name()).build();
            case CutoverEvent.FallbackRolledBack e -> dev.cutover.events.FallbackRolledBack.newBuilder()
                    .setMetadata(metadata).setFailedStep(e.failedStep().name()).setReason(e.reason())
                    .setDowntimeMs(e.downtime().toMillis()).build();
            case CutoverEvent.FallbackCompleted e -> dev.cutover.events.FallbackCompleted.newBuilder()
                    .setMetadata(metadata).setDowntimeMs(e.downtime().toMillis()).build();
            case CutoverEvent.FallbackRejected e -> dev.cutover.events.FallbackRejected.newBuilder()
                    .setMetadata(metadata).setOperator(e.operator().value()).setReason(e.reason())
                    .setByPreflight(e.byPreflight()).build();
        };
    }

    /** The saga event an Avro message records, or empty for everything the saga did not write itself. */
    static Optional<CutoverEvent> sagaEvent(SpecificRecord message) {
        return Optional.ofNullable(switch (message) {
            case dev.cutover.events.CutoverStarted m -> new CutoverEvent.CutoverStarted(cutoverId(m.getMetadata()),
                    new DatabaseName(m.getMetadata().getDatabase()), new Operator(m.getOperator()), m.getDryRun(),
                    orNotGiven(m.getReason()), new DnsPlan(m.getDnsRecord(), m.getSourceAddress(), m.getTargetAddress()),
                    at(m.getMetadata()), m.getPrepareFallback());
            case dev.cutover.events.CutoverRejected m -> new CutoverEvent.CutoverRejected(cutoverId(m.getMetadata()),
                    new DatabaseName(m.getMetadata().getDatabase()), new Operator(orNotGiven(m.getOperator())),
                    m.getReason(), at(m.getMetadata()));
            case dev.cutover.events.PreflightPassed m -> new CutoverEvent.PreflightPassed(m.getFindings(), at(m.getMetadata()));
            case dev.cutover.events.CutoverPlanned m -> new CutoverEvent.CutoverPlanned(
                    m.getSteps().stream().map(Step::valueOf).toList(), Duration.ofMillis(m.getPredictedDowntimeMs()),
                    at(m.getMetadata()));
            case dev.cutover.events.StepStarted m -> new CutoverEvent.StepStarted(Step.valueOf(m.getStep()), at(m.getMetadata()));
            case dev.cutover.events.StepFinished m -> new CutoverEvent.StepFinished(Step.valueOf(m.getStep()), at(m.getMetadata()));
            case dev.cutover.events.CanaryRecorded m -> new CutoverEvent.CanaryRecorded(m.getToken(), Lsn.parse(m.getLsn()));
            case dev.cutover.events.CompensationStarted m -> new CutoverEvent.CompensationStarted(
                    Step.valueOf(m.getFailedStep()), m.getReason(), at(m.getMetadata()));
            case dev.cutover.events.CompensationRetried m -> new CutoverEvent.CompensationRetried(
                    m.getAwaited().stream().map(part -> CompensationPart.valueOf(part.toString()))
                            .collect(Collectors.toSet()), at(m.getMetadata()));
            case dev.cutover.events.CompensationPartDone m -> new CutoverEvent.CompensationPartDone(
                    CompensationPart.valueOf(m.getPart()), at(m.getMetadata()));
            case dev.cutover.events.CutoverRolledBack m -> new CutoverEvent.CutoverRolledBack(
                    Step.valueOf(m.getFailedStep()), m.getReason(), Duration.ofMillis(m.getDowntimeMs()),
                    at(m.getMetadata()));
            case dev.cutover.events.CutoverCompleted m -> {
                Map<Step, Duration> durations = new EnumMap<>(Step.class);
                m.getStepDurationsMs().forEach((step, ms) -> durations.put(Step.valueOf(step), Duration.ofMillis(ms)));
                yield new CutoverEvent.CutoverCompleted(Duration.ofMillis(m.getDowntimeMs()), durations, at(m.getMetadata()));
            }
            case dev.cutover.events.FallbackPointRecorded m -> new CutoverEvent.FallbackPointRecorded(Lsn.parse(m.getLsn()));
            case dev.cutover.events.TidyUpTaskDone m -> new CutoverEvent.TidyUpTaskDone(
                    TidyUpTask.valueOf(m.getTask()), at(m.getMetadata()));
            case dev.cutover.events.StepRetried m -> new CutoverEvent.StepRetried(
                    Step.valueOf(m.getStep()), m.getReason(), at(m.getMetadata()));
            case dev.cutover.events.StepFailureNoted m -> new CutoverEvent.StepFailureNoted(
                    Step.valueOf(m.getStep()), m.getReason(), m.getRetryable(), at(m.getMetadata()));
            case dev.cutover.events.AbortRefused m -> new CutoverEvent.AbortRefused(
                    new Operator(m.getOperator()), m.getReason(), at(m.getMetadata()));
            case dev.cutover.events.FallbackStarted m -> new CutoverEvent.FallbackStarted(
                    new Operator(m.getOperator()), m.getReason(), at(m.getMetadata()));
            case dev.cutover.events.FallbackStepStarted m -> new CutoverEvent.FallbackStepStarted(
                    FallbackStep.valueOf(m.getStep()), at(m.getMetadata()));
            case dev.cutover.events.FallbackStepFinished m -> new CutoverEvent.FallbackStepFinished(
                    FallbackStep.valueOf(m.getStep()), at(m.getMetadata()));
            case dev.cutover.events.FallbackRollingBack m -> new CutoverEvent.FallbackRollingBack(
                    FallbackStep.valueOf(m.getFailedStep()), m.getReason(), at(m.getMetadata()));
            case dev.cutover.events.FallbackRollbackPartDone m -> new CutoverEvent.FallbackRollbackPartDone(
                    FallbackRollbackPart.valueOf(m.getPart()), at(m.getMetadata()));
            case dev.cutover.events.FallbackRolledBack m -> new CutoverEvent.FallbackRolledBack(
                    FallbackStep.valueOf(m.getFailedStep()), m.getReason(), Duration.ofMillis(m.getDowntimeMs()),
                    at(m.getMetadata()));
            case dev.cutover.events.FallbackCompleted m -> new CutoverEvent.FallbackCompleted(
                    Duration.ofMillis(m.getDowntimeMs()), at(m.getMetadata()));
            case dev.cutover.events.FallbackRejected m -> new CutoverEvent.FallbackRejected(
                    new Operator(m.getOperator()), m.getReason(), m.getByPreflight(), at(m.getMetadata()));
            default -> null;
        });
    }

    /** The time a saga event records: when it was written, which is when the saga decided it. */
    static Instant timeOf(CutoverEvent event) {
        return switch (event) {
            case CutoverEvent.CutoverStarted e -> e.startedAt();
            case CutoverEvent.CutoverRejected e -> e.rejectedAt();
            case CutoverEvent.PreflightPassed e -> e.passedAt();
            case CutoverEvent.CutoverPlanned e -> e.plannedAt();
            case CutoverEvent.StepStarted e -> e.startedAt();
            case CutoverEvent.StepFinished e -> e.finishedAt();
            case CutoverEvent.CanaryRecorded e -> null;
            case CutoverEvent.FallbackPointRecorded e -> null;
            case CutoverEvent.CompensationStarted e -> e.startedAt();
            case CutoverEvent.CompensationRetried e -> e.retriedAt();
            case CutoverEvent.CompensationPartDone e -> e.doneAt();
            case CutoverEvent.CutoverRolledBack e -> e.rolledBackAt();
            case CutoverEvent.CutoverCompleted e -> e.completedAt();
            case CutoverEvent.TidyUpTaskDone e -> e.doneAt();
            case CutoverEvent.StepRetried e -> e.retriedAt();
            case CutoverEvent.StepFailureNoted e -> e.notedAt();
            case CutoverEvent.AbortRefused e -> e.refusedAt();
            case CutoverEvent.FallbackStarted e -> e.startedAt();
            case CutoverEvent.FallbackStepStarted e -> e.startedAt();
            case CutoverEvent.FallbackStepFinished e -> e.finishedAt();
            case CutoverEvent.FallbackRollingBack e -> e.startedAt();
            case CutoverEvent.FallbackRollbackPartDone e -> e.doneAt();
            case CutoverEvent.FallbackRolledBack e -> e.rolledBackAt();
            case CutoverEvent.FallbackCompleted e -> e.completedAt();
            case CutoverEvent.FallbackRejected e -> e.rejectedAt();
        };
    }

    private static CutoverId cutoverId(Metadata metadata) {
        return new CutoverId(metadata.getCutoverId());
    }

    private static Instant at(Metadata metadata) {
        return metadata.getOccurredAt();
    }

    /** With its remedy, so that a refused cutover says what to do, as a stopped migration does. */
    private static String describe(PreflightFinding finding) {
        String remedy = finding.getRemedy();
        return finding.getCheck() + " on " + finding.getObject() + ": " + finding.getMessage()
                + (remedy == null || remedy.isBlank() ? "" : " (" + remedy + ")");
    }

    private static String orNotGiven(String text) {
        return text == null || text.isBlank() ? "not given" : text;
    }

}
