package dev.cutover.replicator.copy;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.cutover.platform.StepFailure;
import dev.cutover.platform.database.DatabasePair;
import dev.cutover.platform.database.Endpoint;
import dev.cutover.replicator.postgres.Failures;
import dev.cutover.replicator.postgres.Lsn;
import dev.cutover.replicator.postgres.Publications;
import dev.cutover.replicator.postgres.ReplicationNames;
import dev.cutover.replicator.postgres.Slots;
import dev.cutover.replicator.postgres.TableName;
import dev.cutover.replicator.postgres.Tables;

/**
 * Takes up a load that stopped half-way (docs/resumable-load.md). Its slot still stands at the consistent point the
 * finished tables were copied at, so those tables are kept and will stream from it; the tables it did not finish
 * cannot be completed from that point (the snapshot died with the load), so they are emptied on the target and taken
 * out of the publication, which records them for {@code StartStreaming} to add back once subscribed and leave to
 * PostgreSQL's table synchronisation.
 *
 * <p>Each step can be taken again after another crash: a table already withheld is missing from the publication and
 * is withheld again whatever its row count, a table already emptied is emptied again.
 */
public final class LoadResume {

    private static final Logger log = LoggerFactory.getLogger(LoadResume.class);

    private LoadResume() {
    }

    /**
     * @param reported the tables the interrupted load reported copied ({@code TableCopied}: {@code schema.table} and
     *                 rows), as the migration saga recorded them; when empty, the load's own record
     *                 ({@link LoadRecord}) of the tables it finished
     * @return the resumed load, or empty when there is nothing to resume (no slot left, or no reported table still
     *         holds its rows on the target): the load then starts over
     */
    public static Optional<ResumedLoad> resume(DatabasePair pair, ReplicationNames names, Map<String, Long> reported) {
        Endpoint source = pair.source();
        Endpoint target = pair.target();
        try (Connection from = source.connect(); Connection to = target.connect()) {
            FullLoad.refuseWhileStreaming(to, names, target);
            Optional<Slots.Slot> slot = Slots.find(from, names.slot());
            if (slot.isEmpty()) {
                return Optional.empty();
            }
            if (slot.get().activePid().isPresent()) {
                throw new StepFailure("the replication slot " + names.slot() + " on " + source.describe()
                        + " is in use by pid " + slot.get().activePid().get() + ": the interrupted load cannot be"
                        + " taken up while something streams from it; find that consumer (pg_stat_replication) and"
                        + " stop it, then send CopyData again", false);
            }
            Optional<Boolean> ours = Publications.existing(from, names.publication());
            if (slot.get().confirmedLsn().isEmpty() || ours.isEmpty() || !ours.get()) {
                return Optional.empty();
            }
            // A CopyData without the list is one Kafka gave again to a replicator that died mid-load: the load's own
            // record, written on the target as each table finished, says the same.
            Map<String, Long> finished = reported.isEmpty()
                    ? LoadRecord.read(to, names.slot(), slot.get().confirmedLsn().get()) : reported;
            if (finished.isEmpty()) {
                return Optional.empty();
            }
            Set<TableName> published = Set.copyOf(Publications.tables(from, names.publication()));
            TreeMap<TableName, Long> kept = new TreeMap<>();
            List<TableName> withheld = new ArrayList<>();
            for (TableName table : Tables.list(from, pair.schemasOn(from))) {
                Long rows = finished.get(table.toString());
                if (rows != null && published.contains(table) && rowsOnTarget(to, table) == rows) {
                    kept.put(table, rows);
                } else {
                    withheld.add(table);
                }
            }
            if (kept.isEmpty()) {
                return Optional.empty();
            }
            withhold(from, to, names, withheld.stream().filter(published::contains).toList(), withheld);
            Lsn consistentPoint = slot.get().confirmedLsn().get();
            log.info("resuming the load of {} at {}: {} tables kept, {} left to table synchronisation: {}",
                    names.slot(), consistentPoint, kept.size(), withheld.size(), withheld);
            return Optional.of(new ResumedLoad(names.slot(), consistentPoint, kept, withheld));
        } catch (SQLException e) {
            throw Failures.of("looking for an interrupted load of " + names.slot() + " to take up", source.describe() + " -> "
                    + target.describe(), e);
        }
    }

    private static long rowsOnTarget(Connection target, TableName table) throws SQLException {
        // ONLY: an inheritance parent's children are tables of their own, with counts of their own.
        try (Statement statement = target.createStatement();
                ResultSet row = statement.executeQuery("SELECT count(*) FROM ONLY " + table.quoted())) {
            row.next();
            return row.getLong(1);
        }
    }

    /**
     * Out of the publication first, with the record of them on it in the same transaction: the subscription must not
     * list them when created, or it marks them ready and applies changes since the slot's point to rows they do not
     * have. Then emptied, as table synchronisation appends to what it finds.
     */
    private static void withhold(Connection source, Connection target, ReplicationNames names,
            List<TableName> stillPublished, List<TableName> withheld) throws SQLException {
        Publications.withhold(source, names.publication(), stillPublished, withheld);
        if (!withheld.isEmpty()) {
            try (Statement statement = target.createStatement()) {
                statement.execute("TRUNCATE " + Publications.only(withheld));
            }
        }
    }
}
