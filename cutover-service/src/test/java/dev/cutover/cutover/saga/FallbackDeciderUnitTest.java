package dev.cutover.cutover.saga;

import static dev.cutover.cutover.saga.CutoverSpec.given;
import static dev.cutover.cutover.saga.Fixtures.ALICE;
import static dev.cutover.cutover.saga.Fixtures.BOB;
import static dev.cutover.cutover.saga.Fixtures.DATABASE;
import static dev.cutover.cutover.saga.Fixtures.DNS;
import static dev.cutover.cutover.saga.Fixtures.ID;
import static dev.cutover.cutover.saga.Fixtures.MALLORY;
import static dev.cutover.cutover.saga.Fixtures.POLICY;
import static dev.cutover.cutover.saga.Fixtures.REASON;
import static dev.cutover.cutover.saga.Fixtures.T0;
import static dev.cutover.cutover.saga.Fixtures.at;
import static dev.cutover.cutover.saga.Fixtures.historyUntil;
import static org.assertj.core.api.Assertions.assertThat;

import dev.cutover.cutover.saga.Cutover.FallingBack;
import dev.cutover.cutover.saga.CutoverEvent.AbortRefused;
import dev.cutover.cutover.saga.CutoverEvent.CutoverStarted;
import dev.cutover.cutover.saga.CutoverEvent.FallbackCompleted;
import dev.cutover.cutover.saga.CutoverEvent.FallbackPointRecorded;
import dev.cutover.cutover.saga.CutoverEvent.FallbackRejected;
import dev.cutover.cutover.saga.CutoverEvent.FallbackRollbackPartDone;
import dev.cutover.cutover.saga.CutoverEvent.FallbackRolledBack;
import dev.cutover.cutover.saga.CutoverEvent.FallbackRollingBack;
import dev.cutover.cutover.saga.CutoverEvent.FallbackStarted;
import dev.cutover.cutover.saga.CutoverEvent.FallbackStepFinished;
import dev.cutover.cutover.saga.CutoverEvent.FallbackStepStarted;
import dev.cutover.cutover.saga.CutoverEvent.TidyUpTaskDone;
import dev.cutover.cutover.saga.CutoverMessage.AbortCutover;
import dev.cutover.cutover.saga.CutoverMessage.DnsFlipped;
import dev.cutover.cutover.saga.CutoverMessage.DnsReverted;
import dev.cutover.cutover.saga.CutoverMessage.FallbackRemoved;
import dev.cutover.cutover.saga.CutoverMessage.FallbackStepFailed;
import dev.cutover.cutover.saga.CutoverMessage.LagReported;
import dev.cutover.cutover.saga.CutoverMessage.ReverseCaughtUp;
import dev.cutover.cutover.saga.CutoverMessage.SequencesSynced;
import dev.cutover.cutover.saga.CutoverMessage.SourceRestored;
import dev.cutover.cutover.saga.CutoverMessage.StartFallback;
import dev.cutover.cutover.saga.CutoverMessage.StepFailed;
import dev.cutover.cutover.saga.CutoverMessage.TargetLocked;
import dev.cutover.cutover.saga.CutoverMessage.TargetOpened;
import dev.cutover.cutover.saga.CutoverMessage.Tick;
import dev.cutover.cutover.saga.CutoverMessage.TrafficResumed;
import dev.cutover.cutover.saga.SagaCommand.AwaitReverseCatchUp;
import dev.cutover.cutover.saga.SagaCommand.FlipDns;
import dev.cutover.cutover.saga.SagaCommand.LockTarget;
import dev.cutover.cutover.saga.SagaCommand.OpenTarget;
import dev.cutover.cutover.saga.SagaCommand.RestoreSource;
import dev.cutover.cutover.saga.SagaCommand.RevertDnsToTarget;
import dev.cutover.cutover.saga.SagaCommand.StopReverseReplication;
import dev.cutover.cutover.saga.SagaCommand.SyncSequencesToSource;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The fallback of a completed cutover whose source follows the target: the cutover's steps the other way round. */
class FallbackDeciderUnitTest {

    private static final Lsn OPENED_AT = Lsn.parse("0/5A1C2D8");
    private static final String RECORD = "db.orders.example.";
    private static final String WHY = "plan regression on 17";
    private static final Instant ASKED = at(60_000);

