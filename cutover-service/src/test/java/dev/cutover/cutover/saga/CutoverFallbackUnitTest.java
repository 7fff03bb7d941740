package dev.cutover.cutover.saga;

import static dev.cutover.cutover.saga.CutoverSpec.given;
import static dev.cutover.cutover.saga.Fixtures.ALICE;
import static dev.cutover.cutover.saga.Fixtures.CANARY_LSN;
import static dev.cutover.cutover.saga.Fixtures.DATABASE;
import static dev.cutover.cutover.saga.Fixtures.DNS;
import static dev.cutover.cutover.saga.Fixtures.FENCE_LSN;
import static dev.cutover.cutover.saga.Fixtures.ID;
import static dev.cutover.cutover.saga.Fixtures.POLICY;
import static dev.cutover.cutover.saga.Fixtures.REASON;
import static dev.cutover.cutover.saga.Fixtures.T0;
import static dev.cutover.cutover.saga.Fixtures.TOKEN;
import static dev.cutover.cutover.saga.Fixtures.at;
import static dev.cutover.cutover.saga.Fixtures.compensationStarted;
import static dev.cutover.cutover.saga.Fixtures.endOf;
import static dev.cutover.cutover.saga.Fixtures.historyUntil;
import static dev.cutover.cutover.saga.Fixtures.lag;
import static dev.cutover.cutover.saga.Fixtures.resumedAt;
import static dev.cutover.cutover.saga.Fixtures.startOf;
import static org.assertj.core.api.Assertions.assertThat;

import dev.cutover.cutover.saga.Cutover.Completed;
import dev.cutover.cutover.saga.Cutover.TidyingUp;
import dev.cutover.cutover.saga.CutoverEvent.CompensationPartDone;
import dev.cutover.cutover.saga.CutoverEvent.CutoverRejected;
import dev.cutover.cutover.saga.CutoverEvent.CutoverRolledBack;
import dev.cutover.cutover.saga.CutoverEvent.CutoverStarted;
import dev.cutover.cutover.saga.CutoverEvent.FallbackPointRecorded;
import dev.cutover.cutover.saga.CutoverEvent.PreflightPassed;
import dev.cutover.cutover.saga.CutoverEvent.StepFinished;
import dev.cutover.cutover.saga.CutoverEvent.StepRetried;
import dev.cutover.cutover.saga.CutoverEvent.StepStarted;
import dev.cutover.cutover.saga.CutoverEvent.TidyUpTaskDone;
import dev.cutover.cutover.saga.CutoverMessage.CanaryObserved;
import dev.cutover.cutover.saga.CutoverMessage.CanaryWritten;
import dev.cutover.cutover.saga.CutoverMessage.DnsFlipped;
import dev.cutover.cutover.saga.CutoverMessage.DnsTtlChanged;
import dev.cutover.cutover.saga.CutoverMessage.FallbackPrepared;
import dev.cutover.cutover.saga.CutoverMessage.FallbackRemoved;
import dev.cutover.cutover.saga.CutoverMessage.PreflightReported;
import dev.cutover.cutover.saga.CutoverMessage.ReplicationStopped;
import dev.cutover.cutover.saga.CutoverMessage.ReverseReplicationStarted;
import dev.cutover.cutover.saga.CutoverMessage.SequencesSynced;
import dev.cutover.cutover.saga.CutoverMessage.SourceRestored;
import dev.cutover.cutover.saga.CutoverMessage.StartCutover;
import dev.cutover.cutover.saga.CutoverMessage.StepFailed;
import dev.cutover.cutover.saga.CutoverMessage.TargetOpened;
import dev.cutover.cutover.saga.CutoverMessage.Tick;
import dev.cutover.cutover.saga.CutoverMessage.TrafficResumed;
import dev.cutover.cutover.saga.CutoverMessage.TrafficStopped;
import dev.cutover.cutover.saga.SagaCommand.PrepareFallback;
import dev.cutover.cutover.saga.SagaCommand.RemoveFallback;
import dev.cutover.cutover.saga.SagaCommand.RestoreDnsTtl;
import dev.cutover.cutover.saga.SagaCommand.StartReverseReplication;
import dev.cutover.cutover.saga.SagaCommand.StopReplication;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** A cutover configured with {@code fallback.prepare}: reverse replication prepared, recorded, started or removed. */
class CutoverFallbackUnitTest {

    private static final Lsn OPENED_AT = Lsn.parse("0/5A1C2D8");
    private static final String RECORD = "db.orders.example.";

    private static CutoverStarted startedWithFallback() {
        return new CutoverStarted(ID, DATABASE, ALICE, false, REASON, DNS, T0, true);
    }

    /** The standard history up to {@code step}, of a cutover that prepares a fallback. */
    private static List<CutoverEvent> withFallback(Step step, CutoverEvent... more) {
        var history = new ArrayList<>(historyUntil(step, more));
        history.set(0, startedWithFallback());
        return history;
    }

    @Test
    void checksThatPassAskTheReplicatorForTheReverseSlotBeforeThePreflightPasses() {
        given(startedWithFallback()).when(new PreflightReported(List.of(), "no findings"), at(500))
                .then(List.of(), List.of(new PrepareFallback()));
    }

