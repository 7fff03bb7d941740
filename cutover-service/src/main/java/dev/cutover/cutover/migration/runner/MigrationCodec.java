package dev.cutover.cutover.migration.runner;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.Supplier;

import org.apache.avro.specific.SpecificRecord;

import dev.cutover.cutover.migration.DataMismatch;
import dev.cutover.cutover.migration.DataVerification;
import dev.cutover.cutover.migration.DnsTtl;
import dev.cutover.cutover.migration.Finding;
import dev.cutover.cutover.migration.FullLoadRate;
import dev.cutover.cutover.migration.MigrationCommand;
import dev.cutover.cutover.migration.MigrationEvent;
import dev.cutover.cutover.migration.MigrationId;
import dev.cutover.cutover.migration.MigrationMessage;
import dev.cutover.cutover.migration.MigrationPlan;
import dev.cutover.cutover.migration.MigrationStep;
import dev.cutover.cutover.migration.SchemaSection;
import dev.cutover.cutover.migration.SourceLoad;
import dev.cutover.cutover.saga.DatabaseName;
import dev.cutover.cutover.saga.Operator;
import dev.cutover.events.FindingSeverity;
import dev.cutover.events.Metadata;
import dev.cutover.events.PlannedTable;
import dev.cutover.events.PreflightFinding;
import dev.cutover.events.SchemaDifference;
import dev.cutover.events.VerificationMode;

/**
 * Translates between the migration saga's domain records and the Avro messages on Kafka, in both directions for the
 * saga's own events (they are written, and read back to rebuild a migration after a restart).
 *
 * <p>One domain event is written as two messages: {@code MigrationStarted} announces the migration in the shape other
 * readers already know, and {@code MigrationPlanned}, in the same transaction, records what the saga needs to go on
 * after a restart (the operator, the parallelism, the DNS plan). Only the second is read back.
 */
final class MigrationCodec {

    /** Which command a participant's {@code StepFailed} names, by the command's Avro name. */
    private static final Map<String, Class<? extends MigrationCommand>> COMMANDS = Map.of(
            "CheckPreflight", MigrationCommand.CheckPreflight.class,
            "ApplySchema", MigrationCommand.ApplySchema.class,
            "CopyData", MigrationCommand.CopyData.class,
            "StartStreaming", MigrationCommand.StartStreaming.class,
            "VerifySchema", MigrationCommand.VerifySchema.class,
            "VerifyData", MigrationCommand.VerifyData.class,
            "LowerDnsTtl", MigrationCommand.LowerDnsTtl.class);

    private MigrationCodec() {
    }

    // ---- inbound: what the saga reacts to ----

    static MigrationMessage.StartMigration start(dev.cutover.events.StartMigration command, Optional<DnsTtl> dns,
            Optional<MigrationId> active, Optional<String> adoptedReplication) {
        Metadata metadata = command.getMetadata();
        return new MigrationMessage.StartMigration(migrationId(metadata), new DatabaseName(metadata.getDatabase()),
                new Operator(command.getOperator()), Math.max(0, command.getParallelism()), dns, active,
                command.getDryRun(), verification(command.getVerify()), adoptedReplication);
    }

    /** The verification an operator asked for; none (or a mode this version does not know) leaves it to the replicator. */
    static Optional<DataVerification> verification(VerificationMode mode) {
        return switch (mode) {
            case FULL -> Optional.of(DataVerification.FULL);
            case SAMPLED -> Optional.of(DataVerification.SAMPLED);
            case UNKNOWN -> Optional.empty();
            case null -> Optional.empty();
        };
    }

    private static VerificationMode mode(DataVerification verification) {
        return switch (verification) {
            case FULL -> VerificationMode.FULL;
            case SAMPLED -> VerificationMode.SAMPLED;
        };
    }

