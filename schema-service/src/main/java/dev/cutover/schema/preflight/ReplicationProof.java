package dev.cutover.schema.preflight;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.locks.LockSupport;

import dev.cutover.platform.database.DatabasePair;
import dev.cutover.platform.database.Endpoint;
import dev.cutover.platform.database.PublicationMembership;
import dev.cutover.platform.database.Replication;
import dev.cutover.platform.database.WarmConnections;
import dev.cutover.schema.pgtools.Catalog;
import dev.cutover.schema.section.CutoverSchema;

/**
 * The cutover's preflight proof that the configured replication carries cutover's own tables, before anything
 * disruptive happens: the fence writes its canary on the source and the cutover waits for it on the target, so a
 * replication that does not carry {@code cutover.canary} would fail only after traffic stopped. It installs
 * cutover's schema on both sides, adds its tables to an adopted publication and refreshes the subscription, then
 * writes a canary row on the source and waits for it on the target.
 */
public final class ReplicationProof {

    /** cutover's tables the replication must carry: the fence's canary and lag-monitor's heartbeat. */
    static final List<String> TABLES = List.of("canary", "heartbeat");

    /**
     * How often the target is asked for the canary: every millisecond at first, then less and less often, up to every
     * 10 ms. A row usually arrives within a few milliseconds, and the cutover waits for this proof: a fixed 20 ms poll
     * made the proof take 20 ms even where the row had arrived in 3.
     */
    private static final Duration FIRST_POLL = Duration.ofMillis(1);
    private static final Duration LONGEST_POLL = Duration.ofMillis(10);

    private final Duration roundTrip;
    private final WarmConnections connections;

    /** @param roundTrip how long a canary row written on the source may take to arrive on the target */
    public ReplicationProof(Duration roundTrip) {
        this(roundTrip, WarmConnections.none());
    }

    /**
     * @param roundTrip   how long a canary row written on the source may take to arrive on the target
     * @param connections where the proof logs in: it runs as the cutover starts, where every login counts
     */
    public ReplicationProof(Duration roundTrip, WarmConnections connections) {
        this.roundTrip = roundTrip;
        this.connections = connections;
    }

    /** Blockers that say what to add to which publication or subscription; none when the canary arrived. */
    public List<Finding> prove(DatabasePair pair, String database, Replication replication) {
        try (Side target = Side.open(connections, pair.target()); Side source = Side.open(connections, pair.source())) {
            target.run(CutoverSchema::install);
            Optional<Boolean> enabled = target.query(connection -> subscriptionEnabled(connection,
                    replication.subscription()));
            if (enabled.isEmpty()) {
                return List.of(blocker("replication_subscription", replication.subscription(), "the target has no"
                                + " subscription " + replication.subscription() + " in this database, so nothing"
                                + " carries the source's changes to it",
                        missingSubscriptionRemedy(database, replication)));
            }
            if (!enabled.get()) {
                return List.of(blocker("replication_subscription", replication.subscription(), "the subscription "
                                + replication.subscription() + " is disabled on the target: nothing streams",
                        "ALTER SUBSCRIPTION " + target.query(c -> quoted(c, replication.subscription()))
                                + " ENABLE on the target, once you know why it was disabled"));
            }
            source.run(CutoverSchema::install);
            Optional<Finding> unpublished = publish(source, target, database, replication, roundTrip);
            if (unpublished.isPresent()) {
                return List.of(unpublished.get());
            }
            return roundTrip(source, target, database, replication);
        }
    }

    /**
     * What to do about a subscription that is not there. cutover's own one exists from the migration's streaming step
     * until a cutover's tidy-up drops it, so the likeliest causes come first: a migration not ready yet, or a database
     * already cut over; a subscription someone else made is named in the settings.
     */
    static String missingSubscriptionRemedy(String database, Replication replication) {
        if (replication.adopted()) {
            return "set cutover.databases." + database + ".replication.subscription to the subscription that"
                    + " replicates this database (SELECT subname FROM pg_subscription on the target)";
        }
        return "cutover's own subscription exists once a migration of " + database + " streams and until a cutover's"
                + " tidy-up drops it: if a migration is running, wait until `cutoverctl migrate watch` says ready; if"
                + " " + database + " was cut over already, that cutover's tidy-up dropped it and there is nothing left"
                + " to cut over; if another tool replicates it, adopt that"
                + " replication (cutover.databases." + database + ".replication.adopted, .subscription, .publication)";
    }