    /** A cutover that prepared its fallback, completed with the source following the target. */
    private static List<CutoverEvent> completedWithFallback(CutoverEvent... more) {
        var history = new ArrayList<CutoverEvent>(historyUntil(Step.TIDY_UP));
        history.set(0, new CutoverStarted(ID, DATABASE, ALICE, false, REASON, DNS, T0, true));
        history.add(new FallbackPointRecorded(OPENED_AT));
        history.add(new TidyUpTaskDone(TidyUpTask.STOP_REPLICATION, at(3_000)));
        history.add(new TidyUpTaskDone(TidyUpTask.RESTORE_DNS_TTL, at(3_100)));
        history.add(new TidyUpTaskDone(TidyUpTask.PREPARE_FALLBACK, at(3_200)));
        history.addAll(List.of(more));
        return history;
    }

    /** The fallback asked for at {@link #ASKED}: preflight passed and DNS being flipped back. */
    private static List<CutoverEvent> flipping(CutoverEvent... more) {
        return completedWithFallback(concat(List.of(new FallbackStarted(BOB, WHY, ASKED),
                new FallbackStepStarted(FallbackStep.PREFLIGHT, ASKED), new FallbackStepFinished(FallbackStep.PREFLIGHT, ASKED),
                new FallbackStepStarted(FallbackStep.FLIP_DNS, ASKED)), more));
    }

    /** The target fenced at +100 ms: catch-up and sequences in flight. */
    private static List<CutoverEvent> fenced(CutoverEvent... more) {
        return flipping(concat(List.of(new FallbackStepFinished(FallbackStep.FLIP_DNS, ASKED.plusMillis(50)),
                new FallbackStepStarted(FallbackStep.FENCE_TARGET, ASKED.plusMillis(50)),
                new FallbackStepFinished(FallbackStep.FENCE_TARGET, ASKED.plusMillis(100)),
                new FallbackStepStarted(FallbackStep.AWAIT_CATCH_UP, ASKED.plusMillis(100)),
                new FallbackStepStarted(FallbackStep.SYNC_SEQUENCES, ASKED.plusMillis(100))), more));
    }

    /** The source opened at +300 ms: the reverse replication being stopped. */
    private static List<CutoverEvent> opened(CutoverEvent... more) {
        return fenced(concat(List.of(new FallbackStepFinished(FallbackStep.AWAIT_CATCH_UP, ASKED.plusMillis(200)),
                new FallbackStepFinished(FallbackStep.SYNC_SEQUENCES, ASKED.plusMillis(200)),
                new FallbackStepStarted(FallbackStep.OPEN_SOURCE, ASKED.plusMillis(200)),
                new FallbackStepFinished(FallbackStep.OPEN_SOURCE, ASKED.plusMillis(300)),
                new FallbackStepStarted(FallbackStep.STOP_REVERSE_REPLICATION, ASKED.plusMillis(300))), more));
    }

    private static CutoverEvent[] concat(List<CutoverEvent> first, CutoverEvent... more) {
        var all = new ArrayList<>(first);
        all.addAll(List.of(more));
        return all.toArray(CutoverEvent[]::new);
    }

    /** The fallback asked for at {@link #ASKED}, its preflight waiting for the reverse replication's lag. */
    private static List<CutoverEvent> checking(CutoverEvent... more) {
        return completedWithFallback(concat(List.of(new FallbackStarted(BOB, WHY, ASKED),
                new FallbackStepStarted(FallbackStep.PREFLIGHT, ASKED)), more));
    }

    private static LagReported reverseLag(long bytes, ReplicationState state, Instant observedAt) {
        return new LagReported(bytes, Duration.ZERO, state, observedAt, true);
    }

    @Test
    void aFallbackOfACompletedCutoverFirstWaitsForTheReverseReplicationsLag() {
        Cutover state = given(completedWithFallback()).when(new StartFallback(BOB, WHY), ASKED)
                .then(List.of(new FallbackStarted(BOB, WHY, ASKED), new FallbackStepStarted(FallbackStep.PREFLIGHT, ASKED)),
                        List.of());
        assertThat(state).isInstanceOf(FallingBack.class);
        assertThat(state.isActive()).as("a fallback under way holds the database").isTrue();
    }