    /** The domain message for a participant's event about a migration, or empty when the saga does not react to it. */
    static Optional<MigrationMessage> inbound(SpecificRecord message) {
        return Optional.ofNullable(switch (message) {
            case dev.cutover.events.AbortMigration m -> new MigrationMessage.AbortMigration(
                    new Operator(orNotGiven(m.getOperator())),
                    Optional.ofNullable(m.getReason()).filter(reason -> !reason.isBlank()), m.getDropTargetTables());
            case dev.cutover.events.PreflightReported m -> new MigrationMessage.PreflightReported(
                    m.getFindings().stream().map(MigrationCodec::finding).toList(),
                    new SourceLoad(m.getSchemas(), tables(m.getTables())));
            case dev.cutover.events.SchemaApplied m when !m.getTables().isEmpty() ->
                    new MigrationMessage.PostDataOfTablesApplied(m.getTables());
            case dev.cutover.events.SchemaApplied m -> new MigrationMessage.SchemaApplied(section(m.getSection()));
            case dev.cutover.events.TableCopied m -> new MigrationMessage.TableCopied(m.getTable());
            case dev.cutover.events.FullLoadCompleted m ->
                    new MigrationMessage.FullLoadCompleted(m.getSlot(), m.getTables(), m.getRows());
            case dev.cutover.events.FullLoadResumed m -> new MigrationMessage.FullLoadResumed(m.getSlot(),
                    m.getKeptTables().stream().map(dev.cutover.events.ReportedTable::getTable).toList(),
                    m.getWithheldTables());
            case dev.cutover.events.ReplicationStreaming m ->
                    new MigrationMessage.ReplicationStreaming(m.getSlot(), m.getSubscription());
            case dev.cutover.events.SchemaVerified m -> new MigrationMessage.SchemaVerified(
                    m.getDifferences().stream().map(MigrationCodec::describe).toList());
            case dev.cutover.events.DataVerified m -> new MigrationMessage.DataVerified(m.getTables(), m.getRows(),
                    m.getMismatches().stream().map(MigrationCodec::mismatch).toList());
            case dev.cutover.events.DnsTtlChanged m ->
                    new MigrationMessage.DnsTtlChanged(m.getRecord(), Duration.ofSeconds(m.getTtlSeconds()));
            // A failure of a command that is not the migration's (StartMigration itself, a cutover's) is not an answer.
            case dev.cutover.events.StepFailed m -> COMMANDS.containsKey(m.getStep())
                    ? new MigrationMessage.StepFailed(COMMANDS.get(m.getStep()), orNotGiven(m.getReason()),
                            m.getRetryable())
                    : null;
            default -> null;
        });
    }

    private static Finding finding(PreflightFinding finding) {
        // UNKNOWN is what a severity added after this code reads as; only what is known to block stops a migration.
        Finding.Severity severity = finding.getSeverity() == FindingSeverity.BLOCKER
                ? Finding.Severity.BLOCKER
                : Finding.Severity.WARNING;
        return new Finding(severity, orNotGiven(finding.getCheck()), orNotGiven(finding.getObject()),
                orNotGiven(finding.getMessage()), Optional.ofNullable(finding.getRemedy()).filter(r -> !r.isBlank()));
    }

    private static PreflightFinding finding(Finding finding) {
        return PreflightFinding.newBuilder()
                .setSeverity(finding.isBlocker() ? FindingSeverity.BLOCKER : FindingSeverity.WARNING)
                .setCheck(finding.check()).setObject(finding.object()).setMessage(finding.message())
                .setRemedy(finding.remedy().orElse(null))
                .build();
    }

    private static List<SourceLoad.Table> tables(List<PlannedTable> tables) {
        return tables.stream().map(table -> new SourceLoad.Table(table.getTable(), Math.max(0, table.getBytes()),
                table.getEstimatedRows() == null ? OptionalLong.empty() : OptionalLong.of(table.getEstimatedRows())))
                .toList();
    }

    private static List<PlannedTable> tables(SourceLoad load) {
        return load.tables().stream().map(table -> PlannedTable.newBuilder().setTable(table.name())
                .setBytes(table.bytes())
                .setEstimatedRows(table.estimatedRows().isPresent() ? table.estimatedRows().getAsLong() : null)
                .build()).toList();
    }

    private static SchemaSection section(dev.cutover.events.SchemaSection section) {
        return switch (section) {
            case PRE_DATA -> SchemaSection.PRE_DATA;
            case POST_DATA -> SchemaSection.POST_DATA;
            case UNKNOWN -> throw new IllegalArgumentException(
                    "SchemaApplied names a schema section this service does not know; upgrade cutover-service");
        };
    }

    private static String describe(SchemaDifference difference) {
        return difference.getKind() + " " + difference.getObject()
                + (difference.getSource() == null ? "" : ", source: " + difference.getSource())
                + (difference.getTarget() == null ? "" : ", target: " + difference.getTarget());
    }

    private static DataMismatch mismatch(dev.cutover.events.DataMismatch mismatch) {
        return new DataMismatch(mismatch.getTable(), Optional.ofNullable(mismatch.getRange()), mismatch.getSourceRows(),
                mismatch.getTargetRows(), mismatch.getDetail() == null ? "" : mismatch.getDetail());
    }

    private static dev.cutover.events.DataMismatch mismatch(DataMismatch mismatch) {
        return dev.cutover.events.DataMismatch.newBuilder()
                .setTable(mismatch.table()).setRange(mismatch.range().orElse(null))
                .setSourceRows(mismatch.sourceRows()).setTargetRows(mismatch.targetRows())
                .setDetail(mismatch.detail())
                .build();
    }

    // ---- outbound: the saga's commands ----

