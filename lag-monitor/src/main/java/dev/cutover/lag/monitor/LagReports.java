package dev.cutover.lag.monitor;

import java.time.Duration;

import dev.cutover.events.LagReported;
import dev.cutover.events.Metadata;
import dev.cutover.events.ReplicationRecovered;
import dev.cutover.events.ReplicationSlotIdle;
import dev.cutover.events.ReplicationStalled;
import dev.cutover.lag.engine.EngineKind;
import dev.cutover.lag.engine.LagSample;
import dev.cutover.lag.engine.Lsn;
import dev.cutover.lag.engine.TargetFigures;
import dev.cutover.lag.slot.SlotIdle;
import dev.cutover.lag.state.Change;
import dev.cutover.lag.state.Observation;
import dev.cutover.lag.state.ReplicationState;
import org.apache.avro.specific.SpecificRecord;

/** Turns readings and judgements into the Avro events others read. */
final class LagReports {

    /** {@code LagReported.direction}: the migration's replication, source to target. */
    static final String FORWARD = "FORWARD";
    /** {@code LagReported.direction}: a fallback's, target to source. */
    static final String REVERSE = "REVERSE";

    private LagReports() {
    }

    static LagReported lagReported(Metadata metadata, EngineKind engine, Observation observation, ReplicationState state,
            String direction) {
        LagReported.Builder report = LagReported.newBuilder()
                .setMetadata(metadata)
                .setEngine(engine.name())
                .setState(state.name())
                .setDirection(direction);
        return switch (observation) {
            case Observation.Unreachable unreachable -> report.build();
            case Observation.Read read -> withFigures(report, read.sample()).build();
        };
    }

    private static LagReported.Builder withFigures(LagReported.Builder report, LagSample sample) {
        report.setSourceLsn(sample.source().currentLsn().toString())
                .setSlotLagBytes(sample.slotLagBytes().orElse(null))
                .setRetainedWalBytes(sample.retainedWalBytes().orElse(null))
                .setHeartbeatLagMs(sample.heartbeatLagMs().orElse(null))
                .setApplyLagMs(sample.applyLagMs().orElse(null));
        if (sample.target().orElse(null) instanceof TargetFigures.Subscription subscription) {
            report.setReceivedLsn(text(subscription.receivedLsn()))
                    .setLatestEndLsn(text(subscription.latestEndLsn()))
                    .setLatestEndTime(subscription.latestEndTime());
        }
        return report;
    }

    static SpecificRecord change(Metadata metadata, Change change) {
        return switch (change) {
            case Change.Stalled stalled -> ReplicationStalled.newBuilder()
                    .setMetadata(metadata)
                    .setStalledForMs(millis(stalled.stalledFor()))
                    .setSlotLagBytes(stalled.slotLagBytes().orElse(null))
                    .build();
            case Change.Recovered recovered -> ReplicationRecovered.newBuilder()
                    .setMetadata(metadata)
                    .setStalledForMs(millis(recovered.stalledFor()))
                    .build();
        };
    }

    static ReplicationSlotIdle slotIdle(Metadata metadata, SlotIdle idle) {
        return ReplicationSlotIdle.newBuilder()
                .setMetadata(metadata)
                .setSlot(idle.slot())
                .setRetainedWalBytes(idle.retainedWalBytes())
                .setInactiveSince(idle.inactiveSince())
                .setInactiveForMs(millis(idle.inactiveFor()))
                .setAction(idle.action())
                .build();
    }

    private static long millis(Duration duration) {
        return duration.toMillis();
    }

    private static String text(Lsn lsn) {
        return lsn == null ? null : lsn.toString();
    }
}