    @Test
    void aStreamingReverseReplicationPassesThePreflightAndDnsFlipsBackToTheStillLockedSourceFirst() {
        Instant now = ASKED.plusMillis(900);
        given(checking()).when(reverseLag(4096, ReplicationState.STREAMING, ASKED.plusMillis(800)), now)
                .then(List.of(new FallbackStepFinished(FallbackStep.PREFLIGHT, now),
                        new FallbackStepStarted(FallbackStep.FLIP_DNS, now)),
                        List.of(new FlipDns(RECORD, DNS.targetAddress(), DNS.sourceAddress(), POLICY.dnsTtl())));
    }

    @Test
    void theForwardReplicationsLagOrAReportReadBeforeTheRequestSaysNothingAboutTheWayBack() {
        given(checking()).when(new LagReported(0, Duration.ZERO, ReplicationState.STREAMING, ASKED.plusMillis(800)),
                ASKED.plusMillis(900)).thenNothing();
        given(checking()).when(reverseLag(0, ReplicationState.STREAMING, ASKED.minusMillis(100)), ASKED.plusMillis(900))
                .thenNothing();
    }

    @Test
    void aReverseReplicationThatIsNotStreamingRefusesTheFallbackOnceTheLagHadTimeToSettle() {
        given(checking()).when(reverseLag(0, ReplicationState.DOWN, ASKED.plusMillis(800)), ASKED.plusMillis(900))
                .thenNothing();
        Instant late = ASKED.plus(POLICY.lagSettle()).plusMillis(100);
        Cutover state = given(checking()).when(reverseLag(0, ReplicationState.DOWN, late), late)
                .then(new FallbackRejected(BOB, "the reverse replication is DOWN, not streaming: "
                        + ReplicationState.DOWN.meaning() + "; look at the reverse subscription on the source, then ask"
                        + " again", true, late));
        assertThat(((FallingBack) state).fallback()).isInstanceOf(Fallback.Refused.class);
        assertThat(state.isActive()).isFalse();
    }

    @Test
    void anotherRequestRefusedDuringThePreflightLeavesTheFallbackUnderWay() {
        Cutover state = given(checking()).when(new StartFallback(ALICE, "other"), ASKED.plusMillis(20))
                .then(new FallbackRejected(ALICE, "a fallback by bob is under way: wait for it, or abort it before the"
                        + " source opens", false, ASKED.plusMillis(20)));
        assertThat(((FallingBack) state).fallback()).isInstanceOf(Fallback.Switching.class);
        assertThat(state.isActive()).isTrue();
    }

    @Test
    void noReportOfTheReverseReplicationWithinThePreflightsTimeoutRefusesTheFallback() {
        Instant late = ASKED.plus(POLICY.timeout(Step.PREFLIGHT)).plusMillis(1);
        given(checking()).when(new Tick(), late).then(new FallbackRejected(BOB, "no report of the reverse"
                + " replication's lag read since the fallback was asked for arrived within 30s: lag-monitor reports it"
                + " while the source's reverse subscription exists, for a database with"
                + " cutover.databases.<db>.fallback.prepare; check that it runs with that setting", true, late));
        given(checking()).when(new AbortCutover(ALICE, "not now"), ASKED.plusMillis(10))
                .then(new FallbackRejected(BOB, "aborted by alice: not now", true, ASKED.plusMillis(10)));
    }

    @Test
    void aCutoverWhoseSourceDoesNotFollowTheTargetRefusesTheFallbackAndStaysAsItWas() {
        var history = new ArrayList<CutoverEvent>(historyUntil(Step.TIDY_UP));
        history.add(new TidyUpTaskDone(TidyUpTask.STOP_REPLICATION, at(3_000)));
        history.add(new TidyUpTaskDone(TidyUpTask.RESTORE_DNS_TTL, at(3_100)));
        Cutover state = given(history).when(new StartFallback(BOB, WHY), ASKED).then(new FallbackRejected(BOB,
                "the cutover prepared no reverse replication (cutover.databases.orders.fallback.prepare was off, or the"
                        + " target's position at opening was not recorded), so the source lacks the target's writes"
                        + " and a fallback would lose them: move back with a new migration from the target instead",
                false, ASKED));
        assertThat(state).isInstanceOf(Cutover.Completed.class);
    }