    static SpecificRecord command(MigrationCommand command, Metadata metadata) {
        return switch (command) {
            case MigrationCommand.CheckPreflight c -> dev.cutover.events.CheckPreflight.newBuilder()
                    .setMetadata(metadata).setScope("MIGRATION").build();
            case MigrationCommand.ApplySchema c -> dev.cutover.events.ApplySchema.newBuilder()
                    .setMetadata(metadata).setSection(switch (c.section()) {
                        case PRE_DATA -> dev.cutover.events.SchemaSection.PRE_DATA;
                        case POST_DATA -> dev.cutover.events.SchemaSection.POST_DATA;
                    })
                    .setParallelism(c.parallelism()).setTables(c.tables())
                    .setWithheldTables(c.withheldTables()).build();
            case MigrationCommand.CopyData c -> dev.cutover.events.CopyData.newBuilder()
                    .setMetadata(metadata).setParallelism(c.parallelism()).build();
            case MigrationCommand.StartStreaming c -> dev.cutover.events.StartStreaming.newBuilder()
                    .setMetadata(metadata).setVerify(c.verification().map(MigrationCodec::mode).orElse(null)).build();
            case MigrationCommand.VerifySchema c -> dev.cutover.events.VerifySchema.newBuilder()
                    .setMetadata(metadata).setWithheldTables(c.withheldTables()).build();
            case MigrationCommand.VerifyData c -> dev.cutover.events.VerifyData.newBuilder()
                    .setMetadata(metadata).setMode(c.mode().map(MigrationCodec::mode).orElse(null)).build();
            case MigrationCommand.CleanUp c -> dev.cutover.events.CleanUpMigration.newBuilder()
                    .setMetadata(metadata).setDropTargetTables(c.dropTargetTables()).build();
            case MigrationCommand.LowerDnsTtl c -> dev.cutover.events.LowerDnsTtl.newBuilder()
                    .setMetadata(metadata).setRecord(c.recordName()).setTtlSeconds((int) c.ttl().toSeconds()).build();
        };
    }

    // ---- the saga's own events, both ways ----

    /** Every message gets its own metadata (its own message id), hence the supplier. */
    static List<SpecificRecord> event(MigrationEvent event, Supplier<Metadata> metadata) {
        return switch (event) {
            case MigrationEvent.MigrationStarted e -> List.of(
                    dev.cutover.events.MigrationStarted.newBuilder()
                            .setMetadata(metadata.get()).setOperator(e.operator().value()).build(),
                    dev.cutover.events.MigrationPlanned.newBuilder()
                            .setMetadata(metadata.get())
                            .setOperator(e.operator().value())
                            .setSteps(e.plan().steps().stream().map(MigrationStep::name).toList())
                            .setParallelism(e.plan().parallelism())
                            .setDnsRecord(e.plan().dns().map(DnsTtl::recordName).orElse(null))
                            .setDnsTtlSeconds(e.plan().dns().map(dns -> (int) dns.ttl().toSeconds()).orElse(null))
                            .setDryRun(e.plan().dryRun())
                            .setVerify(e.plan().verification().map(MigrationCodec::mode).orElse(null))
                            .build());
            case MigrationEvent.MigrationPlanReported e -> List.of(dev.cutover.events.MigrationPlanReported.newBuilder()
                    .setMetadata(metadata.get()).setFindings(e.findings()).setBlockers(e.blockers())
                    .setSchemas(e.load().schemas()).setTables(tables(e.load())).setTotalBytes(e.load().totalBytes())
                    .setFullLoadBytesPerSecond(e.rate().bytesPerSecond())
                    .setPredictedFullLoadMs(e.predictedFullLoad().toMillis()).build());
            case MigrationEvent.MigrationRejected e -> List.of(dev.cutover.events.MigrationRejected.newBuilder()
                    .setMetadata(metadata.get()).setOperator(e.operator().value()).setReason(e.reason()).build());
            case MigrationEvent.MigrationStepStarted e -> List.of(dev.cutover.events.MigrationStepStarted.newBuilder()
                    .setMetadata(metadata.get()).setStep(e.step().name()).setAttempt(e.attempt())
                    .setTablesToSync(e.tablesToSync()).build());
            case MigrationEvent.MigrationDataMismatched e -> List.of(
                    dev.cutover.events.MigrationDataMismatched.newBuilder()
                            .setMetadata(metadata.get()).setAttempt(e.attempt())
                            .setMismatches(e.mismatches().stream().map(MigrationCodec::mismatch).toList())
                            .setRetryAt(e.retryAt()).build());
            case MigrationEvent.MigrationStepRetrying e -> List.of(dev.cutover.events.MigrationStepRetrying.newBuilder()
                    .setMetadata(metadata.get()).setStep(e.step().name()).setAttempt(e.attempt())
                    .setReason(e.reason()).setRetryAt(e.retryAt()).build());
            case MigrationEvent.MigrationStopped e -> List.of(dev.cutover.events.MigrationStopped.newBuilder()
                    .setMetadata(metadata.get()).setFailedStep(e.failedStep().name()).setReason(e.reason())
                    .setFindings(e.findings().stream().map(MigrationCodec::finding).toList())
                    .setOperatorAction(e.operatorAction()).build());
            case MigrationEvent.MigrationReady e -> List.of(dev.cutover.events.MigrationReady.newBuilder()
                    .setMetadata(metadata.get()).build());
        };
    }