    /** Makes the publication and the subscription carry cutover's tables when adopted; a blocker when they do not. */
    private static Optional<Finding> publish(Side source, Side target, String database, Replication replication,
            Duration patience) {
        String publication = replication.publication();
        Optional<Boolean> allTables = source.query(connection -> allTables(connection, publication));
        if (allTables.isEmpty()) {
            return Optional.of(blocker("replication_publication", publication, "the source has no publication "
                            + publication + " in this database",
                    "set cutover.databases." + database + ".replication.publication to the publication "
                            + replication.subscription() + " subscribes to (SELECT subpublications FROM pg_subscription"
                            + " on the target)"));
        }
        List<String> missing = allTables.get() ? List.of() : source.query(connection -> unpublished(connection, publication));
        String refresh = "ALTER SUBSCRIPTION " + target.query(c -> quoted(c, replication.subscription()))
                + " REFRESH PUBLICATION WITH (copy_data = false)";
        List<String> added = missing.stream().map(table -> CutoverSchema.NAME + "." + table).toList();
        if (!missing.isEmpty()) {
            String add = "ALTER PUBLICATION " + source.query(c -> quoted(c, publication)) + " ADD TABLE "
                    + String.join(", ", added);
            if (!replication.adopted()) {
                return Optional.of(blocker("replication_canary", publication, "the publication " + publication
                                + " does not carry " + names(missing) + ": the cutover's canary could not reach the"
                                + " target, and the cutover would fail after traffic stopped",
                        "on the source: " + add + "; then on the target: " + refresh + ". Or, if someone else"
                                + " created this replication, set cutover.databases." + database
                                + ".replication.adopted=true and preflight does both"));
            }
            source.run(connection -> execute(connection, add));
            // lag-monitor may be writing the heartbeat across the change: on a source without PostgreSQL's 2025
            // decoding fix, that could keep cutover's tables out of the stream for good.
            source.run(connection -> PublicationMembership.settle(connection, publication, added, patience));
        }
        if (replication.adopted() && !target.query(connection -> subscribed(connection, replication.subscription()))) {
            target.run(connection -> execute(connection, refresh));
        }
        return Optional.empty();
    }

    private List<Finding> roundTrip(Side source, Side target, String database, Replication replication) {
        String token = "preflight-" + UUID.randomUUID();
        source.run(connection -> canary(connection, "INSERT INTO cutover.canary (token) VALUES (?)", token));
        try {
            Instant deadline = Instant.now().plus(roundTrip);
            long poll = FIRST_POLL.toNanos();
            while (!target.query(connection -> exists(connection, "SELECT 1 FROM cutover.canary WHERE token = ?", token))) {
                if (Instant.now().isAfter(deadline)) {
                    return List.of(blocker("replication_canary", replication.subscription(), "a canary row written"
                                    + " on the source did not arrive on the target within " + roundTrip.toMillis()
                                    + " ms through " + replication.describe(),
                            "check on the target that the subscription is streaming (SELECT * FROM"
                                    + " pg_stat_subscription WHERE subname = '" + replication.subscription() + "'), that"
                                    + " it subscribes to " + replication.publication() + " and that the publication"
                                    + " carries cutover.canary; or raise cutover.schema.canary-round-trip if the target"
                                    + " lags behind (cutover.databases." + database + ".replication names them)"));
                }
                LockSupport.parkNanos(poll);
                poll = Math.min(poll * 2, LONGEST_POLL.toNanos());
            }
            return List.of();
        } finally {
            source.run(connection -> canary(connection, "DELETE FROM cutover.canary WHERE token = ?", token));
        }
    }

