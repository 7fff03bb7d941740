package dev.cutover.schema;

import java.util.List;
import java.util.function.Supplier;

import org.apache.avro.specific.SpecificRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.cutover.events.ApplySchema;
import dev.cutover.events.CheckPreflight;
import dev.cutover.events.FindingSeverity;
import dev.cutover.events.Metadata;
import dev.cutover.events.PlannedTable;
import dev.cutover.events.PreflightFinding;
import dev.cutover.events.PreflightReported;
import dev.cutover.events.SchemaApplied;
import dev.cutover.events.SchemaDifference;
import dev.cutover.events.SchemaSection;
import dev.cutover.events.SchemaVerified;
import dev.cutover.events.SequencesSynced;
import dev.cutover.events.SyncSequences;
import dev.cutover.events.VerifySchema;
import dev.cutover.platform.MessagePublisher;
import dev.cutover.platform.StepFailedRecoverer;
import dev.cutover.platform.StepFailure;
import dev.cutover.platform.database.DatabasePair;
import dev.cutover.platform.database.DatabasesSettings;
import dev.cutover.platform.database.LoadTables.LoadTable;
import dev.cutover.schema.preflight.CutoverPreflight;
import dev.cutover.schema.preflight.Finding;
import dev.cutover.schema.preflight.MigrationLoad;
import dev.cutover.schema.preflight.PreflightChecker;
import dev.cutover.schema.preflight.Scope;
import dev.cutover.schema.preflight.Severity;
import dev.cutover.schema.section.PostDataBuilder;
import dev.cutover.schema.section.PreDataApplier;
import dev.cutover.schema.section.SectionReport;
import dev.cutover.schema.section.TablePostData;
import dev.cutover.schema.sequences.SequenceSync;
import dev.cutover.schema.sequences.SyncReport;
import dev.cutover.schema.verify.Difference;
import dev.cutover.schema.verify.SchemaVerifier;

/**
 * What the service does for each command it owns: map the Avro command to the domain, do the work,
 * answer with an event. Failures are thrown as {@link StepFailure}; the platform answers those with
 * {@code StepFailed}.
 */
class SchemaCommands {

    private static final Logger log = LoggerFactory.getLogger(SchemaCommands.class);

    private final DatabasesSettings databases;
    private final SchemaSettings settings;
    private final PreflightChecker preflight;
    private final CutoverPreflight cutoverPreflight;
    private final PreDataApplier preData;
    private final PostDataBuilder postData;
    private final SchemaVerifier verifier;
    private final SequenceSync sequences;
    private final MessagePublisher publisher;
    private final StepFailedRecoverer failures;
    private final TablePostData tablePostData;
    private final HandledCommands handled;

    SchemaCommands(DatabasesSettings databases, SchemaSettings settings, PreflightChecker preflight,
            CutoverPreflight cutoverPreflight, PreDataApplier preData, PostDataBuilder postData, SchemaVerifier verifier,
            SequenceSync sequences, MessagePublisher publisher, StepFailedRecoverer failures) {
        this.databases = databases;
        this.settings = settings;
        this.preflight = preflight;
        this.cutoverPreflight = cutoverPreflight;
        this.preData = preData;
        this.postData = postData;
        this.verifier = verifier;
        this.sequences = sequences;
        this.publisher = publisher;
        this.failures = failures;
        this.tablePostData = new TablePostData(settings.postDataTablesAtOnce());
        this.handled = new HandledCommands(settings.rememberedCommands());
    }

