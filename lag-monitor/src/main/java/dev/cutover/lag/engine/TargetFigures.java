package dev.cutover.lag.engine;

import java.time.Instant;

/** What the target says about the replication that feeds it, in the engine's own terms. */
public sealed interface TargetFigures {

    /** Whether the engine's applying process exists and is meant to run; false means it cannot catch up by itself. */
    boolean applierRunning();

    /**
     * A native subscription: {@code pg_subscription} joined with its apply worker in {@code pg_stat_subscription}.
     *
     * @param latestEndLsn  the last position reported back to the source's walsender; null until the first report
     * @param latestEndTime when that report was made
     */
    record Subscription(String name, boolean enabled, boolean workerRunning, Lsn receivedLsn, Lsn latestEndLsn,
            Instant latestEndTime) implements TargetFigures {

        @Override
        public boolean applierRunning() {
            return enabled && workerRunning;
        }
    }

    /**
     * The newest row of DMS's {@code awsdms_status}, and the latest CDC latency of {@code awsdms_history}.
     *
     * @param applyLagMs        STATUS_TIME - SOURCE_TIMESTAMP_APPLIED, DMS's own measure of apply lag
     * @param historyLatencyMs  TIMESLOT_LATENCY of the newest change-processing time slot (DMS writes seconds)
     */
    record DmsTask(String task, String status, Instant statusTime, long pendingChanges, Instant sourceTimestampApplied,
            Long applyLagMs, Long historyLatencyMs) implements TargetFigures {

        /** DMS's TASK_STATUS while it applies changes. */
        static final String CHANGE_PROCESSING = "CHANGE PROCESSING";

        @Override
        public boolean applierRunning() {
            return status != null && !status.equalsIgnoreCase("NOT RUNNING");
        }
    }

    /**
     * One row of {@code pglogical.show_subscription_status()}.
     *
     * @param status replicating, initializing, down, disabled or unknown, as pglogical reports it
     */
    record PglogicalSubscription(String name, String status, String providerNode, String slotName)
            implements TargetFigures {

        @Override
        public boolean applierRunning() {
            return "replicating".equals(status) || "initializing".equals(status);
        }
    }
}
