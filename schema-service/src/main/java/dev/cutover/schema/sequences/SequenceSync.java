package dev.cutover.schema.sequences;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import dev.cutover.platform.StepFailure;
import dev.cutover.platform.database.DatabasePair;
import dev.cutover.platform.database.Endpoint;
import dev.cutover.platform.database.FenceState;
import dev.cutover.platform.database.SchemaScope;
import dev.cutover.platform.database.WarmConnections;
import dev.cutover.schema.pgtools.Catalog;

/**
 * Copies every sequence's position (serial, identity and standalone alike: all are sequences in the
 * catalog) from the source to the target, or, for a fallback, from the target back to the source. It runs while the application is stopped, so it takes three
 * round trips however many sequences there are: one read on the source, one statement that sets all
 * of them on the target (one transaction: all or none), one read that checks them.
 */
public final class SequenceSync implements AutoCloseable {

    private final WarmConnections connections;
    private final ExecutorService warming = Executors.newVirtualThreadPerTaskExecutor();

    /** Logs in for every sync. */
    public SequenceSync() {
        this(WarmConnections.none());
    }

    /**
     * Syncs on {@code connections}' idle connections when there are: the sync runs at the switch, while every
     * application write waits, and {@link #ready} logs in ahead of it.
     */
    public SequenceSync(WarmConnections connections) {
        this.connections = connections;
    }

    /**
     * Logs in to both servers in the background, and runs the sync's statements once there, changing nothing, so
     * that the next sync finds its connections waiting and its statements planned. The first sync of a process was
     * measured at 150-290 ms for five sequences at the switch, against tens of milliseconds afterwards.
     *
     * @return done when the statements have run (or could not: the sync itself then reports why)
     */
    public Future<?> ready(DatabasePair pair) {
        // Leasing logs in where no connection is idle, and the lease keeps the connection for the sync.
        return warming.submit(() -> rehearse(pair));
    }

    /** The reads of a sync on both sides, and its statement that sets the sequences, given none to set. */
    private void rehearse(DatabasePair pair) {
        for (Endpoint endpoint : List.of(pair.source(), pair.target())) {
            try (WarmConnections.Lease lease = connections.lease(endpoint)) {
                FenceState.read(lease.connection(), pair.appRoles());
                read(lease.connection(), pair.scope());
                setAll(lease.connection(), pair.source(), endpoint, pair.scope(), List.of());
            } catch (SQLException | RuntimeException e) {
                // The sync itself meets the same problem and reports it.
            }
        }
    }

    @Override
    public void close() {
        warming.shutdownNow();
        connections.close();
    }

    /**
     * Every sequence of the schemas with its bounds and position, in one query. {@code pg_sequence_last_value}
     * (what the pg_sequences view uses) is fast but NULL until the first nextval, and for a sequence set with
     * {@code setval(..., false)}; only those are read the slow way, by selecting from them (query_to_xml runs
     * that query inside this one: a UNION of 500 SELECTs takes PostgreSQL 11 about 400 ms just to plan).
     */
    private static final String SEQUENCES = """
            SELECT format('%I.%I', n.nspname, c.relname), s.seqincrement, s.seqmin, s.seqmax,
                   coalesce(p.value, (pg_catalog.xpath('/row/last_value/text()', p.row))[1]::text::bigint),
                   p.value IS NOT NULL OR (pg_catalog.xpath('/row/is_called/text()', p.row))[1]::text::boolean
              FROM pg_catalog.pg_sequence s JOIN pg_catalog.pg_class c ON c.oid = s.seqrelid
              JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
             CROSS JOIN LATERAL (
                   SELECT v.value, CASE WHEN v.value IS NULL THEN pg_catalog.query_to_xml(
                              format('SELECT last_value, is_called FROM %I.%I', n.nspname, c.relname), false, true, '')
                          END AS row
                     FROM (SELECT pg_catalog.pg_sequence_last_value(c.oid) AS value) v) p
             WHERE """ + SchemaScope.condition("n.nspname") + " ORDER BY 1";

    private static final String SET_ALL = """
            SELECT count(pg_catalog.setval(s.name::regclass, s.value, s.called))
              FROM unnest(?::text[], ?::int8[], ?::bool[]) AS s(name, value, called)
            """;

    public SyncReport sync(DatabasePair pair, long margin) {
        return sync(pair, margin, Duration.ZERO);
    }

    /**
     * Sets the sequences once the source is fenced, waiting up to {@code fenceWait} for that: the command may arrive
     * while the fence is still going up, so that the sequences follow it without a round trip through the saga.
     */
    public SyncReport sync(DatabasePair pair, long margin, Duration fenceWait) {
        return copy(pair, pair.source(), pair.target(), margin, fenceWait);
    }