    @Test
    void aCutoverStillUnderWayOrAnOperatorNotAllowedCannotFallBack() {
        given(historyUntil(Step.STOP_TRAFFIC)).when(new StartFallback(BOB, WHY), ASKED).then(new FallbackRejected(BOB,
                "the cutover is Running: only a completed cutover, whose clients use the target, can fall back (abort"
                        + " a cutover under way instead)", false, ASKED));
        given(completedWithFallback()).when(new StartFallback(MALLORY, WHY), ASKED).then(new FallbackRejected(MALLORY,
                "operator mallory is not allowed to fall back cutovers", false, ASKED));
    }

    @Test
    void theTargetIsFencedOnceDnsPointsAtTheSource() {
        Instant now = ASKED.plusMillis(50);
        given(flipping()).when(new DnsFlipped(DNS.targetAddress(), DNS.sourceAddress()), now)
                .then(List.of(new FallbackStepFinished(FallbackStep.FLIP_DNS, now),
                        new FallbackStepStarted(FallbackStep.FENCE_TARGET, now)), List.of(new LockTarget()));
    }

    @Test
    void theFencedTargetIsAwaitedOnTheSourceWhileItsSequencesAreCopiedThere() {
        Instant now = ASKED.plusMillis(100);
        given(flipping(new FallbackStepFinished(FallbackStep.FLIP_DNS, ASKED.plusMillis(50)),
                new FallbackStepStarted(FallbackStep.FENCE_TARGET, ASKED.plusMillis(50))))
                .when(new TargetLocked(), now)
                .then(List.of(new FallbackStepFinished(FallbackStep.FENCE_TARGET, now),
                        new FallbackStepStarted(FallbackStep.AWAIT_CATCH_UP, now),
                        new FallbackStepStarted(FallbackStep.SYNC_SEQUENCES, now)),
                        List.of(new AwaitReverseCatchUp(POLICY.timeout(Step.AWAIT_CATCH_UP)), new SyncSequencesToSource()));
    }

    @Test
    void theSourceOpensOnlyOnceItCaughtUpAndHasTheSequences() {
        Instant now = ASKED.plusMillis(200);
        given(fenced()).when(new SequencesSynced(3), now)
                .then(new FallbackStepFinished(FallbackStep.SYNC_SEQUENCES, now));
        given(fenced(new FallbackStepFinished(FallbackStep.SYNC_SEQUENCES, ASKED.plusMillis(150))))
                .when(new ReverseCaughtUp(Lsn.parse("0/7000000"), Lsn.parse("0/7000010")), now)
                .then(List.of(new FallbackStepFinished(FallbackStep.AWAIT_CATCH_UP, now),
                        new FallbackStepStarted(FallbackStep.OPEN_SOURCE, now)),
                        List.of(new RestoreSource("fallback by bob: " + WHY)));
    }

    @Test
    void theFallbackCompletesOnceTheReverseReplicationIsStoppedWithTheDowntimeUntilTheSourceOpened() {
        Instant now = ASKED.plusMillis(400);
        Cutover state = given(opened()).when(new FallbackRemoved(), now)
                .then(List.of(new FallbackStepFinished(FallbackStep.STOP_REVERSE_REPLICATION, now),
                        new FallbackCompleted(Duration.ofMillis(300), now)), List.of());
        assertThat(((FallingBack) state).fallback()).isInstanceOf(Fallback.FellBack.class);
        assertThat(state.isActive()).isFalse();
        given(opened(new FallbackStepFinished(FallbackStep.STOP_REVERSE_REPLICATION, now),
                new FallbackCompleted(Duration.ofMillis(300), now)))
                .when(new StartFallback(BOB, WHY), now.plusSeconds(1))
                .then(new FallbackRejected(BOB, "the cutover has fallen back already: the source serves", false,
                        now.plusSeconds(1)));
    }

