package dev.cutover.replicator.cleanup;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import dev.cutover.platform.database.DatabasePair;
import dev.cutover.platform.database.Endpoint;
import dev.cutover.replicator.postgres.Failures;
import dev.cutover.replicator.postgres.Publications;
import dev.cutover.replicator.postgres.Removal;
import dev.cutover.replicator.postgres.ReplicationNames;
import dev.cutover.replicator.postgres.Slots;
import dev.cutover.replicator.postgres.Subscriptions;
import dev.cutover.replicator.postgres.TableName;
import dev.cutover.replicator.verify.ChangeRecord;

/**
 * Removes what a migration created: the subscription on the target first (it holds the slot), then the slot and
 * cutover's publication on the source, then, when asked, the target's tables of the database's schemas. Each object
 * is looked up before it is dropped and reported as it was found, so a second run reports everything as not present
 * instead of claiming to drop it again.
 */
public final class MigrationCleanup {

    /** A running copy holds locks on the target's tables until it ends; a cleanup waits this long, then says so. */
    private static final Duration TABLE_LOCK_TIMEOUT = Duration.ofSeconds(10);

    public enum Server {
        SOURCE, TARGET
    }

    public enum Kind {
        SUBSCRIPTION, REPLICATION_SLOT, PUBLICATION, TABLE
    }

    /** @param detail why it was kept or what else was done; empty when there is nothing to add */
    public record Action(Server server, Kind kind, String name, Removal outcome, Optional<String> detail) {
    }

    private final Duration slotReleasePatience;

    /** @param slotReleasePatience how long to wait for a WAL sender to let go of the slot before ending it */
    public MigrationCleanup(Duration slotReleasePatience) {
        this.slotReleasePatience = slotReleasePatience;
    }

    /**
     * @param adopted whether the replication is a team's own that the cutover adopted: its subscription, slot and
     *                publication were not created by a migration, so an abort keeps them
     */
    public List<Action> run(DatabasePair pair, ReplicationNames names, boolean adopted, boolean dropTargetTables) {
        List<Action> actions = new ArrayList<>();
        if (adopted) {
            Optional<String> why = Optional.of("the replication is adopted (replication.adopted): a migration did not"
                    + " create it, so an abort leaves it");
            actions.add(new Action(Server.TARGET, Kind.SUBSCRIPTION, names.subscription(), Removal.KEPT, why));
            actions.add(new Action(Server.SOURCE, Kind.REPLICATION_SLOT, names.slot(), Removal.KEPT, why));
            actions.add(new Action(Server.SOURCE, Kind.PUBLICATION, names.publication(), Removal.KEPT, why));
            try (Connection from = pair.source().connect()) {
                actions.addAll(targetTables(pair.target(), pair.schemasOn(from), dropTargetTables));
            } catch (SQLException e) {
                throw Failures.of("reading the schemas in scope", pair.source().describe(), e);
            }
            return actions;
        }
        actions.add(dropSubscription(pair.target(), names.subscription()));
        ChangeRecord.remove(pair.target());
        Endpoint source = pair.source();
        List<String> schemas;
        try (Connection from = source.connect()) {
            actions.add(dropSlot(from, names.slot()));
            actions.add(dropPublication(from, names.publication()));
            schemas = pair.schemasOn(from);
        } catch (SQLException e) {
            throw Failures.of("dropping the replication slot " + names.slot() + " and the publication "
                    + names.publication() + " (an unused slot retains WAL until dropped)", source.describe(), e);
        }
        actions.addAll(targetTables(pair.target(), schemas, dropTargetTables));
        return actions;
    }

    /** Detached from its slot before it is dropped, so a source that is down cannot block it. */
    private static Action dropSubscription(Endpoint target, String name) {
        try (Connection to = target.connect()) {
            return new Action(Server.TARGET, Kind.SUBSCRIPTION, name, Subscriptions.drop(to, name), Optional.empty());
        } catch (SQLException e) {
            throw Failures.of("dropping the subscription " + name, target.describe(), e);
        }
    }

    private Action dropSlot(Connection source, String name) throws SQLException {
        Optional<String> detail = Slots.find(source, name).flatMap(Slots.Slot::activePid).map(pid -> "it was in use by"
                + " WAL sender " + pid + ", which was ended if it did not let go within "
                + slotReleasePatience.toSeconds() + " s");
        Removal outcome = Slots.drop(source, name, slotReleasePatience) ? Removal.DROPPED : Removal.NOT_PRESENT;
        return new Action(Server.SOURCE, Kind.REPLICATION_SLOT, name, outcome, detail);
    }

    private static Action dropPublication(Connection source, String name) throws SQLException {
        Removal outcome = Publications.dropIfOurs(source, name);
        return new Action(Server.SOURCE, Kind.PUBLICATION, name, outcome,
                outcome == Removal.KEPT ? Optional.of("it was not created by cutover") : Optional.empty());
    }

    /**
     * Every table of the schemas, partitions and inheritance children included, dropped in one statement so their
     * order does not matter; a schema without tables is one action saying so.
     */
    private static List<Action> targetTables(Endpoint target, List<String> schemas, boolean drop) {
        try (Connection to = target.connect(); Statement statement = to.createStatement()) {
            List<Action> actions = new ArrayList<>();
            List<TableName> all = new ArrayList<>();
            for (String schema : schemas) {
                List<TableName> tables = tablesOf(to, schema);
                if (tables.isEmpty()) {
                    actions.add(new Action(Server.TARGET, Kind.TABLE, schema + ".*", Removal.NOT_PRESENT,
                            Optional.of("schema " + schema + " has no tables on the target")));
                } else if (!drop) {
                    actions.add(new Action(Server.TARGET, Kind.TABLE, schema + ".*", Removal.KEPT,
                            Optional.of(tables.size() + " table(s) kept: dropping them was not asked for")));
                } else {
                    tables.forEach(table -> actions.add(new Action(Server.TARGET, Kind.TABLE, table.toString(),
                            Removal.DROPPED, Optional.empty())));
                    all.addAll(tables);
                }
            }
            if (!all.isEmpty()) {
                statement.execute("SET lock_timeout = '" + TABLE_LOCK_TIMEOUT.toMillis() + "ms'");
                statement.execute("DROP TABLE IF EXISTS " + String.join(", ", all.stream().map(TableName::quoted).toList()) + " CASCADE");
            }
            return actions;
        } catch (SQLException e) {
            throw Failures.of("dropping the target's tables of " + String.join(", ", schemas) + " (a copy still"
                    + " running holds their locks: abort again once it has ended)", target.describe(), e);
        }
    }

    private static List<TableName> tablesOf(Connection target, String schema) throws SQLException {
        try (PreparedStatement statement = target.prepareStatement("""
                SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                WHERE n.nspname = ? AND c.relkind IN ('r', 'p') ORDER BY c.relname""")) {
            statement.setString(1, schema);
            List<TableName> tables = new ArrayList<>();
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    tables.add(new TableName(schema, rows.getString(1)));
                }
            }
            return tables;
        }
    }
}