    /** The saga event an Avro message records, or empty for everything the saga does not fold. */
    static Optional<MigrationEvent> sagaEvent(SpecificRecord message) {
        return Optional.ofNullable(switch (message) {
            case dev.cutover.events.MigrationPlanned m -> new MigrationEvent.MigrationStarted(
                    migrationId(m.getMetadata()), new DatabaseName(m.getMetadata().getDatabase()),
                    new Operator(m.getOperator()),
                    new MigrationPlan(m.getParallelism(), m.getDnsRecord() == null ? Optional.empty()
                            : Optional.of(new DnsTtl(m.getDnsRecord(), Duration.ofSeconds(
                                    m.getDnsTtlSeconds() == null ? 0 : m.getDnsTtlSeconds()))), m.getDryRun(),
                            verification(m.getVerify())),
                    at(m.getMetadata()));
            case dev.cutover.events.MigrationPlanReported m -> new MigrationEvent.MigrationPlanReported(
                    m.getFindings(), m.getBlockers(), new SourceLoad(m.getSchemas(), tables(m.getTables())),
                    new FullLoadRate(m.getFullLoadBytesPerSecond()), Duration.ofMillis(m.getPredictedFullLoadMs()),
                    at(m.getMetadata()));
            case dev.cutover.events.MigrationRejected m -> new MigrationEvent.MigrationRejected(
                    migrationId(m.getMetadata()), new DatabaseName(m.getMetadata().getDatabase()),
                    new Operator(orNotGiven(m.getOperator())), m.getReason(), at(m.getMetadata()));
            case dev.cutover.events.MigrationStepStarted m -> new MigrationEvent.MigrationStepStarted(
                    MigrationStep.valueOf(m.getStep()), m.getAttempt(), at(m.getMetadata()),
                    m.getTablesToSync().stream().map(CharSequence::toString).toList());
            case dev.cutover.events.MigrationDataMismatched m -> new MigrationEvent.MigrationDataMismatched(
                    m.getAttempt(), m.getMismatches().stream().map(MigrationCodec::mismatch).toList(), m.getRetryAt(),
                    at(m.getMetadata()));
            case dev.cutover.events.MigrationStepRetrying m -> new MigrationEvent.MigrationStepRetrying(
                    MigrationStep.valueOf(m.getStep()), m.getAttempt(), m.getReason(), m.getRetryAt(),
                    at(m.getMetadata()));
            case dev.cutover.events.MigrationStopped m -> new MigrationEvent.MigrationStopped(
                    MigrationStep.valueOf(m.getFailedStep()), m.getReason(),
                    m.getFindings().stream().map(MigrationCodec::finding).toList(), m.getOperatorAction(),
                    at(m.getMetadata()));
            case dev.cutover.events.MigrationReady m -> new MigrationEvent.MigrationReady(at(m.getMetadata()));
            default -> null;
        });
    }

    /** Whether the saga wrote this message itself, so it must not react to it as to a participant's answer. */
    static boolean isOwn(SpecificRecord message) {
        return message instanceof dev.cutover.events.MigrationStarted || sagaEvent(message).isPresent();
    }

    /** The time a saga event records: when it was written, which is when the saga decided it. */
    static Instant timeOf(MigrationEvent event) {
        return switch (event) {
            case MigrationEvent.MigrationStarted e -> e.startedAt();
            case MigrationEvent.MigrationRejected e -> e.rejectedAt();
            case MigrationEvent.MigrationStepStarted e -> e.startedAt();
            case MigrationEvent.MigrationPlanReported e -> e.reportedAt();
            case MigrationEvent.MigrationDataMismatched e -> e.notedAt();
            case MigrationEvent.MigrationStepRetrying e -> e.notedAt();
            case MigrationEvent.MigrationStopped e -> e.stoppedAt();
            case MigrationEvent.MigrationReady e -> e.readyAt();
        };
    }

    static MigrationId migrationId(Metadata metadata) {
        if (metadata.getMigrationId() == null) {
            throw new IllegalArgumentException("message " + metadata.getMessageId() + " carries no metadata.migrationId");
        }
        return new MigrationId(metadata.getMigrationId());
    }

    private static Instant at(Metadata metadata) {
        return metadata.getOccurredAt();
    }

    private static String orNotGiven(String text) {
        return text == null || text.isBlank() ? "not given" : text;
    }
}
