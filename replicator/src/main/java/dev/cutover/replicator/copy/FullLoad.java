package dev.cutover.replicator.copy;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.cutover.platform.StepFailure;
import dev.cutover.platform.database.DatabasePair;
import dev.cutover.platform.database.Endpoint;
import dev.cutover.replicator.postgres.Failures;
import dev.cutover.replicator.postgres.Publications;
import dev.cutover.replicator.postgres.ReplicationNames;
import dev.cutover.replicator.postgres.Slots;
import dev.cutover.replicator.postgres.TableName;
import dev.cutover.replicator.postgres.Tables;
import dev.cutover.replicator.verify.ChangeRecord;

/**
 * Copies a database's tables from one consistent snapshot: the publication first, then a logical slot
 * that exports the snapshot, then the parallel copy. Changes after the snapshot stay in the slot until a
 * subscription streams them.
 *
 * <p>Whatever an earlier, interrupted load left that {@link LoadResume} did not take up (its slot, rows on the
 * target) is thrown away and the load starts over; see the module's README for why.
 *
 * <p>Shared with other instances ({@link Sharing}), the tasks go to every instance's workers and this one keeps the
 * snapshot open until the last is answered; otherwise this instance's workers copy them all.
 */
public final class FullLoad {

    private static final Logger log = LoggerFactory.getLogger(FullLoad.class);

    private static final Duration SLOT_DROP_PATIENCE = Duration.ofSeconds(10);

    private final LoadOptions options;
    private final Optional<Sharing> sharing;

    public FullLoad(LoadOptions options) {
        this(options, Optional.empty());
    }

    /** @param sharing where the copy's tasks go when other instances share it; empty: this instance's workers copy all */
    public FullLoad(LoadOptions options, Optional<Sharing> sharing) {
        this.options = options;
        this.sharing = sharing;
    }

    public FullLoadResult run(DatabasePair pair, ReplicationNames names, CopyProgress progress) {
        return run(pair, names, progress, new LoadAbort());
    }

    /**
     * A load that fails for good drops its slot; one that fails retryably (a server restarting or out of reach for
     * a moment) keeps it, so that {@link LoadResume} can take the load up when CopyData is sent again.
     *
     * @param abort stops the load from another thread: it then fails, its slot dropped
     */
    public FullLoadResult run(DatabasePair pair, ReplicationNames names, CopyProgress progress, LoadAbort abort) {
        Endpoint source = pair.source();
        Endpoint target = pair.target();
        List<SourceTable> tables = prepare(pair, names);
        int workers = sharing.map(shared -> shared.exchange().workers(options.workers())).orElse(options.workers());
        List<CopyTask> plan = CopyPlan.of(tables, workers, options.splitThreshold());
        log.info("copying {} tables ({} tasks, {} workers{}) from {} to {}", tables.size(), plan.size(), workers,
                sharing.isPresent() ? " of every instance" : "", source.describe(), target.describe());
        Instant started = Instant.now();
        // Before the new slot exists: whatever an earlier load of this name finished is void from here on.
        LoadRecord.clear(target, names.slot());
        // Its triggers would record every row copied; streaming installs the record afresh.
        ChangeRecord.remove(target);
        SnapshotSlot slot = SnapshotSlot.create(source, names.slot(), options.slotCreationTimeout(),
                sharing.map(shared -> Sharing.applicationName(shared.instance())).orElse("cutover-replicator"));
        ExportedSnapshot snapshot = slot.snapshot();
        try {
            CopyProgress recorded = LoadRecord.recording(target, names.slot(), snapshot.consistentPoint(), progress);
            ParallelCopy.Totals totals;
            if (sharing.isPresent()) {
                // Other instances import the snapshot whenever they get to a task: it must live until the last answer.
                totals = new SharedCopy(sharing.get().exchange(), plan, recorded, abort,
                        () -> slotStands(source, snapshot)).run(snapshot);
                slot.close();
            } else {
                totals = new ParallelCopy(source, target, snapshot.snapshotName(), plan, options.workers(), recorded,
                        abort).run(slot::close);
            }
            LoadedRows.check(target, totals.rowsByTable());
            Duration took = Duration.between(started, Instant.now());
            return new FullLoadResult(snapshot.slot(), snapshot.consistentPoint(), totals.tables(), totals.rows(),
                    totals.bytes(), took);
        } catch (RuntimeException e) {
            slot.close();
            if (e instanceof StepFailure failure && failure.retryable() && abort.reason().isEmpty()) {
                // A server that went away for a moment: the tables finished so far are recorded at this slot's
                // point, so CopyData sent again takes the load up from them instead of copying everything again.
                log.warn("the full load failed and may succeed if tried again: kept the slot {} at {} so that"
                        + " CopyData sent again takes the load up from the tables it finished; an abort drops it",
                        names.slot(), snapshot.consistentPoint());
            } else {
                dropSlotAfterFailure(source, names.slot(), e);
            }
            throw e;
        }
    }