    /** Whether the subscription is enabled; empty when the target's database has none of that name. */
    private static Optional<Boolean> subscriptionEnabled(Connection target, String subscription) throws SQLException {
        try (PreparedStatement statement = target.prepareStatement("SELECT subenabled FROM pg_subscription WHERE"
                + " subname = ? AND subdbid = (SELECT oid FROM pg_database WHERE datname = current_database())")) {
            statement.setString(1, subscription);
            try (ResultSet row = statement.executeQuery()) {
                return row.next() ? Optional.of(row.getBoolean(1)) : Optional.empty();
            }
        }
    }

    /** Whether the publication publishes every table ({@code FOR ALL TABLES}); empty when there is none. */
    private static Optional<Boolean> allTables(Connection source, String publication) throws SQLException {
        try (PreparedStatement statement = source.prepareStatement(
                "SELECT puballtables FROM pg_publication WHERE pubname = ?")) {
            statement.setString(1, publication);
            try (ResultSet row = statement.executeQuery()) {
                return row.next() ? Optional.of(row.getBoolean(1)) : Optional.empty();
            }
        }
    }

    private static List<String> unpublished(Connection source, String publication) throws SQLException {
        List<String> missing = new ArrayList<>();
        for (String table : TABLES) {
            try (PreparedStatement statement = source.prepareStatement("SELECT 1 FROM pg_publication_tables WHERE"
                    + " pubname = ? AND schemaname = ? AND tablename = ?")) {
                statement.setString(1, publication);
                statement.setString(2, CutoverSchema.NAME);
                statement.setString(3, table);
                try (ResultSet row = statement.executeQuery()) {
                    if (!row.next()) {
                        missing.add(table);
                    }
                }
            }
        }
        return missing;
    }

    /** Whether the subscription knows cutover's canary table yet; a publication's new table needs a refresh first. */
    private static boolean subscribed(Connection target, String subscription) throws SQLException {
        return exists(target, """
                SELECT 1 FROM pg_subscription_rel r JOIN pg_subscription s ON s.oid = r.srsubid
                WHERE s.subname = ? AND r.srrelid = 'cutover.canary'::regclass""", subscription);
    }

    private static boolean exists(Connection connection, String sql, String value) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.setString(1, value);
            try (ResultSet row = statement.executeQuery()) {
                return row.next();
            }
        }
    }

    private static void canary(Connection source, String sql, String token) throws SQLException {
        try (PreparedStatement statement = source.prepareStatement(sql)) {
            statement.setString(1, token);
            statement.executeUpdate();
        }
    }

    private static void execute(Connection connection, String sql) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }

    private static String quoted(Connection connection, String identifier) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement("SELECT quote_ident(?)")) {
            statement.setString(1, identifier);
            try (ResultSet row = statement.executeQuery()) {
                row.next();
                return row.getString(1);
            }
        }
    }

    /** One server's connection; a failure on it names that server. */
    private record Side(Endpoint endpoint, WarmConnections.Lease lease) implements AutoCloseable {

        interface Query<T> {
            T on(Connection connection) throws SQLException;
        }

        interface Call {
            void on(Connection connection) throws SQLException;
        }

        static Side open(WarmConnections connections, Endpoint endpoint) {
            try {
                return new Side(endpoint, connections.lease(endpoint));
            } catch (SQLException e) {
                throw failure(endpoint, e);
            }
        }

        <T> T query(Query<T> query) {
            try {
                return query.on(lease.connection());
            } catch (SQLException e) {
                throw failure(endpoint, e);
            }
        }

        void run(Call call) {
            query(connection -> {
                call.on(connection);
                return null;
            });
        }

        @Override
        public void close() {
            lease.close();
        }

        private static RuntimeException failure(Endpoint endpoint, SQLException e) {
            return Catalog.failure("proving the replication carries cutover's canary", endpoint, e);
        }
    }

    private static String names(List<String> tables) {
        return String.join(" and ", tables.stream().map(table -> CutoverSchema.NAME + "." + table).toList());
    }

    private static Finding blocker(String check, String object, String message, String remedy) {
        return new Finding(Severity.BLOCKER, check, object, message, remedy);
    }
}
