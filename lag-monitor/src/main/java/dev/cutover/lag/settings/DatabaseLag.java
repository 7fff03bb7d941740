package dev.cutover.lag.settings;

import java.time.Duration;
import java.util.Optional;

import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

import dev.cutover.lag.engine.EngineKind;
import dev.cutover.lag.engine.ReplicationEngine;
import dev.cutover.lag.state.Thresholds;
import dev.cutover.platform.database.Replication;

/**
 * How one database's replication is observed, under {@code cutover.lag.databases.<name>}. Where it is and how
 * to log in comes from {@code cutover.databases.<name>}.
 *
 * @param engine            native, dms or pglogical
 * @param interval          how often lag is read, the heartbeat written and {@code LagReported} published
 * @param stallAfter        how long the source may write while the target confirms nothing before STALLED
 * @param catchingUpBytes   slot lag from which the state is CATCHING_UP
 * @param catchingUpDelay   apply or heartbeat lag from which the state is CATCHING_UP; above one interval,
 *                          because the heartbeat's age saws between 0 and one interval
 * @param heartbeat         whether to write {@code cutover.heartbeat} on the source every interval
 * @param subscription      native: overrides {@code cutover.databases.<name>.replication.subscription}, which every
 *                          service shares (unset: that one); pglogical: the subscription's name on the target
 * @param slot              the replication slot on the source (native: overrides the shared
 *                          {@code cutover.databases.<name>.replication.slot}, or with {@code subscription} set
 *                          defaults to its name as before; pglogical: to the one it reports; dms: the task's slot,
 *                          needed to prove catch-up)
 * @param dmsControlSchema  dms: the task's ControlSchema, where awsdms_status and awsdms_history live
 * @param dmsTask           dms: TASK_NAME to read; empty takes the newest status row
 * @param staleWriterWatch  how long after a fence the source is watched for writes that still commit
 * @param slotIdleWarning   how long the slot may have no reader while the source keeps WAL for it before
 *                          {@code ReplicationSlotIdle} and a warning; more than one interval
 */
public record DatabaseLag(
        @DefaultValue("native") EngineKind engine,
        @DefaultValue("1s") Duration interval,
        @DefaultValue("10s") Duration stallAfter,
        @DefaultValue("1MB") DataSize catchingUpBytes,
        @DefaultValue("5s") Duration catchingUpDelay,
        @DefaultValue("true") boolean heartbeat,
        String subscription,
        String slot,
        @DefaultValue("public") String dmsControlSchema,
        String dmsTask,
        @DefaultValue("1h") Duration staleWriterWatch,
        @DefaultValue("10m") Duration slotIdleWarning) {

    public DatabaseLag {
        if (interval == null || interval.toMillis() < 10) {
            throw new IllegalArgumentException("interval must be at least 10ms, was " + interval);
        }
        if (catchingUpDelay != null && catchingUpDelay.compareTo(interval) <= 0) {
            throw new IllegalArgumentException("catching-up-delay (" + catchingUpDelay + ") must exceed interval ("
                    + interval + "): the heartbeat's age alone reaches one interval between beats");
        }
        if (staleWriterWatch == null || staleWriterWatch.isNegative()) {
            throw new IllegalArgumentException("stale-writer-watch must not be negative, was " + staleWriterWatch);
        }
        if (slotIdleWarning == null || slotIdleWarning.compareTo(interval) <= 0) {
            throw new IllegalArgumentException("slot-idle-warning (" + slotIdleWarning + ") must exceed interval ("
                    + interval + "): a slot is judged once per interval; the default is 10m");
        }
        new Thresholds(stallAfter, catchingUpBytes == null ? -1 : catchingUpBytes.toBytes(), catchingUpDelay, true);
        // Native replication without its own names takes the shared ones, known only with the database's name.
        if (engine != EngineKind.NATIVE || subscription != null && !subscription.isBlank()) {
            replicationEngine(engine, subscription, slot, dmsControlSchema, dmsTask);
        }
    }

    /**
     * The engine to read. Native replication is named by {@code shared}, the replication every service uses,
     * unless this database's lag settings name a subscription of their own (the older settings, kept as overrides).
     */
    public ReplicationEngine replicationEngine(Replication shared) {
        if (engine == EngineKind.NATIVE && (subscription == null || subscription.isBlank())) {
            return replicationEngine(engine, shared.subscription(), slot == null || slot.isBlank() ? shared.slot() : slot,
                    dmsControlSchema, dmsTask);
        }
        return replicationEngine(engine, subscription, slot, dmsControlSchema, dmsTask);
    }

    public Thresholds thresholds() {
        return new Thresholds(stallAfter, catchingUpBytes.toBytes(), catchingUpDelay, engine != EngineKind.DMS
                || slot != null && !slot.isBlank());
    }

    private static ReplicationEngine replicationEngine(EngineKind engine, String subscription, String slot,
            String dmsControlSchema, String dmsTask) {
        if (engine == null) {
            throw new IllegalArgumentException("set engine: native, dms or pglogical");
        }
        return switch (engine) {
            case NATIVE -> new ReplicationEngine.Native(subscription, slot);
            case DMS -> new ReplicationEngine.Dms(dmsControlSchema, optional(dmsTask), optional(slot));
            case PGLOGICAL -> new ReplicationEngine.Pglogical(subscription, optional(slot));
        };
    }

    private static Optional<String> optional(String value) {
        return value == null || value.isBlank() ? Optional.empty() : Optional.of(value);
    }
}