    @Test
    void theReverseSlotMadeOnTheTargetPassesThePreflight() {
        given(startedWithFallback()).when(new FallbackPrepared(), at(800))
                .then(new PreflightPassed("checks passed; reverse replication prepared on the target", at(800)));
    }

    @Test
    void aTargetThatCannotPublishBackRefusesTheCutoverAndWhatWasMadeIsRemoved() {
        String reason = "reverse replication cannot work: the target's wal_level is replica";
        given(startedWithFallback()).when(new StepFailed(Step.PREFLIGHT, reason, false), at(800))
                .then(new CutoverRejected(ID, DATABASE, ALICE, "preflight could not run: " + reason, at(800)),
                        new RemoveFallback());
    }

    @Test
    void aCutoverWithoutTheSettingNeitherPreparesNorRemovesAnything() {
        given(historyUntil(Step.PREFLIGHT)).when(new PreflightReported(List.of(), "no findings"), at(500))
                .then(new PreflightPassed("no findings", at(500)));
        given(historyUntil(Step.PREFLIGHT)).when(new PreflightReported(List.of("roles: app missing"), "x"), at(500))
                .then(new CutoverRejected(ID, DATABASE, ALICE, "preflight found blockers: roles: app missing", at(500)));
    }

    @Test
    void aDryRunPreparesNoReverseSlot() {
        given().when(new StartCutover(ID, DATABASE, ALICE, true, REASON, DNS, Optional.empty(), true), T0)
                .then(new CutoverStarted(ID, DATABASE, ALICE, true, REASON, DNS, T0, false),
                        new SagaCommand.CheckPreflight());
    }

    @Test
    void theTargetsPositionWhileLockedIsRecordedWhenItOpens() {
        given(withFallback(Step.OPEN_TARGET)).when(new TargetOpened(Optional.of(OPENED_AT)), endOf(Step.OPEN_TARGET))
                .then(List.of(new StepFinished(Step.OPEN_TARGET, endOf(Step.OPEN_TARGET)),
                        new StepStarted(Step.AWAIT_TRAFFIC, endOf(Step.OPEN_TARGET)),
                        new FallbackPointRecorded(OPENED_AT)), List.of());
    }

    @Test
    void anOpeningDecidedAfterTheTrafficResumedStillRecordsThePosition() {
        given(withFallback(Step.TIDY_UP)).when(new TargetOpened(Optional.of(OPENED_AT)), at(2_650))
                .then(new FallbackPointRecorded(OPENED_AT));
    }

    @Test
    void aRepeatedOpeningThatFoundTheTargetOpenRecordsNoPosition() {
        given(withFallback(Step.AWAIT_TRAFFIC)).when(new TargetOpened(), at(2_500)).thenNothing();
        given(withFallback(Step.TIDY_UP, new FallbackPointRecorded(OPENED_AT)))
                .when(new TargetOpened(Optional.of(Lsn.parse("0/6000000"))), at(2_700)).thenNothing();
    }

    @Test
    void theSourceSubscribesBackOnlyOnceForwardReplicationHasStopped() {
        given(withFallback(Step.TIDY_UP, new FallbackPointRecorded(OPENED_AT)))
                .when(new ReplicationStopped(), at(3_000))
                .then(new TidyUpTaskDone(TidyUpTask.STOP_REPLICATION, at(3_000)), new StartReverseReplication(OPENED_AT));
    }

    @Test
    void theCutoverIsCompleteOnlyOnceTheSourceFollowsTheTarget() {
        var history = withFallback(Step.TIDY_UP, new FallbackPointRecorded(OPENED_AT),
                new TidyUpTaskDone(TidyUpTask.STOP_REPLICATION, at(3_000)));
        Cutover waiting = given(history).when(new DnsTtlChanged(), at(3_100))
                .then(new TidyUpTaskDone(TidyUpTask.RESTORE_DNS_TTL, at(3_100)));
        assertThat(waiting).isInstanceOf(TidyingUp.class);

        history.add(new TidyUpTaskDone(TidyUpTask.RESTORE_DNS_TTL, at(3_100)));
        Cutover done = given(history).when(new ReverseReplicationStarted(), at(3_200))
                .then(new TidyUpTaskDone(TidyUpTask.PREPARE_FALLBACK, at(3_200)));
        assertThat(done).isInstanceOf(Completed.class);
    }

    @Test
    void withoutTheTargetsPositionAtOpeningTheReverseSlotIsRemovedAndTheCutoverEndsWithoutAFallback() {
        given(withFallback(Step.TIDY_UP)).when(new ReplicationStopped(), at(3_000))
                .then(new TidyUpTaskDone(TidyUpTask.STOP_REPLICATION, at(3_000)), new RemoveFallback());
        Cutover done = given(withFallback(Step.TIDY_UP, new TidyUpTaskDone(TidyUpTask.STOP_REPLICATION, at(3_000)),
                new TidyUpTaskDone(TidyUpTask.RESTORE_DNS_TTL, at(3_100))))
                .when(new FallbackRemoved(), at(3_200))
                .then(new TidyUpTaskDone(TidyUpTask.PREPARE_FALLBACK, at(3_200)));
        assertThat(done).isInstanceOf(Completed.class);
    }