    /**
     * A fallback's: sets the source's sequences from the target's once the target is fenced, so that the source never
     * hands out a number the target already used.
     */
    public SyncReport syncTowardsSource(DatabasePair pair, long margin, Duration fenceWait) {
        return copy(pair, pair.target(), pair.source(), margin, fenceWait);
    }

    private SyncReport copy(DatabasePair pair, Endpoint from, Endpoint to, long margin, Duration fenceWait) {
        if (margin < 0) {
            throw new IllegalArgumentException("the sequence margin cannot be negative, was " + margin);
        }
        long started = System.nanoTime();
        // Logging in costs tens of milliseconds (SCRAM): a warm connection is used when there is one, else the
        // login to the side being set overlaps the read.
        CompletableFuture<WarmConnections.Lease> setting = CompletableFuture.supplyAsync(() -> lease(to));
        Map<SequenceDefinition, SequenceState> read;
        try (WarmConnections.Lease lease = connections.lease(from)) {
            Connection connection = lease.connection();
            FenceState.await(connection, pair.appRoles(), Instant.now().plus(fenceWait), from);
            read = read(connection, pair.scope());
        } catch (SQLException e) {
            setting.thenAccept(WarmConnections.Lease::close);
            throw Catalog.failure("reading the sequences", from, e);
        }
        List<SequenceState> wanted = new ArrayList<>();
        read.forEach((definition, state) -> wanted.add(definition.onTarget(state, margin)));
        try (WarmConnections.Lease lease = join(setting)) {
            if (!wanted.isEmpty()) {
                setAll(lease.connection(), from, to, pair.scope(), wanted);
            }
        } catch (SQLException e) {
            throw Catalog.failure("setting the sequences", to, e);
        }
        return new SyncReport(wanted.size(), margin, Duration.ofNanos(System.nanoTime() - started));
    }

    private static void setAll(Connection connection, Endpoint from, Endpoint target, SchemaScope scope,
            List<SequenceState> wanted) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(SET_ALL)) {
            statement.setArray(1, connection.createArrayOf("text", wanted.stream().map(SequenceState::name).toArray()));
            statement.setArray(2, connection.createArrayOf("int8", wanted.stream().map(SequenceState::lastValue).toArray()));
            statement.setArray(3, connection.createArrayOf("bool", wanted.stream().map(SequenceState::called).toArray()));
            statement.executeQuery().close();
        } catch (SQLException e) {
            if ("42P01".equals(e.getSQLState())) {
                throw new StepFailure("a sequence of " + from.describe() + " is missing on " + target.describe() + " ("
                        + e.getMessage() + "): apply the schema (ApplySchema PRE_DATA) and check it (VerifySchema)",
                        false, e);
            }
            throw e;
        }
        Map<String, SequenceState> actual = new HashMap<>();
        read(connection, scope).values().forEach(state -> actual.put(state.name(), state));
        List<String> wrong = new ArrayList<>();
        for (SequenceState expected : wanted) {
            SequenceState found = actual.get(expected.name());
            if (!expected.equals(found)) {
                wrong.add(expected.name() + " is at " + (found == null ? "nothing" : found.lastValue())
                        + " instead of " + expected.lastValue());
            }
        }
        if (!wrong.isEmpty()) {
            throw new StepFailure("sequences on " + target.describe() + " moved while they were set: " + wrong
                    + "; something writes to the target: stop it and send SyncSequences again", true);
        }
    }

    private WarmConnections.Lease lease(Endpoint endpoint) {
        try {
            return connections.lease(endpoint);
        } catch (SQLException e) {
            throw Catalog.failure("connecting", endpoint, e);
        }
    }

    private static WarmConnections.Lease join(CompletableFuture<WarmConnections.Lease> lease) {
        try {
            return lease.join();
        } catch (CompletionException e) {
            throw e.getCause() instanceof RuntimeException cause ? cause : e;
        }
    }

    /**
     * Every sequence of the schemas in scope, by name order, with where it stands. The scope is resolved inside the
     * query, not by a query before it: this runs while the application waits.
     */
    static Map<SequenceDefinition, SequenceState> read(Connection connection, SchemaScope scope) throws SQLException {
        Map<SequenceDefinition, SequenceState> sequences = new LinkedHashMap<>();
        try (PreparedStatement statement = connection.prepareStatement(SEQUENCES)) {
            scope.bind(statement, 1);
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    String name = rows.getString(1);
                    sequences.put(new SequenceDefinition(name, rows.getLong(2), rows.getLong(3), rows.getLong(4)),
                            new SequenceState(name, rows.getLong(5), rows.getBoolean(6)));
                }
            }
        }
        return sequences;
    }
}
