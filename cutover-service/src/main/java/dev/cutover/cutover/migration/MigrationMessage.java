package dev.cutover.cutover.migration;

import dev.cutover.cutover.saga.DatabaseName;
import dev.cutover.cutover.saga.Operator;
import dev.cutover.cutover.saga.Text;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What the migration saga reacts to: the operator's start, the participants' answers and the passing of time.
 * Envelope data (message id, causation, timestamp) stays with the adapter.
 */
public sealed interface MigrationMessage {

    /**
     * An operator asks for a migration.
     *
     * @param dns             the DNS plan configured for the database, if any: only then is the TTL lowered
     * @param activeMigration the migration already active for this database, as the runner found it in its registry;
     *                        the decider only sees one migration's history, so it cannot know this itself
     * @param dryRun          only plan: run the preflight and report what a migration would move
     * @param verification    how {@code VerifyData} compares the data; empty: the replicator's setting
     * @param adoptedReplication the replication someone else runs for this database, as configured (its
     *                        subscription and publication), if it is adopted: its target is filled by it already
     */
    record StartMigration(
            MigrationId migrationId,
            DatabaseName database,
            Operator operator,
            int parallelism,
            Optional<DnsTtl> dns,
            Optional<MigrationId> activeMigration,
            boolean dryRun,
            Optional<DataVerification> verification,
            Optional<String> adoptedReplication) implements MigrationMessage {

        public StartMigration {
            Objects.requireNonNull(migrationId, "migrationId must not be null");
            Objects.requireNonNull(database, "database must not be null");
            Objects.requireNonNull(operator, "operator must not be null");
            if (parallelism < 0) {
                throw new IllegalArgumentException("parallelism must not be negative, was " + parallelism);
            }
            Objects.requireNonNull(dns, "dns must not be null");
            Objects.requireNonNull(activeMigration, "activeMigration must not be null");
            Objects.requireNonNull(verification, "verification must not be null");
            Objects.requireNonNull(adoptedReplication, "adoptedReplication must not be null");
        }

        /** A start of a database whose replication the migration creates. */
        public StartMigration(MigrationId migrationId, DatabaseName database, Operator operator, int parallelism,
                Optional<DnsTtl> dns, Optional<MigrationId> activeMigration, boolean dryRun,
                Optional<DataVerification> verification) {
            this(migrationId, database, operator, parallelism, dns, activeMigration, dryRun, verification,
                    Optional.empty());
        }

        /** A start that leaves the verification to the replicator's setting. */
        public StartMigration(MigrationId migrationId, DatabaseName database, Operator operator, int parallelism,
                Optional<DnsTtl> dns, Optional<MigrationId> activeMigration, boolean dryRun) {
            this(migrationId, database, operator, parallelism, dns, activeMigration, dryRun, Optional.empty());
        }

        /** A real migration. */
        public StartMigration(MigrationId migrationId, DatabaseName database, Operator operator, int parallelism,
                Optional<DnsTtl> dns, Optional<MigrationId> activeMigration) {
            this(migrationId, database, operator, parallelism, dns, activeMigration, false);
        }
    }

    /**
     * An operator asks to stop the migration and remove what it created.
     *
     * @param reason           why, for the audit trail; empty when not given
     * @param dropTargetTables also drop the target's tables of the database's schemas
     */
    record AbortMigration(Operator operator, Optional<String> reason, boolean dropTargetTables)
            implements MigrationMessage {

        public AbortMigration {
            Objects.requireNonNull(operator, "operator must not be null");
            Objects.requireNonNull(reason, "reason must not be null");
        }
    }

    /** A participant's successful answer to the command of one step. */
    sealed interface StepOutcome extends MigrationMessage {

        /** The step whose command this answers. */
        MigrationStep step();
    }

    /**
     * Schema-service ran the migration checks; any blocker stops the migration before it touches anything.
     *
     * @param load what the full load would move, as schema-service measured it on the source
     */
    record PreflightReported(List<Finding> findings, SourceLoad load) implements StepOutcome {

        public PreflightReported {
            findings = List.copyOf(findings);
            Objects.requireNonNull(load, "load must not be null");
        }

        /** Findings alone, the load unknown. */
        public PreflightReported(List<Finding> findings) {
            this(findings, SourceLoad.UNKNOWN);
        }

        public List<Finding> blockers() {
            return findings.stream().filter(Finding::isBlocker).toList();
        }

