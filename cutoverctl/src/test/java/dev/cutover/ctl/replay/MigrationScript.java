package dev.cutover.ctl.replay;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.Function;

import org.apache.avro.specific.SpecificRecord;

import dev.cutover.ctl.replay.CutoverScript.Line;
import dev.cutover.events.AbortMigration;
import dev.cutover.events.CleanupAction;
import dev.cutover.events.FindingSeverity;
import dev.cutover.events.FullLoadCompleted;
import dev.cutover.events.FullLoadResumed;
import dev.cutover.events.FullLoadSized;
import dev.cutover.events.Metadata;
import dev.cutover.events.MigrationCleanedUp;
import dev.cutover.events.MigrationPlanReported;
import dev.cutover.events.MigrationPlanned;
import dev.cutover.events.PlannedTable;
import dev.cutover.events.PreflightFinding;
import dev.cutover.events.PreflightReported;
import dev.cutover.events.ReportedTable;
import dev.cutover.events.MigrationReady;
import dev.cutover.events.MigrationRejected;
import dev.cutover.events.MigrationStarted;
import dev.cutover.events.MigrationStepStarted;
import dev.cutover.events.MigrationStopped;
import dev.cutover.events.StartMigration;
import dev.cutover.events.StepFailed;
import dev.cutover.events.TableCopied;
import dev.cutover.events.TableSize;

/** The messages of one migration as the services would write them, at fixed offsets from a start time. */
public final class MigrationScript {

    private final String migrationId;
    private final String database;
    private final Instant start;
    private final List<Line> lines = new ArrayList<>();

    private MigrationScript(String migrationId, String database, Instant start) {
        this.migrationId = migrationId;
        this.database = database;
        this.start = start;
    }

    public static MigrationScript of(String migrationId, String database, Instant start) {
        return new MigrationScript(migrationId, database, start);
    }

    /** StartMigration, the saga's start, preflight and pre-data done, the full load begun at +2 s. */
    public MigrationScript startedAndLoading() {
        var start = add(0, CutoverScript.COMMANDS, "cutoverctl", null, metadata -> StartMigration.newBuilder()
                .setMetadata(metadata).setOperator("alice").setReason("CHG-9").build());
        add(20, CutoverScript.EVENTS, "cutover-service", start, metadata -> MigrationStarted.newBuilder()
                .setMetadata(metadata).setOperator("alice").build());
        add(20, CutoverScript.EVENTS, "cutover-service", start, metadata -> MigrationPlanned.newBuilder()
                .setMetadata(metadata).setOperator("alice").setSteps(List.of("PREFLIGHT", "PRE_DATA", "FULL_LOAD"))
                .build());
        step(1_000, "PRE_DATA");
        step(2_000, "FULL_LOAD");
        return this;
    }

    /** One table of 10 MB copied at {@code atMs}. */
    public MigrationScript tableCopied(long atMs, String table) {
        add(atMs, CutoverScript.EVENTS, "replicator", null, metadata -> TableCopied.newBuilder().setMetadata(metadata)
                .setTable(table).setRows(1_000).setBytes(10_000_000).setDurationMs(500).build());
        return this;
    }

    /** FullLoadSized: each table with its size on the source, in MB. */
    public MigrationScript sized(long atMs, Map<String, Integer> megabytes) {
        add(atMs, CutoverScript.EVENTS, "replicator", null, metadata -> FullLoadSized.newBuilder().setMetadata(metadata)
                .setTables(megabytes.entrySet().stream().map(table -> TableSize.newBuilder().setTable(table.getKey())
                        .setBytes(table.getValue() * 1_000_000L).build()).toList())
                .build());
        return this;
    }

    public MigrationScript loaded(long atMs, int tables) {
        add(atMs, CutoverScript.EVENTS, "replicator", null, metadata -> FullLoadCompleted.newBuilder()
                .setMetadata(metadata).setSlot("cutover_slot_" + database).setTables(tables).setRows(tables * 1_000L)
                .setBytes(tables * 10_000_000L).build());
        return this;
    }

    /** FullLoadResumed: the tables kept (with their rows, in order) and those left to table synchronisation. */
    public MigrationScript resumed(long atMs, Map<String, Long> kept, List<String> withheld) {
        add(atMs, CutoverScript.EVENTS, "replicator", null, metadata -> FullLoadResumed.newBuilder()
                .setMetadata(metadata).setSlot("cutover_slot_" + database).setConsistentLsn("0/16B3748")
                .setKeptTables(new TreeMap<>(kept).entrySet().stream().map(table -> ReportedTable.newBuilder()
                        .setTable(table.getKey()).setRows(table.getValue()).build()).toList())
                .setWithheldTables(withheld).build());
        return this;
    }