    /**
     * Checks what must hold before anything changes, throws away what an earlier attempt left, and
     * publishes the tables. Returns the tables described for the plan.
     */
    private List<SourceTable> prepare(DatabasePair pair, ReplicationNames names) {
        Endpoint source = pair.source();
        Endpoint target = pair.target();
        String step = "preparing the full load";
        try (Connection from = source.connect(); Connection to = target.connect()) {
            refuseWhileStreaming(to, names, target);
            SourceCatalog catalog = new SourceCatalog(from);
            List<TableName> tables = Tables.list(from, pair.schemasOn(from));
            List<TableName> unidentified = Publications.withoutReplicaIdentity(from, tables);
            if (!unidentified.isEmpty()) {
                throw new StepFailure("these tables have no primary key and no replica identity, so once published"
                        + " every UPDATE and DELETE on them would fail on the source: " + unidentified
                        + ". Add a primary key, or ALTER TABLE ... REPLICA IDENTITY FULL, then retry", false);
            }
            List<TableName> unlogged = Tables.unlogged(from, tables);
            if (!unlogged.isEmpty()) {
                throw new StepFailure("these tables are UNLOGGED on the source: " + unlogged + ". Logical replication"
                        + " cannot carry their changes (PostgreSQL refuses to publish them), so their rows on the target"
                        + " would fall behind the source after the load. Make each logged before the migration ("
                        + String.join("; ", unlogged.stream().map(table -> "ALTER TABLE " + table + " SET LOGGED").toList())
                        + ", which rewrites the table into the WAL), or drop those that hold only data the application"
                        + " can rebuild, then retry", false);
            }
            List<TableName> missing = missingOnTarget(to, tables);
            if (!missing.isEmpty()) {
                throw new StepFailure("the target " + target.describe() + " lacks these tables: " + missing
                        + ". Apply the schema's pre-data section to the target first (ApplySchema), then retry", false);
            }
            Map<TableName, Set<String>> generatedOnTarget = Tables.generatedColumns(to, tables);
            startOver(from, to, names, tables, source);
            Publications.recreate(from, names.publication(), tables, source.describe());
            return catalog.describe(tables, options.splitThreshold()).stream()
                    .map(table -> leaveOutGenerated(table, generatedOnTarget.getOrDefault(table.name(), Set.of())))
                    .toList();
        } catch (SQLException e) {
            throw Failures.of(step, source.describe() + " -> " + target.describe(), e);
        }
    }