    void checkPreflight(CheckPreflight command) {
        answer(command.getMetadata(), () -> {
            Scope scope = scopeOf(command.getScope());
            DatabasePair pair = pair(command.getMetadata());
            List<Finding> findings = scope == Scope.CUTOVER ? cutover(pair, command.getMetadata().getDatabase())
                    : preflight.run(pair, scope).findings();
            // A migration's plan, and its dry run, say what the load would move; the findings are about the same tables.
            MigrationLoad load = scope == Scope.MIGRATION ? MigrationLoad.read(pair) : new MigrationLoad(List.of(),
                    List.of());
            return PreflightReported.newBuilder()
                    .setMetadata(publisher.answering(command.getMetadata()))
                    .setScope(scope.name())
                    .setFindings(findings.stream().map(SchemaCommands::toAvro).toList())
                    .setBlockers((int) findings.stream().filter(f -> f.severity() == Severity.BLOCKER).count())
                    .setSchemas(load.schemas())
                    .setTables(load.tables().stream().map(SchemaCommands::toAvro).toList())
                    .build();
        });
    }

    /** The facts and, beside them, the proof that the fence's canary can reach the target: before anything disruptive. */
    private List<Finding> cutover(DatabasePair pair, String database) {
        CutoverPreflight.Result result = cutoverPreflight.run(pair, database, databases.replication(database));
        // The switch follows within seconds: its sequences need not wait for a login then.
        sequences.ready(pair);
        PreflightChecker.Report facts = result.facts();
        log.info("preflight CUTOVER {}: facts {} ms (source {} ms, target {} ms at once), passwords {} ms, proof {} ms"
                        + " beside them, {} findings", database, facts.facts().toMillis(), facts.source().toMillis(),
                facts.target().toMillis(), facts.passwords().toMillis(), result.proof().toMillis(),
                result.findings().size());
        return result.findings();
    }

    /**
     * A copied table's post-data is built beside the listener, a few tables at once ({@link TablePostData}), so the
     * tables copied meanwhile do not queue behind the biggest one's indexes; the whole section waits for them first.
     */
    void applySchema(ApplySchema command) {
        boolean ofTables = command.getSection() == SchemaSection.POST_DATA && !command.getTables().isEmpty()
                && command.getWithheldTables().isEmpty();
        if (ofTables) {
            tablePostData.submit(dumpSharedBy(command.getMetadata()), () -> applyBesideTheListener(command));
            return;
        }
        if (command.getSection() == SchemaSection.POST_DATA && command.getTables().isEmpty()) {
            tablePostData.awaitAll(dumpSharedBy(command.getMetadata()));
        }
        apply(command);
    }

    /**
     * A failure a retry may mend (the target restarted mid-build) is left to the whole section, which builds whatever
     * is missing; any other stops the migration now, as it would stop the whole section hours later.
     */
    private void applyBesideTheListener(ApplySchema command) {
        try {
            apply(command);
        } catch (StepFailure e) {
            if (e.retryable()) {
                log.warn("post-data of {} stopped and is left for the whole section: {}", command.getTables(),
                        e.getMessage());
            } else {
                failures.failed(command, e);
            }
        } catch (RuntimeException e) {
            failures.failed(command, e);
        }
    }

    private void apply(ApplySchema command) {
        answer(command.getMetadata(), () -> {
            DatabasePair pair = pair(command.getMetadata());
            int workers = command.getParallelism() > 0 ? command.getParallelism() : settings.postDataWorkers();
            List<String> tables = command.getTables();
            SectionReport report = switch (command.getSection()) {
                case PRE_DATA -> {
                    if (!tables.isEmpty()) {
                        throw new StepFailure("ApplySchema PRE_DATA names tables " + tables + ", but only POST_DATA"
                                + " can be applied table by table; send PRE_DATA without tables", false);
                    }
                    yield preData.apply(pair);
                }
                case POST_DATA -> {
                    List<String> withheld = command.getWithheldTables();
                    if (!tables.isEmpty() && !withheld.isEmpty()) {
                        throw new StepFailure("ApplySchema POST_DATA names both tables " + tables + " and withheld"
                                + " tables " + withheld + ": only the whole section waits for withheld tables", false);
                    }
                    yield tables.isEmpty()
                            ? postData.apply(pair, workers, dumpSharedBy(command.getMetadata()), withheld)
                            : postData.applyTables(pair, workers, tables, dumpSharedBy(command.getMetadata()));
                }
                case UNKNOWN -> throw new StepFailure("ApplySchema names a section this service does not know;"
                        + " upgrade schema-service to the sender's version", false);
            };
            return SchemaApplied.newBuilder()
                    .setMetadata(publisher.answering(command.getMetadata()))
                    .setSection(command.getSection())
                    .setStatements(report.statements())
                    .setIndexes(report.indexes())
                    .setConstraints(report.constraints())
                    .setDurationMs(report.duration().toMillis())
                    .setTables(tables)
                    .setNote(report.note().orElse(null))
                    .build();
        });
    }