    @Test
    void aReverseReplicationThatDoesNotCatchUpPutsTheTargetBack() {
        String reason = "the reverse slot stayed at 0/6000000, short of 0/7000000";
        Instant now = ASKED.plusMillis(500);
        Cutover state = given(fenced()).when(new FallbackStepFailed(FallbackStep.AWAIT_CATCH_UP, reason, true), now)
                .then(new FallbackRollingBack(FallbackStep.AWAIT_CATCH_UP, "AWAIT_CATCH_UP failed: " + reason, now),
                        new RevertDnsToTarget(RECORD), new OpenTarget());
        assertThat(state.isActive()).isTrue();
    }

    @Test
    void aCatchUpThatTimesOutPutsTheTargetBackToo() {
        Instant now = ASKED.plusMillis(100).plus(POLICY.timeout(Step.AWAIT_CATCH_UP)).plusMillis(1);
        given(fenced(new FallbackStepFinished(FallbackStep.SYNC_SEQUENCES, ASKED.plusMillis(150))))
                .when(new Tick(), now)
                .then(new FallbackRollingBack(FallbackStep.AWAIT_CATCH_UP, "AWAIT_CATCH_UP did not finish within 10s",
                        now), new RevertDnsToTarget(RECORD), new OpenTarget());
    }

    @Test
    void theTargetOpenedAgainWithTheNameBackEndsTheRollbackAndAnotherFallbackMayBeAsked() {
        Instant failed = ASKED.plusMillis(500);
        Instant now = ASKED.plusMillis(700);
        var rollingBack = fenced(new FallbackRollingBack(FallbackStep.AWAIT_CATCH_UP, "stalled", failed),
                new FallbackRollbackPartDone(FallbackRollbackPart.REVERT_DNS, failed.plusMillis(20)));
        Cutover state = given(rollingBack).when(new TargetOpened(), now)
                .then(new FallbackRolledBack(FallbackStep.AWAIT_CATCH_UP, "stalled", Duration.ofMillis(700), now));
        assertThat(state.isActive()).isFalse();
        rollingBack.add(new FallbackRolledBack(FallbackStep.AWAIT_CATCH_UP, "stalled", Duration.ofMillis(700), now));
        given(rollingBack).when(new TrafficResumed(now.plusMillis(10)), now.plusMillis(20)).thenNothing();
        Instant again = now.plusSeconds(60);
        given(rollingBack).when(new StartFallback(ALICE, "again"), again)
                .then(List.of(new FallbackStarted(ALICE, "again", again),
                        new FallbackStepStarted(FallbackStep.PREFLIGHT, again)), List.of());
    }

    @Test
    void aTargetOpenedAgainWithTheNameNotConfirmedBackWaitsForTheDns() {
        // RevertDnsToTarget may have failed (DNS server unreachable) while the flip back had landed: the name would be
        // left on the locked source, so the fallback is not rolled back yet.
        Instant failed = ASKED.plusMillis(500);
        Instant now = ASKED.plusMillis(700);
        Cutover state = given(fenced(new FallbackRollingBack(FallbackStep.AWAIT_CATCH_UP, "stalled", failed)))
                .when(new TargetOpened(), now)
                .then(new FallbackRollbackPartDone(FallbackRollbackPart.OPEN_TARGET, now));
        assertThat(((FallingBack) state).fallback()).isInstanceOfSatisfying(Fallback.RollingBack.class,
                rollingBack -> assertThat(rollingBack.pending()).containsExactly(FallbackRollbackPart.REVERT_DNS));
        assertThat(state.isActive()).isTrue();
    }

    @Test
    void theNameBackAfterTheTargetOpenedEndsTheRollback() {
        Instant failed = ASKED.plusMillis(500);
        Instant now = ASKED.plusMillis(900);
        Cutover state = given(fenced(new FallbackRollingBack(FallbackStep.AWAIT_CATCH_UP, "stalled", failed),
                new FallbackRollbackPartDone(FallbackRollbackPart.OPEN_TARGET, ASKED.plusMillis(700))))
                .when(new DnsReverted(), now)
                .then(new FallbackRolledBack(FallbackStep.AWAIT_CATCH_UP, "stalled", Duration.ofMillis(900), now));
        assertThat(((FallingBack) state).fallback()).isInstanceOf(Fallback.RolledBack.class);
    }