    /**
     * COPY may not name a column the target generates: the target computes it from the others. Where the
     * source has it as a plain column (filled by a trigger, or a source older than 12), the load still works,
     * but logical replication up to PostgreSQL 17 refuses to apply any change to such a table.
     */
    private static SourceTable leaveOutGenerated(SourceTable table, Set<String> generatedOnTarget) {
        List<String> plainOnSource = table.columns().stream().filter(generatedOnTarget::contains).toList();
        if (plainOnSource.isEmpty()) {
            return table;
        }
        log.warn("{}: the target generates {}, which the source stores; they are left out of the copy and computed"
                + " by the target, but streaming will stop at the table's first change (\"missing replicated column\")"
                + " unless they are plain columns on the target until the cutover", table.name(), plainOnSource);
        return table.without(plainOnSource);
    }

    static void refuseWhileStreaming(Connection target, ReplicationNames names, Endpoint where)
            throws SQLException {
        try (PreparedStatement statement = target.prepareStatement(
                "SELECT 1 FROM pg_subscription WHERE subname = ? AND subdbid = (SELECT oid FROM pg_database WHERE datname = current_database())")) {
            statement.setString(1, names.subscription());
            try (ResultSet row = statement.executeQuery()) {
                if (row.next()) {
                    throw new StepFailure("the subscription " + names.subscription() + " on " + where.describe()
                            + " already streams into the target, and a new full load would empty its tables:"
                            + " send StopReplication first if a new load is really wanted", false);
                }
            }
        }
    }

    private static List<TableName> missingOnTarget(Connection target, List<TableName> tables) throws SQLException {
        List<TableName> missing = new ArrayList<>();
        try (PreparedStatement statement = target.prepareStatement("SELECT to_regclass(?) IS NULL")) {
            for (TableName table : tables) {
                statement.setString(1, table.quoted());
                try (ResultSet row = statement.executeQuery()) {
                    row.next();
                    if (row.getBoolean(1)) {
                        missing.add(table);
                    }
                }
            }
        }
        return missing;
    }

    /**
     * An earlier load that stopped half-way left a slot retaining WAL and some rows on the target. Its
     * snapshot is gone with its connection, so none of it can be resumed consistently: drop the slot,
     * empty the target's tables, and copy everything again.
     */
    private static void startOver(Connection source, Connection target, ReplicationNames names,
            List<TableName> tables, Endpoint where) throws SQLException {
        Optional<Slots.Slot> earlier = Slots.find(source, names.slot());
        if (earlier.isPresent()) {
            if (earlier.get().activePid().isPresent()) {
                throw new StepFailure("the replication slot " + names.slot() + " on " + where.describe()
                        + " is in use by pid " + earlier.get().activePid().get() + ": a subscription or another"
                        + " consumer streams from it; stop it (StopReplication) before a new full load", false);
            }
            log.warn("an earlier full load left the slot {}; dropping it and starting the load over", names.slot());
            Slots.drop(source, names.slot(), SLOT_DROP_PATIENCE);
        }
        if (!tables.isEmpty()) {
            // ONLY: an inheritance child outside the moved schemas is not the load's to empty.
            try (Statement statement = target.createStatement()) {
                statement.execute("TRUNCATE " + String.join(", ",
                        tables.stream().map(table -> "ONLY " + table.quoted()).toList()));
            }
        }
    }

    /** A source that does not answer says nothing about the slot: the load's own sessions report that failure. */
    private static boolean slotStands(Endpoint source, ExportedSnapshot snapshot) {
        try (Connection connection = source.connect()) {
            return Slots.standsAt(connection, snapshot.slot(), snapshot.consistentPoint());
        } catch (SQLException e) {
            return true;
        }
    }

    private static void dropSlotAfterFailure(Endpoint source, String slot, RuntimeException failure) {
        try (Connection connection = source.connect()) {
            Slots.drop(connection, slot, SLOT_DROP_PATIENCE);
        } catch (SQLException e) {
            failure.addSuppressed(new IllegalStateException("the slot " + slot + " on " + source.describe()
                    + " could not be dropped after the failed load and retains WAL until it is: "
                    + "SELECT pg_drop_replication_slot('" + slot + "')", e));
        }
    }
}
