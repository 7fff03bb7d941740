package dev.cutover.lag.state;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

import dev.cutover.lag.engine.LagSample;
import dev.cutover.lag.engine.Lsn;

/**
 * Turns a series of observations into a state. A stall is judged by progress, not by lag: lag that stays
 * high while the target keeps confirming is catching up, while a target that confirms nothing as the
 * source keeps writing is stalled however small the lag still looks. An idle source (no heartbeat, e.g.
 * after the fence) never counts as stalled.
 *
 * @param thresholds when the database counts as behind or stalled
 * @param watermark  the last time the target's confirmed position moved, and where the source was then
 * @param stalled    whether a stall was reported and has not ended
 */
public record LagTracker(Thresholds thresholds, Optional<Watermark> watermark, boolean stalled) {

    /**
     * @param applied     the engine's applied marker then (empty before the target's first confirmation)
     * @param since       when it last moved (or was first seen)
     * @param sourceLsn   the source's position at that moment
     */
    public record Watermark(Optional<Long> applied, Instant since, Lsn sourceLsn) {
    }

    public static LagTracker start(Thresholds thresholds) {
        return new LagTracker(thresholds, Optional.empty(), false);
    }

    public Assessment observe(Observation observation) {
        return switch (observation) {
            case Observation.Unreachable unreachable -> new Assessment(this, ReplicationState.DOWN, Optional.empty());
            case Observation.Read read -> assess(read.sample());
        };
    }

    private Assessment assess(LagSample sample) {
        if (!sample.replicationExists(thresholds.slotExpected())) {
            return new Assessment(this, ReplicationState.DOWN, Optional.empty());
        }
        Optional<Long> applied = sample.appliedMarker();
        Watermark now = new Watermark(applied, sample.at(), sample.source().currentLsn());
        if (watermark.isEmpty() || moved(watermark.get().applied(), applied)) {
            Optional<Change> recovered = stalled
                    ? Optional.of(new Change.Recovered(Duration.between(watermark.get().since(), sample.at())))
                    : Optional.empty();
            return new Assessment(new LagTracker(thresholds, Optional.of(now), false), lagState(sample), recovered);
        }
        Watermark last = watermark.get();
        Duration still = Duration.between(last.since(), sample.at());
        boolean sourceWrote = sample.source().currentLsn().compareTo(last.sourceLsn()) > 0;
        boolean stalledNow = stalled
                || (still.compareTo(thresholds.stallAfter()) >= 0 && sourceWrote && sample.hasPendingChanges());
        Optional<Change> began = stalledNow && !stalled
                ? Optional.of(new Change.Stalled(still, sample.slotLagBytes()))
                : Optional.empty();
        return new Assessment(new LagTracker(thresholds, watermark, stalledNow),
                stalledNow ? ReplicationState.STALLED : lagState(sample), began);
    }

    private ReplicationState lagState(LagSample sample) {
        long delayMs = thresholds.catchingUpDelay().toMillis();
        boolean behind = sample.slotLagBytes().map(bytes -> bytes >= thresholds.catchingUpBytes()).orElse(false)
                || sample.applyLagMs().map(ms -> ms >= delayMs).orElse(false)
                || sample.heartbeatLagMs().map(ms -> ms >= delayMs).orElse(false);
        return behind ? ReplicationState.CATCHING_UP : ReplicationState.STREAMING;
    }

    private static boolean moved(Optional<Long> before, Optional<Long> after) {
        if (after.isEmpty()) {
            return false;
        }
        return before.isEmpty() || Long.compareUnsigned(after.get(), before.get()) > 0;
    }
}