        @Override
        public MigrationStep step() {
            return MigrationStep.PREFLIGHT;
        }
    }

    /** Schema-service applied one section of the schema to the target. */
    record SchemaApplied(SchemaSection section) implements StepOutcome {

        public SchemaApplied {
            Objects.requireNonNull(section, "section must not be null");
        }

        @Override
        public MigrationStep step() {
            return switch (section) {
                case PRE_DATA -> MigrationStep.PRE_DATA;
                case POST_DATA -> MigrationStep.POST_DATA;
            };
        }
    }

    /**
     * The replicator copied one table completely while the full load goes on: its indexes and keys can be built now,
     * alongside the copy of the other tables.
     *
     * @param table {@code schema.table}
     */
    record TableCopied(String table) implements MigrationMessage {

        public TableCopied {
            Text.notBlank(table, "table");
        }
    }

    /**
     * Schema-service built the indexes and keys of some copied tables. It only reports progress: the post-data step
     * ends with the answer to the command for the whole section, which schema-service handles after every command
     * for single tables sent before it (one migration's commands share a key, so one consumer takes them in order).
     */
    record PostDataOfTablesApplied(List<String> tables) implements MigrationMessage {

        public PostDataOfTablesApplied {
            tables = List.copyOf(tables);
            if (tables.isEmpty()) {
                throw new IllegalArgumentException("post-data of tables names at least one table");
            }
        }
    }

    /** The replicator copied every table from the slot's snapshot. */
    record FullLoadCompleted(String slot, int tables, long rows) implements StepOutcome {

        public FullLoadCompleted {
            Text.notBlank(slot, "slot");
        }

        @Override
        public MigrationStep step() {
            return MigrationStep.FULL_LOAD;
        }
    }

    /**
     * The replicator took up an interrupted load instead of copying it again: the load is done for the migration as with
     * {@link FullLoadCompleted}. The withheld tables are copied by the subscription's table synchronisation, which the
     * replicator waits for before it reports streaming.
     */
    record FullLoadResumed(String slot, List<String> keptTables, List<String> withheldTables) implements StepOutcome {

        public FullLoadResumed {
            Text.notBlank(slot, "slot");
            keptTables = List.copyOf(keptTables);
            withheldTables = List.copyOf(withheldTables);
        }

        @Override
        public MigrationStep step() {
            return MigrationStep.FULL_LOAD;
        }
    }

    /** The target is subscribed to the slot and receives every change made since the snapshot. */
    record ReplicationStreaming(String slot, String subscription) implements StepOutcome {

        public ReplicationStreaming {
            Text.notBlank(slot, "slot");
            Text.notBlank(subscription, "subscription");
        }

        @Override
        public MigrationStep step() {
            return MigrationStep.STREAMING;
        }
    }

    /** Schema-service compared the schemas; every difference is one line. */
    record SchemaVerified(List<String> differences) implements StepOutcome {

        public SchemaVerified {
            differences = List.copyOf(differences);
        }

        @Override
        public MigrationStep step() {
            return MigrationStep.VERIFY_SCHEMA;
        }
    }

    /** The replicator compared the rows of {@code tables} tables. */
    record DataVerified(int tables, long rows, List<DataMismatch> mismatches) implements StepOutcome {

        public DataVerified {
            mismatches = List.copyOf(mismatches);
        }

        @Override
        public MigrationStep step() {
            return MigrationStep.VERIFY_DATA;
        }
    }

    /** The DNS switcher set the record's TTL. */
    record DnsTtlChanged(String recordName, Duration ttl) implements StepOutcome {

        public DnsTtlChanged {
            Text.notBlank(recordName, "recordName");
            Text.notNegative(ttl, "ttl");
        }

        @Override
        public MigrationStep step() {
            return MigrationStep.LOWER_DNS_TTL;
        }
    }

    /**
     * A participant could not carry out a command; {@code reason} is meant for the person on call.
     *
     * @param command the kind of command that failed: participants name the command, not the step
     */
    record StepFailed(Class<? extends MigrationCommand> command, String reason, boolean retryable)
            implements MigrationMessage {

        public StepFailed {
            Objects.requireNonNull(command, "command must not be null");
            Text.notBlank(reason, "reason");
        }
    }

    /** Time has passed: deadlines are judged against the decider's {@code now}. */
    record Tick() implements MigrationMessage {
    }
}