    /** A migration's post-data commands share one dump of the source; others dump their own. */
    private static String dumpSharedBy(Metadata command) {
        return command.getMigrationId() != null ? command.getMigrationId() : command.getMessageId().toString();
    }

    void verifySchema(VerifySchema command) {
        answer(command.getMetadata(), () -> {
            DatabasePair pair = pair(command.getMetadata());
            // After a resumed load, table synchronisation has copied the withheld tables by now: the foreign keys that
            // reference them are finished first, so that they are compared as the source has them.
            postData.finishForeignKeys(pair, settings.postDataWorkers(), command.getWithheldTables());
            List<Difference> differences = verifier.verify(pair);
            return SchemaVerified.newBuilder()
                    .setMetadata(publisher.answering(command.getMetadata()))
                    .setDifferences(differences.stream().map(SchemaCommands::toAvro).toList())
                    .build();
        });
    }

    void syncSequences(SyncSequences command) {
        answer(command.getMetadata(), () -> {
            long margin = command.getMargin() > 0 ? command.getMargin() : settings.sequenceMargin();
            DatabasePair pair = pair(command.getMetadata());
            SyncReport report = command.getTowardsSource()
                    ? sequences.syncTowardsSource(pair, margin, settings.fenceWait())
                    : sequences.sync(pair, margin, settings.fenceWait());
            return SequencesSynced.newBuilder()
                    .setMetadata(publisher.answering(command.getMetadata()))
                    .setSequences(report.sequences())
                    .setMargin(report.margin())
                    .setDurationMs(report.duration().toMillis())
                    .build();
        });
    }

    /** Stops the tables' post-data and logs out of the connections kept for the sequences. */
    void close() {
        tablePostData.close();
        sequences.close();
    }

    private void answer(Metadata command, Supplier<SpecificRecord> work) {
        handled.answer(command.getMessageId().toString(), work, publisher::publish);
    }

    private DatabasePair pair(Metadata metadata) {
        try {
            return databases.get(metadata.getDatabase());
        } catch (IllegalArgumentException e) {
            throw new StepFailure(e.getMessage(), false, e);
        }
    }

    private static Scope scopeOf(String text) {
        try {
            return Scope.parse(text);
        } catch (IllegalArgumentException e) {
            throw new StepFailure(e.getMessage(), false, e);
        }
    }

    private static PreflightFinding toAvro(Finding finding) {
        return PreflightFinding.newBuilder()
                .setSeverity(switch (finding.severity()) {
                    case BLOCKER -> FindingSeverity.BLOCKER;
                    case WARNING -> FindingSeverity.WARNING;
                })
                .setCheck(finding.check())
                .setObject(finding.object())
                .setMessage(finding.message())
                .setRemedy(finding.remedy())
                .build();
    }

    private static PlannedTable toAvro(LoadTable table) {
        return PlannedTable.newBuilder()
                .setTable(table.qualifiedName())
                .setBytes(table.bytes())
                .setEstimatedRows(table.estimatedRows().isPresent() ? table.estimatedRows().getAsLong() : null)
                .build();
    }

    private static SchemaDifference toAvro(Difference difference) {
        return SchemaDifference.newBuilder()
                .setKind(difference.kind())
                .setObject(difference.object())
                .setSource(difference.source())
                .setTarget(difference.target())
                .build();
    }
}