    public MigrationScript ready(long atMs) {
        add(atMs, CutoverScript.EVENTS, "cutover-service", null, metadata -> MigrationReady.newBuilder()
                .setMetadata(metadata).build());
        return this;
    }

    public MigrationScript stopped(long atMs, String step, String reason) {
        add(atMs, CutoverScript.EVENTS, "cutover-service", null, metadata -> MigrationStopped.newBuilder()
                .setMetadata(metadata).setFailedStep(step).setReason(reason)
                .setOperatorAction("the replicator removes the subscription, the slot and the publication").build());
        return this;
    }

    public MigrationScript cleanedUp(long atMs) {
        add(atMs, CutoverScript.EVENTS, "replicator", null, metadata -> MigrationCleanedUp.newBuilder()
                .setMetadata(metadata).setActions(List.of(
                        action("TARGET", "SUBSCRIPTION", "cutover_sub_" + database, "DROPPED"),
                        action("SOURCE", "REPLICATION_SLOT", "cutover_slot_" + database, "DROPPED"),
                        action("SOURCE", "PUBLICATION", "cutover_pub_" + database, "NOT_PRESENT")))
                .build());
        return this;
    }

    /** The operator's AbortMigration, as {@code cutoverctl migrate abort} writes it. */
    public MigrationScript aborted(long atMs, String operator, String reason, boolean dropTargetTables) {
        add(atMs, CutoverScript.COMMANDS, "cutoverctl", null, metadata -> AbortMigration.newBuilder()
                .setMetadata(metadata).setOperator(operator).setReason(reason).setDropTargetTables(dropTargetTables)
                .build());
        return this;
    }

    /** A MigrationStopped with the advice the saga gives for a stop during the full load. */
    public MigrationScript stoppedWithPartialCopy(long atMs, String reason) {
        add(atMs, CutoverScript.EVENTS, "cutover-service", null, metadata -> MigrationStopped.newBuilder()
                .setMetadata(metadata).setFailedStep("FULL_LOAD").setReason(reason)
                .setOperatorAction("The target holds a partial copy. Run cutoverctl migrate abort --migration "
                        + migrationId + " --drop-target-tables: it drops the subscription, the replication slot, the"
                        + " publication and the target's tables, and reports each; then send StartMigration with a new"
                        + " migration id.").build());
        return this;
    }

    /** A clean-up that dropped the replication and the target's tables of schema public, or kept those tables. */
    public MigrationScript cleanedUpWithTables(long atMs, boolean tablesDropped) {
        add(atMs, CutoverScript.EVENTS, "replicator", null, metadata -> MigrationCleanedUp.newBuilder()
                .setMetadata(metadata).setActions(List.of(
                        action("TARGET", "SUBSCRIPTION", "cutover_sub_" + database, "DROPPED"),
                        action("SOURCE", "REPLICATION_SLOT", "cutover_slot_" + database, "NOT_PRESENT"),
                        action("SOURCE", "PUBLICATION", "cutover_pub_" + database, "DROPPED"),
                        tablesDropped ? action("TARGET", "TABLE", "public.items", "DROPPED")
                                : action("TARGET", "TABLE", "public.*", "KEPT")))
                .build());
        return this;
    }

    /** StartMigration for a dry run, as the operator sent it. */
    public MigrationScript dryRunRequested() {
        add(0, CutoverScript.COMMANDS, "cutoverctl", null, metadata -> StartMigration.newBuilder()
                .setMetadata(metadata).setOperator("mallory").setDryRun(true).build());
        return this;
    }

    /** A dry run's StartMigration, the saga's start and its MigrationPlanned, and no preflight answer yet. */
    public MigrationScript dryRunStarted() {
        dryRunBegun();
        return this;
    }

    /** What {@link #dryRunStarted} adds; the StartMigration's metadata, which the answers name as their cause. */
    private Metadata dryRunBegun() {
        var start = add(0, CutoverScript.COMMANDS, "cutoverctl", null, metadata -> StartMigration.newBuilder()
                .setMetadata(metadata).setOperator("alice").setDryRun(true).build());
        add(20, CutoverScript.EVENTS, "cutover-service", start, metadata -> MigrationStarted.newBuilder()
                .setMetadata(metadata).setOperator("alice").build());
        add(20, CutoverScript.EVENTS, "cutover-service", start, metadata -> MigrationPlanned.newBuilder()
                .setMetadata(metadata).setOperator("alice").setSteps(List.of("PREFLIGHT")).setDryRun(true).build());
        return start;
    }