    @Test
    void aTidyUpRetryWhileForwardReplicationRunsDoesNotStartTheReverseOne() {
        Instant now = resumedAt().plus(POLICY.timeout(Step.TIDY_UP)).plusMillis(1);
        given(withFallback(Step.TIDY_UP, new FallbackPointRecorded(OPENED_AT))).when(new Tick(), now)
                .then(new StepRetried(Step.TIDY_UP,
                        "[STOP_REPLICATION, RESTORE_DNS_TTL, PREPARE_FALLBACK] not confirmed within 60s", now),
                        new StopReplication(), new RestoreDnsTtl(RECORD));
        given(withFallback(Step.TIDY_UP, new FallbackPointRecorded(OPENED_AT),
                new TidyUpTaskDone(TidyUpTask.STOP_REPLICATION, at(3_000)),
                new TidyUpTaskDone(TidyUpTask.RESTORE_DNS_TTL, at(3_100)))).when(new Tick(), now)
                .then(new StepRetried(Step.TIDY_UP, "[PREPARE_FALLBACK] not confirmed within 60s", now),
                        new StartReverseReplication(OPENED_AT));
    }

    @Test
    void aRollbackBeforeTheTargetOpenedRemovesTheReverseSlot() {
        Instant now = startOf(Step.STOP_TRAFFIC).plusMillis(300);
        Duration downtime = Duration.between(startOf(Step.FLIP_DNS), now);
        given(withFallback(Step.STOP_TRAFFIC, compensationStarted(Step.STOP_TRAFFIC, "disk full"),
                new CompensationPartDone(CompensationPart.REVERT_DNS, now.minusMillis(10))))
                .when(new SourceRestored(), now)
                .then(new CutoverRolledBack(Step.STOP_TRAFFIC, "disk full", downtime, now), new RemoveFallback());
    }

    @Test
    void aLagThatRefusesTheCutoverAfterThePreflightRemovesTheReverseSlot() {
        Instant now = at(POLICY.lagSettle().toMillis() + 1_000);
        given(startedWithFallback(), new PreflightPassed("checks passed", at(800)))
                .when(lag(POLICY.maxLagBytes() + 1, now), now)
                .then(new CutoverRejected(ID, DATABASE, ALICE, "replication lag of " + (POLICY.maxLagBytes() + 1)
                        + " bytes is over the threshold of " + POLICY.maxLagBytes() + " bytes", now), new RemoveFallback());
    }

    @Test
    void theRemovalsAnswerOrFailureAfterARollbackChangesNothing() {
        var rolledBack = withFallback(Step.STOP_TRAFFIC, compensationStarted(Step.STOP_TRAFFIC, "disk full"),
                new CutoverRolledBack(Step.STOP_TRAFFIC, "disk full", Duration.ofMillis(400), at(2_400)));
        given(rolledBack).when(new FallbackRemoved(), at(2_500)).thenNothing();
        given(rolledBack).when(new StepFailed(Step.TIDY_UP, "the target is down", true), at(2_500)).thenNothing();
    }

    /** Message i is handled at T0 + i ms. */
    @Test
    void theWholeCutoverPreparesAndStartsItsFallback() {
        var history = new ArrayList<CutoverEvent>();
        var sent = new ArrayList<SagaCommand>();
        List<CutoverMessage> messages = List.of(
                new StartCutover(ID, DATABASE, ALICE, false, REASON, DNS, Optional.empty(), true),
                new PreflightReported(List.of(), "ok"),
                new FallbackPrepared(),
                lag(0, at(3)),
                new DnsFlipped("127.0.0.2", "127.0.0.3"),
                new TrafficStopped(FENCE_LSN, List.of("app"), 8),
                new CanaryWritten(TOKEN, CANARY_LSN),
                new SequencesSynced(3),
                new CanaryObserved(TOKEN, Duration.ofMillis(40), CANARY_LSN),
                new TargetOpened(Optional.of(OPENED_AT)),
                new TrafficResumed(at(10)),
                new DnsTtlChanged(),
                new ReplicationStopped(),
                new ReverseReplicationStarted());
        for (int i = 0; i < messages.size(); i++) {
            Decision decision = CutoverDecider.decide(CutoverDecider.rebuild(history), messages.get(i), at(i), POLICY);
            history.addAll(decision.events());
            sent.addAll(decision.commands());
        }
        assertThat(CutoverDecider.rebuild(history)).isInstanceOf(Completed.class);
        assertThat(sent).extracting(command -> command.getClass().getSimpleName()).containsExactly(
                "CheckPreflight", "PrepareFallback", "FlipDns", "StopTraffic", "WriteCanary", "SyncSequences",
                "AwaitCatchUp", "OpenTarget", "StopReplication", "RestoreDnsTtl", "StartReverseReplication");
        assertThat(sent).contains(new StartReverseReplication(OPENED_AT));
    }
}
