package dev.cutover.lag.state;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import dev.cutover.lag.engine.EngineKind;
import dev.cutover.lag.engine.LagSample;
import dev.cutover.lag.engine.Lsn;
import dev.cutover.lag.engine.SourceFigures;
import dev.cutover.lag.engine.TargetFigures;

class LagTrackerUnitTest {

    private static final Instant T0 = Instant.parse("2026-11-25T10:00:00Z");
    private static final Thresholds THRESHOLDS = new Thresholds(Duration.ofSeconds(2), 1_000_000, Duration.ofSeconds(5), true);

    @Test
    void targetThatConfirmsWhatTheSourceWritesIsStreaming() {
        Assessment first = LagTracker.start(THRESHOLDS).observe(reading(0, 1_000, 1_000));
        Assessment second = first.next().observe(reading(1, 2_000, 2_000));

        assertThat(second.state()).isEqualTo(ReplicationState.STREAMING);
        assertThat(second.change()).isEmpty();
    }

    @Test
    void sourceThatWritesWhileTheTargetConfirmsNothingIsStalledAfterTheConfiguredTime() {
        Assessment a = LagTracker.start(THRESHOLDS).observe(reading(0, 1_000, 1_000));
        Assessment b = a.next().observe(reading(1, 2_000, 1_000));
        Assessment c = b.next().observe(reading(2, 3_000, 1_000));

        assertThat(b.state()).isEqualTo(ReplicationState.STREAMING);
        assertThat(c.state()).isEqualTo(ReplicationState.STALLED);
        assertThat(c.change()).containsInstanceOf(Change.Stalled.class);
        Change.Stalled stalled = (Change.Stalled) c.change().orElseThrow();
        assertThat(stalled.stalledFor()).isEqualTo(Duration.ofSeconds(2));
        assertThat(stalled.slotLagBytes()).contains(2_000L);
    }

    @Test
    void stallIsReportedOnceAndStaysUntilTheTargetMovesAgain() {
        Assessment stalled = observeAll(reading(0, 1_000, 1_000), reading(2, 2_000, 1_000));
        Assessment still = stalled.next().observe(reading(3, 3_000, 1_000));
        Assessment recovered = still.next().observe(reading(5, 3_000, 3_000));

        assertThat(stalled.change()).containsInstanceOf(Change.Stalled.class);
        assertThat(still.state()).isEqualTo(ReplicationState.STALLED);
        assertThat(still.change()).isEmpty();
        assertThat(recovered.state()).isEqualTo(ReplicationState.STREAMING);
        assertThat(recovered.change()).contains(new Change.Recovered(Duration.ofSeconds(5)));
    }

    @Test
    void idleSourceIsNeverStalledHoweverLongNothingMoves() {
        Assessment later = observeAll(reading(0, 1_000, 900), reading(60, 1_000, 900));

        assertThat(later.state()).isEqualTo(ReplicationState.STREAMING);
        assertThat(later.change()).isEmpty();
    }

    @Test
    void largeLagThatKeepsMovingIsCatchingUpNotStalled() {
        Assessment later = observeAll(reading(0, 5_000_000, 1_000), reading(3, 9_000_000, 2_000_000),
                reading(6, 12_000_000, 4_000_000));

        assertThat(later.state()).isEqualTo(ReplicationState.CATCHING_UP);
        assertThat(later.change()).isEmpty();
    }

    @Test
    void oldHeartbeatMeansCatchingUpEvenWithSmallSlotLag() {
        LagSample sample = sample(0, 1_000, 1_000).withHeartbeatLagMs(Optional.of(7_000L));

        assertThat(LagTracker.start(THRESHOLDS).observe(new Observation.Read(sample)).state())
                .isEqualTo(ReplicationState.CATCHING_UP);
    }

    @Test
    void unreachableServerIsDownAndKeepsTheStallClockRunning() {
        Assessment a = LagTracker.start(THRESHOLDS).observe(reading(0, 1_000, 1_000));
        Assessment down = a.next().observe(new Observation.Unreachable(T0.plusSeconds(1), "connection refused"));
        Assessment back = down.next().observe(reading(3, 2_000, 1_000));

        assertThat(down.state()).isEqualTo(ReplicationState.DOWN);
        assertThat(back.state()).isEqualTo(ReplicationState.STALLED);
    }

    @Test
    void missingSlotIsDown() {
        LagSample sample = new LagSample(T0, EngineKind.NATIVE, new SourceFigures(new Lsn(1_000), Optional.empty()),
                Optional.of(subscription(1_000)), Optional.empty());

        assertThat(LagTracker.start(THRESHOLDS).observe(new Observation.Read(sample)).state())
                .isEqualTo(ReplicationState.DOWN);
    }

    @Test
    void dmsWithoutSlotIsJudgedByTheSourceTimeOfTheLastAppliedChange() {
        Thresholds dms = new Thresholds(Duration.ofSeconds(2), 1_000_000, Duration.ofSeconds(5), false);
        Assessment a = LagTracker.start(dms).observe(dmsReading(0, 1_000, T0, 5));
        Assessment b = a.next().observe(dmsReading(3, 2_000, T0, 9));
        Assessment c = b.next().observe(dmsReading(4, 3_000, T0.plusSeconds(3), 0));

        assertThat(b.state()).isEqualTo(ReplicationState.STALLED);
        assertThat(c.change()).containsInstanceOf(Change.Recovered.class);
    }

    private static Assessment observeAll(Observation... observations) {
        LagTracker tracker = LagTracker.start(THRESHOLDS);
        Assessment last = null;
        for (Observation observation : observations) {
            last = tracker.observe(observation);
            tracker = last.next();
        }
        return last;
    }

    private static Observation reading(int second, long sourceLsn, long confirmedLsn) {
        return new Observation.Read(sample(second, sourceLsn, confirmedLsn));
    }

    private static LagSample sample(int second, long sourceLsn, long confirmedLsn) {
        SourceFigures.Slot slot = new SourceFigures.Slot("sub", new Lsn(confirmedLsn), sourceLsn - confirmedLsn,
                sourceLsn - confirmedLsn + 100, true);
        return new LagSample(T0.plusSeconds(second), EngineKind.NATIVE,
                new SourceFigures(new Lsn(sourceLsn), Optional.of(slot)), Optional.of(subscription(confirmedLsn)),
                Optional.empty());
    }

    private static TargetFigures.Subscription subscription(long lsn) {
        return new TargetFigures.Subscription("sub", true, true, new Lsn(lsn), null, null);
    }

    private static Observation dmsReading(int second, long sourceLsn, Instant applied, long pending) {
        TargetFigures.DmsTask task = new TargetFigures.DmsTask("task", "CHANGE PROCESSING", T0.plusSeconds(second),
                pending, applied, Duration.between(applied, T0.plusSeconds(second)).toMillis(), null);
        return new Observation.Read(new LagSample(T0.plusSeconds(second), EngineKind.DMS,
                new SourceFigures(new Lsn(sourceLsn), Optional.empty()), Optional.of(task), Optional.empty()));
    }
}