    @Test
    void theNameBackFirstIsRecordedAndTheRollbackWaitsForTheTarget() {
        Instant failed = ASKED.plusMillis(500);
        Instant now = ASKED.plusMillis(600);
        Cutover state = given(fenced(new FallbackRollingBack(FallbackStep.AWAIT_CATCH_UP, "stalled", failed)))
                .when(new DnsReverted(), now)
                .then(new FallbackRollbackPartDone(FallbackRollbackPart.REVERT_DNS, now));
        assertThat(((FallingBack) state).fallback()).isInstanceOfSatisfying(Fallback.RollingBack.class,
                rollingBack -> assertThat(rollingBack.pending()).containsExactly(FallbackRollbackPart.OPEN_TARGET));
    }

    @Test
    void aNameNotConfirmedBackInTimeGetsOnlyItsRevertAgainAndTheOpenTargetStaysConfirmed() {
        Instant failed = ASKED.plusMillis(500);
        Instant now = failed.plus(POLICY.compensationTimeout()).plusMillis(1);
        Cutover state = given(fenced(new FallbackRollingBack(FallbackStep.AWAIT_CATCH_UP, "stalled", failed),
                new FallbackRollbackPartDone(FallbackRollbackPart.OPEN_TARGET, failed.plusMillis(200))))
                .when(new Tick(), now)
                .then(new FallbackRollingBack(FallbackStep.AWAIT_CATCH_UP, "stalled", now), new RevertDnsToTarget(RECORD));
        assertThat(((FallingBack) state).fallback()).isInstanceOfSatisfying(Fallback.RollingBack.class,
                rollingBack -> assertThat(rollingBack.pending()).containsExactly(FallbackRollbackPart.REVERT_DNS));
    }

    @Test
    void aTargetNotConfirmedOpenInTimeGetsOnlyItsOpeningAgain() {
        Instant failed = ASKED.plusMillis(500);
        Instant now = failed.plus(POLICY.compensationTimeout()).plusMillis(1);
        given(fenced(new FallbackRollingBack(FallbackStep.AWAIT_CATCH_UP, "stalled", failed),
                new FallbackRollbackPartDone(FallbackRollbackPart.REVERT_DNS, failed.plusMillis(200))))
                .when(new Tick(), now)
                .then(new FallbackRollingBack(FallbackStep.AWAIT_CATCH_UP, "stalled", now), new OpenTarget());
    }

    @Test
    void aRepeatedAnswerDuringTheRollbackOrANameBackOutsideOneChangesNothing() {
        Instant failed = ASKED.plusMillis(500);
        given(fenced(new FallbackRollingBack(FallbackStep.AWAIT_CATCH_UP, "stalled", failed),
                new FallbackRollbackPartDone(FallbackRollbackPart.OPEN_TARGET, failed.plusMillis(200))))
                .when(new TargetOpened(), failed.plusMillis(300)).thenNothing();
        given(fenced()).when(new DnsReverted(), ASKED.plusMillis(150)).thenNothing();
    }

    @Test
    void aRollbackLoggedBeforeItAwaitedTheNameStillFolds() {
        // Such a log has FallbackRolledBack straight after the TargetOpened, with no part recorded before it.
        Instant failed = ASKED.plusMillis(500);
        Cutover state = CutoverDecider.rebuild(fenced(
                new FallbackRollingBack(FallbackStep.AWAIT_CATCH_UP, "stalled", failed),
                new FallbackRolledBack(FallbackStep.AWAIT_CATCH_UP, "stalled", Duration.ofMillis(700),
                        ASKED.plusMillis(700))));
        assertThat(((FallingBack) state).fallback()).isInstanceOf(Fallback.RolledBack.class);
        assertThat(state.isActive()).isFalse();
    }

    @Test
    void aRollbackNotConfirmedIsSentAgain() {
        Instant failed = ASKED.plusMillis(500);
        Instant now = failed.plus(POLICY.compensationTimeout()).plusMillis(1);
        given(fenced(new FallbackRollingBack(FallbackStep.AWAIT_CATCH_UP, "stalled", failed))).when(new Tick(), now)
                .then(new FallbackRollingBack(FallbackStep.AWAIT_CATCH_UP, "stalled", now),
                        new RevertDnsToTarget(RECORD), new OpenTarget());
    }

