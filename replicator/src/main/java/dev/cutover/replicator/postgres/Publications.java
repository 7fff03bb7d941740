package dev.cutover.replicator.postgres;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.cutover.platform.StepFailure;

/**
 * The publication on the source. It names every table (PostgreSQL 11 has no FOR TABLES IN SCHEMA) and
 * carries a comment marking it as cutover's, so that a publication someone else made is never replaced.
 */
public final class Publications {

    public static final String MARKER = "created by the cutover replicator; dropped by StopReplication";

    private static final String WITHHELD = "; withheld from the subscription until it exists: ";

    /** A table as {@link TableName#quoted()} writes it: {@code "schema"."name"}, a quote inside doubled. */
    private static final Pattern QUOTED_TABLE = Pattern.compile("\"((?:[^\"]|\"\")*)\"\\.\"((?:[^\"]|\"\")*)\"");

    private Publications() {
    }

    /** Whether a publication of that name exists, and whether it is cutover's. */
    public static Optional<Boolean> existing(Connection source, String name) throws SQLException {
        try (PreparedStatement statement = source.prepareStatement(
                "SELECT obj_description(oid, 'pg_publication') FROM pg_publication WHERE pubname = ?")) {
            statement.setString(1, name);
            try (ResultSet row = statement.executeQuery()) {
                return row.next() ? Optional.of(row.getString(1) != null && row.getString(1).startsWith(MARKER))
                        : Optional.empty();
            }
        }
    }

    /** The tables the publication names now, as the source lists them. */
    public static List<TableName> tables(Connection source, String name) throws SQLException {
        List<TableName> tables = new ArrayList<>();
        try (PreparedStatement statement = source.prepareStatement(
                "SELECT schemaname, tablename FROM pg_publication_tables WHERE pubname = ?")) {
            statement.setString(1, name);
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    tables.add(new TableName(rows.getString(1), rows.getString(2)));
                }
            }
        }
        return tables;
    }

    /**
     * Records on cutover's publication the tables a resumed load took out of it, for {@code StartStreaming} to add back
     * once subscribed; none clears the record. Kept on the publication because it lives exactly as long: a new load
     * recreates it, {@code StopReplication} drops it.
     */
    public static void recordWithheld(Connection source, String name, List<TableName> withheld) throws SQLException {
        String comment = withheld.isEmpty() ? MARKER : MARKER + WITHHELD
                + String.join(", ", withheld.stream().map(TableName::quoted).toList());
        try (Statement statement = source.createStatement()) {
            statement.execute("COMMENT ON PUBLICATION " + Sql.identifier(name) + " IS " + Sql.literal(comment));
        }
    }

    /** The tables {@link #recordWithheld} recorded, none for a publication that has no record or is not there. */
    public static List<TableName> withheld(Connection source, String name) throws SQLException {
        try (PreparedStatement statement = source.prepareStatement(
                "SELECT obj_description(oid, 'pg_publication') FROM pg_publication WHERE pubname = ?")) {
            statement.setString(1, name);
            try (ResultSet row = statement.executeQuery()) {
                String comment = row.next() ? row.getString(1) : null;
                if (comment == null || !comment.startsWith(MARKER + WITHHELD)) {
                    return List.of();
                }
                List<TableName> tables = new ArrayList<>();
                Matcher quoted = QUOTED_TABLE.matcher(comment.substring((MARKER + WITHHELD).length()));
                while (quoted.find()) {
                    tables.add(new TableName(quoted.group(1).replace("\"\"", "\""),
                            quoted.group(2).replace("\"\"", "\"")));
                }
                return tables;
            }
        }
    }

    /**
     * Tables whose UPDATE and DELETE would start failing on the source once published: no primary key
     * and no other replica identity.
     */
    public static List<TableName> withoutReplicaIdentity(Connection source, List<TableName> tables) throws SQLException {
        List<TableName> missing = new ArrayList<>();
        try (PreparedStatement statement = source.prepareStatement("""
                SELECT c.relreplident = 'f'
                    OR (c.relreplident = 'i' AND EXISTS (SELECT 1 FROM pg_index i WHERE i.indrelid = c.oid AND i.indisreplident))
                    OR (c.relreplident = 'd' AND EXISTS (SELECT 1 FROM pg_index i WHERE i.indrelid = c.oid AND i.indisprimary))
                FROM pg_class c WHERE c.oid = ?::regclass""")) {
            for (TableName table : tables) {
                statement.setString(1, table.quoted());
                try (ResultSet row = statement.executeQuery()) {
                    if (row.next() && !row.getBoolean(1)) {
                        missing.add(table);
                    }
                }
            }
        }
        return missing;
    }

    /** Drops cutover's publication of that name, if any, and creates it anew for these tables, atomically. */
    public static void recreate(Connection source, String name, List<TableName> tables, String where) throws SQLException {
        Optional<Boolean> existing = existing(source, name);
        if (existing.isPresent() && !existing.get()) {
            throw new StepFailure("the publication " + name + " on " + where + " exists and was not created by"
                    + " cutover: drop it (DROP PUBLICATION " + name + ") if nobody uses it, or rename the database"
                    + " in cutover.databases so cutover uses another name", false);
        }
        inTransaction(source, statement -> {
            if (existing.isPresent()) {
                statement.execute("DROP PUBLICATION " + Sql.identifier(name));
            }
            // ONLY: without it an inheritance parent brings its children along, also those that are not moved,
            // whose changes would then stream to rows the target never got.
            String forTables = tables.isEmpty() ? "" : " FOR TABLE " + only(tables);
            statement.execute("CREATE PUBLICATION " + Sql.identifier(name) + forTables);
            statement.execute("COMMENT ON PUBLICATION " + Sql.identifier(name) + " IS " + Sql.literal(MARKER));
        });
    }

    /**
     * Takes {@code published} out of cutover's publication and records {@code withheld} on it, in one transaction, so
     * that a table is never out of the publication without the record that brings it back.
     */
    public static void withhold(Connection source, String name, List<TableName> published, List<TableName> withheld)
            throws SQLException {
        inTransaction(source, statement -> {
            if (!published.isEmpty()) {
                statement.execute("ALTER PUBLICATION " + Sql.identifier(name) + " DROP TABLE " + only(published));
            }
            recordWithheld(source, name, withheld);
        });
    }

    /** {@code ONLY "s"."a", ONLY "s"."b"}: each table by itself, never an inheritance parent's children with it. */
    public static String only(List<TableName> tables) {
        return String.join(", ", tables.stream().map(table -> "ONLY " + table.quoted()).toList());
    }

    private interface Work {
        void run(Statement statement) throws SQLException;
    }

    private static void inTransaction(Connection source, Work work) throws SQLException {
        boolean autoCommit = source.getAutoCommit();
        source.setAutoCommit(false);
        try (Statement statement = source.createStatement()) {
            work.run(statement);
            source.commit();
        } catch (SQLException | RuntimeException e) {
            source.rollback();
            throw e;
        } finally {
            source.setAutoCommit(autoCommit);
        }
    }

    /** Drops cutover's publication if it exists; one made by someone else is left alone ({@link Removal#KEPT}). */
    public static Removal dropIfOurs(Connection source, String name) throws SQLException {
        Optional<Boolean> ours = existing(source, name);
        if (ours.isEmpty()) {
            return Removal.NOT_PRESENT;
        }
        if (!ours.get()) {
            return Removal.KEPT;
        }
        try (Statement statement = source.createStatement()) {
            statement.execute("DROP PUBLICATION IF EXISTS " + Sql.identifier(name));
        }
        return Removal.DROPPED;
    }
}
