package dev.cutover.lag.engine;

import java.time.Instant;
import java.util.Optional;

/**
 * Everything read about one database's replication at one moment. Figures an engine cannot observe are empty.
 *
 * @param at             when the reading was taken
 * @param engine         which engine was read
 * @param source         the source's WAL position and slot
 * @param target         the engine's own view on the target; empty when its objects do not exist there
 * @param heartbeatLagMs age of the newest heartbeat row on the target; empty without heartbeat rows
 */
public record LagSample(Instant at, EngineKind engine, SourceFigures source, Optional<TargetFigures> target,
        Optional<Long> heartbeatLagMs) {

    public Optional<Long> slotLagBytes() {
        return source.slot().map(SourceFigures.Slot::lagBytes);
    }

    public Optional<Long> retainedWalBytes() {
        return source.slot().map(SourceFigures.Slot::retainedWalBytes);
    }

    public Optional<Long> applyLagMs() {
        return target.flatMap(t -> switch (t) {
            case TargetFigures.DmsTask dms -> Optional.ofNullable(dms.applyLagMs());
            case TargetFigures.Subscription subscription -> Optional.empty();
            case TargetFigures.PglogicalSubscription pglogical -> Optional.empty();
        });
    }

    /**
     * The furthest source position the target is known to hold: the slot's confirmed flush position, or the
     * subscription's last report to the source, whichever is further.
     */
    public Optional<Lsn> confirmedLsn() {
        Optional<Lsn> slot = source.slot().map(SourceFigures.Slot::confirmedFlushLsn);
        Optional<Lsn> reported = target.flatMap(t -> t instanceof TargetFigures.Subscription s
                ? Optional.ofNullable(s.latestEndLsn())
                : Optional.empty());
        if (slot.isPresent() && reported.isPresent()) {
            return Optional.of(slot.get().compareTo(reported.get()) >= 0 ? slot.get() : reported.get());
        }
        return slot.isPresent() ? slot : reported;
    }

    /**
     * A number that grows whenever the target applies something. LSN-based where the engine exposes one; DMS
     * without a slot only tells the source time of the last applied change.
     */
    public Optional<Long> appliedMarker() {
        Optional<Long> byLsn = confirmedLsn().map(Lsn::value);
        if (byLsn.isPresent()) {
            return byLsn;
        }
        return target.flatMap(t -> t instanceof TargetFigures.DmsTask dms && dms.sourceTimestampApplied() != null
                ? Optional.of(dms.sourceTimestampApplied().toEpochMilli())
                : Optional.empty());
    }

    /** Whether the source holds changes the target has not confirmed. */
    public boolean hasPendingChanges() {
        Optional<Lsn> confirmed = confirmedLsn();
        if (confirmed.isPresent()) {
            return source.currentLsn().compareTo(confirmed.get()) > 0;
        }
        return target.map(t -> t instanceof TargetFigures.DmsTask dms && dms.pendingChanges() > 0).orElse(true);
    }

    /** Whether the objects this engine needs exist: a slot where the engine uses one, and the target's view. */
    public boolean replicationExists(boolean slotExpected) {
        return target.isPresent() && (!slotExpected || source.slot().isPresent());
    }

    /** The same reading with the heartbeat's age, which is read apart from the engine's own figures. */
    public LagSample withHeartbeatLagMs(Optional<Long> lagMs) {
        return new LagSample(at, engine, source, target, lagMs);
    }

    /** The figures in one line for a person: what a failed wait or a stall looked like. */
    public String describe() {
        StringBuilder text = new StringBuilder("source WAL at ").append(source.currentLsn());
        source.slot().ifPresentOrElse(slot -> text.append(", slot ").append(slot.name())
                .append(slot.active() ? " (active)" : " (inactive)")
                .append(" confirmed ").append(slot.confirmedFlushLsn())
                .append(", slot lag ").append(slot.lagBytes()).append(" bytes")
                .append(", WAL retained ").append(slot.retainedWalBytes()).append(" bytes"),
                () -> text.append(", no slot"));
        target.ifPresentOrElse(t -> text.append(", ").append(switch (t) {
            case TargetFigures.Subscription s -> "subscription " + s.name() + (s.enabled() ? " enabled" : " disabled")
                    + (s.workerRunning() ? "" : " without apply worker") + ", received " + s.receivedLsn()
                    + ", latest end " + s.latestEndLsn() + " at " + s.latestEndTime();
            case TargetFigures.DmsTask d -> "DMS task " + d.task() + " " + d.status() + ", " + d.pendingChanges()
                    + " pending changes, apply lag " + d.applyLagMs() + " ms";
            case TargetFigures.PglogicalSubscription p -> "pglogical subscription " + p.name() + " " + p.status();
        }), () -> text.append(", no replication found on the target"));
        heartbeatLagMs.ifPresent(ms -> text.append(", heartbeat lag ").append(ms).append(" ms"));
        return text.toString();
    }
}
