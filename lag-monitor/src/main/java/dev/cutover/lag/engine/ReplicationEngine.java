package dev.cutover.lag.engine;

import java.util.Optional;

/** How one database is replicated, and the names of the objects that show its progress. */
public sealed interface ReplicationEngine {

    EngineKind kind();

    /** The logical replication slot on the source whose confirmed position proves what the target holds. */
    Optional<String> slot();

    /**
     * PostgreSQL's own logical replication: a publication and slot on the source, a subscription on the target.
     *
     * @param subscription the subscription's name on the target
     * @param slotName     the slot on the source; PostgreSQL names it after the subscription unless told otherwise
     */
    record Native(String subscription, String slotName) implements ReplicationEngine {

        public Native {
            require(subscription, "subscription", "the subscription's name on the target (pg_subscription.subname)");
            slotName = slotName == null || slotName.isBlank() ? subscription : slotName;
        }

        @Override
        public EngineKind kind() {
            return EngineKind.NATIVE;
        }

        @Override
        public Optional<String> slot() {
            return Optional.of(slotName);
        }
    }

    /**
     * AWS DMS: its control tables {@code awsdms_status} and {@code awsdms_history} on the target.
     *
     * @param controlSchema the task's ControlSchema (where DMS creates its control tables)
     * @param task          the task's resource id in TASK_NAME; empty to take the newest status row
     * @param slotName      the slot DMS reads on a PostgreSQL source; needed to prove a canary's LSN was applied
     */
    record Dms(String controlSchema, Optional<String> task, Optional<String> slotName) implements ReplicationEngine {

        public Dms {
            require(controlSchema, "dms-control-schema", "the DMS task's ControlSchema, public unless the task sets one");
        }

        @Override
        public EngineKind kind() {
            return EngineKind.DMS;
        }

        @Override
        public Optional<String> slot() {
            return slotName;
        }
    }

    /**
     * pglogical 2: {@code pglogical.show_subscription_status()} on the target, its slot on the source.
     *
     * @param subscription the pglogical subscription's name
     * @param slotName     the slot on the source; empty to take the one the subscription reports
     */
    record Pglogical(String subscription, Optional<String> slotName) implements ReplicationEngine {

        public Pglogical {
            require(subscription, "subscription", "the pglogical subscription's name");
        }

        @Override
        public EngineKind kind() {
            return EngineKind.PGLOGICAL;
        }

        @Override
        public Optional<String> slot() {
            return slotName;
        }
    }

    private static void require(String value, String setting, String meaning) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("set " + setting + ": " + meaning);
        }
    }
}