    @Test
    void aFlipThatFailsOpensTheTargetAgainAndPointsDnsBackAtIt() {
        Instant now = ASKED.plusMillis(30);
        given(flipping()).when(new StepFailed(Step.FLIP_DNS, "the record points at 10.0.0.9", false), now)
                .then(new FallbackRollingBack(FallbackStep.FLIP_DNS, "FLIP_DNS failed: the record points at 10.0.0.9",
                        now), new RevertDnsToTarget(RECORD), new OpenTarget());
    }

    @Test
    void afterTheSourceOpenedTheFallbackOnlyRollsForward() {
        Instant now = ASKED.plusMillis(350);
        given(opened()).when(new AbortCutover(ALICE, "changed my mind"), now).then(new AbortRefused(ALICE,
                "the fallback's point of no return is passed: the source was opened and clients may have written"
                        + " there, so the fallback only rolls forward", now));
        given(opened()).when(new FallbackStepFailed(FallbackStep.STOP_REVERSE_REPLICATION, "target down", true), now)
                .thenNothing();
        Instant late = ASKED.plusMillis(300).plus(POLICY.timeout(Step.TIDY_UP)).plusMillis(1);
        given(opened()).when(new Tick(), late)
                .then(new FallbackStepStarted(FallbackStep.STOP_REVERSE_REPLICATION, late), new StopReverseReplication());
    }

    @Test
    void anAbortBeforeTheSourceOpenedPutsTheTargetBack() {
        Instant now = ASKED.plusMillis(150);
        given(fenced()).when(new AbortCutover(ALICE, "not now"), now)
                .then(new FallbackRollingBack(FallbackStep.AWAIT_CATCH_UP, "aborted by alice: not now", now),
                        new RevertDnsToTarget(RECORD), new OpenTarget());
    }

    @Test
    void aRepeatedStartOrALateAnswerChangesNothing() {
        given(fenced()).when(new StartFallback(BOB, WHY), ASKED.plusMillis(120)).thenNothing();
        given(fenced()).when(new DnsFlipped(DNS.targetAddress(), DNS.sourceAddress()), ASKED.plusMillis(120))
                .thenNothing();
        given(fenced()).when(new StartFallback(ALICE, "other"), ASKED.plusMillis(120)).then(new FallbackRejected(ALICE,
                "a fallback by bob is under way: wait for it, or abort it before the source opens", false,
                ASKED.plusMillis(120)));
    }

    /** Message i is handled at {@link #ASKED} + i ms. */
    @Test
    void theWholeFallbackSendsTheCutoversCommandsTheOtherWayRound() {
        var history = new ArrayList<>(completedWithFallback());
        var sent = new ArrayList<SagaCommand>();
        List<CutoverMessage> messages = List.of(
                new StartFallback(BOB, WHY),
                reverseLag(0, ReplicationState.STREAMING, ASKED.plusMillis(1)),
                new DnsFlipped(DNS.targetAddress(), DNS.sourceAddress()),
                new TargetLocked(),
                new SequencesSynced(2),
                new ReverseCaughtUp(Lsn.parse("0/7000000"), Lsn.parse("0/7000000")),
                new SourceRestored(),
                new FallbackRemoved());
        for (int i = 0; i < messages.size(); i++) {
            Decision decision = CutoverDecider.decide(CutoverDecider.rebuild(history), messages.get(i),
                    ASKED.plusMillis(i), POLICY);
            history.addAll(decision.events());
            sent.addAll(decision.commands());
        }
        assertThat(((FallingBack) CutoverDecider.rebuild(history)).fallback()).isInstanceOf(Fallback.FellBack.class);
        assertThat(sent).extracting(command -> command.getClass().getSimpleName()).containsExactly(
                "FlipDns", "LockTarget", "AwaitReverseCatchUp", "SyncSequencesToSource", "RestoreSource",
                "StopReverseReplication");
        assertThat(history).last().isEqualTo(new FallbackCompleted(Duration.ofMillis(5), ASKED.plusMillis(7)));
        assertThat(Optional.of(CutoverDecider.rebuild(history)).map(Cutover::isActive)).contains(false);
    }
}