    /** A participant could not carry out one of the saga's commands, e.g. the replicator its CleanUpMigration. */
    public MigrationScript stepFailed(long atMs, String producer, String command, String reason) {
        add(atMs, CutoverScript.EVENTS, producer, null, metadata -> StepFailed.newBuilder()
                .setMetadata(metadata).setStep(command).setReason(reason).build());
        return this;
    }

    private static CleanupAction action(String server, String kind, String name, String outcome) {
        return CleanupAction.newBuilder().setServer(server).setKind(kind).setName(name).setOutcome(outcome).build();
    }

    private void step(long atMs, String step) {
        add(atMs, CutoverScript.EVENTS, "cutover-service", null, metadata -> MigrationStepStarted.newBuilder()
                .setMetadata(metadata).setStep(step).setAttempt(1).build());
    }

    /** The saga's refusal, of an abort or of the start itself. */
    public MigrationScript rejected(long atMs, String reason) {
        add(atMs, CutoverScript.EVENTS, "cutover-service", null, metadata -> MigrationRejected.newBuilder()
                .setMetadata(metadata).setOperator("mallory").setReason(reason).build());
        return this;
    }

    /**
     * A dry run: StartMigration with dryRun, the saga's start, schema-service's preflight at +600 ms (one warning, and
     * the blocker when {@code blocked}) with two tables, then the saga's MigrationPlanReported at +620 ms, and its
     * MigrationStopped when blocked.
     */
    public MigrationScript dryRun(boolean blocked) {
        var start = dryRunBegun();
        var findings = new ArrayList<PreflightFinding>();
        findings.add(PreflightFinding.newBuilder().setSeverity(FindingSeverity.WARNING).setCheck("long_transaction")
                .setObject("pid 4711").setMessage("open for 2 h").setRemedy("end it before the migration").build());
        if (blocked) {
            findings.add(PreflightFinding.newBuilder().setSeverity(FindingSeverity.BLOCKER).setCheck("wal_level")
                    .setObject("server").setMessage("wal_level is replica, logical replication needs logical")
                    .setRemedy("set wal_level = logical and restart").build());
        }
        var tables = List.of(
                PlannedTable.newBuilder().setTable("public.items").setBytes(2_000_000).setEstimatedRows(10_000L).build(),
                PlannedTable.newBuilder().setTable("sales.orders").setBytes(55_000_000).build());
        add(600, CutoverScript.EVENTS, "schema-service", null, metadata -> PreflightReported.newBuilder()
                .setMetadata(metadata).setScope("MIGRATION").setFindings(findings).setBlockers(blocked ? 1 : 0)
                .setSchemas(List.of("public", "sales")).setTables(tables).build());
        add(620, CutoverScript.EVENTS, "cutover-service", null, metadata -> MigrationPlanReported.newBuilder()
                .setMetadata(metadata).setFindings(findings.size()).setBlockers(blocked ? 1 : 0)
                .setSchemas(List.of("public", "sales")).setTables(tables).setTotalBytes(57_000_000)
                .setFullLoadBytesPerSecond(57L * 1024 * 1024).setPredictedFullLoadMs(954).build());
        if (blocked) {
            stopped(620, "PREFLIGHT", "preflight found 1 blocker(s): wal_level on server");
        }
        return this;
    }

    /** StartMigration alone, as the operator sent it. */
    public MigrationScript requested() {
        add(0, CutoverScript.COMMANDS, "cutoverctl", null, metadata -> StartMigration.newBuilder()
                .setMetadata(metadata).setOperator("mallory").build());
        return this;
    }

    public List<LoggedRecord> records() {
        return CutoverScript.records(migrationId, lines);
    }

    public List<Line> lines() {
        return List.copyOf(lines);
    }

    private Metadata add(long atMs, String topic, String producer, Metadata cause,
            Function<Metadata, SpecificRecord> message) {
        var metadata = Metadata.newBuilder()
                .setMessageId(UUID.randomUUID())
                .setMigrationId(migrationId)
                .setDatabase(database)
                .setOccurredAt(start.plus(Duration.ofMillis(atMs)))
                .setCausationId(cause == null ? null : cause.getMessageId().toString())
                .setProducer(producer)
                .build();
        lines.add(new Line(topic, message.apply(metadata)));
        return metadata;
    }
}
