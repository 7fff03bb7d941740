package dev.cutover.platform.database;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.LockSupport;

import dev.cutover.platform.StepFailure;

/**
 * Makes tables added to a publication that a slot decodes safe on every source.
 *
 * <p>PostgreSQL before its 2025 fix (in the minor releases of 13 to 17 from May 2025; 11 and 12 never got it) did not
 * pass a publication change on to transactions being decoded across it. A transaction that wrote a table before {@code
 * ALTER PUBLICATION ... ADD TABLE} committed, and committed after, is decoded with the table cached as unpublished, and
 * nothing invalidates that cache again: every later change of the table is left out of the stream, silently (the stale
 * view sits in the catalogue cache's membership lists and in the output plugin's table cache). {@link #settle} closes
 * the window: it waits until every transaction that could have written before the change has ended, then writes and
 * removes rows of {@code pg_publication_rel} in one transaction (a scratch publication of the added tables), which
 * invalidates every cached membership list and every table the output plugin cached. Every transaction decoded after
 * that started after the change, so it sees the tables published.
 */
public final class PublicationMembership {

    private static final Duration POLL = Duration.ofMillis(100);

    private PublicationMembership() {
    }

    /**
     * Call on the source after the publication's change has committed (the connection in auto-commit), and before
     * anything relies on the added tables' changes being streamed (a table synchronisation's copy, a canary).
     *
     * @param tables   the tables added, as {@code ALTER PUBLICATION ... ADD TABLE} names them (quoted; {@code ONLY}
     *                 where meant)
     * @param patience how long to wait for transactions open across the change; after it this fails, retryably,
     *                 naming them
     */
    public static void settle(Connection source, String publication, List<String> tables, Duration patience)
            throws SQLException {
        long horizon;
        try (Statement statement = source.createStatement();
                ResultSet row = statement.executeQuery("SELECT txid_snapshot_xmax(txid_current_snapshot())")) {
            row.next();
            horizon = row.getLong(1);
        }
        Instant deadline = Instant.now().plus(patience);
        while (oldestRunning(source) < horizon) {
            if (Instant.now().isAfter(deadline)) {
                throw new StepFailure("after " + patience + " transactions that were open when the publication "
                        + publication + " took new tables are still open on the source: " + openBefore(source, horizon)
                        + ". Their decoding could hide the new tables' changes on PostgreSQL without the 2025 fix,"
                        + " so nothing goes on until they end: let them finish (or end them with"
                        + " pg_terminate_backend(pid); COMMIT PREPARED or ROLLBACK PREPARED for a prepared one) and send"
                        + " the command again", true);
            }
            LockSupport.parkNanos(POLL.toNanos());
        }
        // Any row written to pg_publication_rel invalidates every cached membership list, and with it every table
        // cached by the decoding's output plugin: a publication that lives only inside this transaction does that.
        String scratch = "cutover_settle_" + horizon;
        boolean autoCommit = source.getAutoCommit();
        source.setAutoCommit(false);
        try (Statement statement = source.createStatement()) {
            statement.execute("CREATE PUBLICATION " + scratch + " FOR TABLE " + String.join(", ", tables));
            statement.execute("DROP PUBLICATION " + scratch);
            source.commit();
        } catch (SQLException e) {
            source.rollback();
            throw e;
        } finally {
            source.setAutoCommit(autoCommit);
        }
    }

    /** The oldest transaction id still running, prepared ones included. */
    private static long oldestRunning(Connection source) throws SQLException {
        try (Statement statement = source.createStatement();
                ResultSet row = statement.executeQuery("SELECT txid_snapshot_xmin(txid_current_snapshot())")) {
            row.next();
            return row.getLong(1);
        }
    }

    private static String openBefore(Connection source, long horizon) throws SQLException {
        List<String> open = new ArrayList<>();
        // txid_current_snapshot() counts epochs; backend_xid does not: compare within the current epoch.
        try (PreparedStatement statement = source.prepareStatement("""
                SELECT 'pid ' || pid || ' (' || coalesce(usename, '?') || ', ' || coalesce(application_name, '')
                       || ', open since ' || xact_start || ')'
                FROM pg_stat_activity
                WHERE backend_xid IS NOT NULL AND backend_xid::text::bigint < ? % 4294967296
                UNION ALL
                SELECT 'prepared ' || quote_literal(gid) || ' (' || owner || ', since ' || prepared || ')'
                FROM pg_prepared_xacts WHERE transaction::text::bigint < ? % 4294967296""")) {
            statement.setLong(1, horizon);
            statement.setLong(2, horizon);
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    open.add(rows.getString(1));
                }
            }
        }
        return open.isEmpty() ? "(they ended as this was written)" : String.join("; ", open);
    }
}
