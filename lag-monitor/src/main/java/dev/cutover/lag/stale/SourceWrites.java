package dev.cutover.lag.stale;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the source's write statistics and the sessions that could be writing. Statistics reach the views
 * when a session finishes a transaction, at most every half second per session in PostgreSQL before 15,
 * so a stale write shows within about a second.
 */
final class SourceWrites {

    // One statement, so one poll is exactly one transaction of ours in xact_commit.
    private static final String COUNTERS = """
            select (select coalesce(sum(n_tup_ins + n_tup_upd + n_tup_del), 0)::bigint
                    from pg_stat_user_tables where schemaname <> 'cutover'),
                   (select xact_commit from pg_stat_database where datname = current_database())
            """;

    private static final String SESSIONS = """
            select usename::text, coalesce(host(client_addr), 'local'), application_name, count(*)::int
            from pg_stat_activity
            where datname = current_database() and pid <> pg_backend_pid()
              and backend_type = 'client backend' and usename <> ?
            group by 1, 2, 3 order by 4 desc
            """;

    private SourceWrites() {
    }

    static WriteCounters counters(Connection source) throws SQLException {
        // Statistics are cached per transaction; each poll must see fresh ones.
        try (PreparedStatement statement = source.prepareStatement(COUNTERS); ResultSet rs = statement.executeQuery()) {
            rs.next();
            return new WriteCounters(rs.getLong(1), rs.getLong(2));
        }
    }

    /** Sessions of any role but cutover's administrative one: application roles and anything that was not fenced. */
    static List<Session> sessions(Connection source, String adminRole) throws SQLException {
        List<Session> sessions = new ArrayList<>();
        try (PreparedStatement statement = source.prepareStatement(SESSIONS)) {
            statement.setString(1, adminRole);
            try (ResultSet rs = statement.executeQuery()) {
                while (rs.next()) {
                    sessions.add(new Session(rs.getString(1), rs.getString(2), rs.getString(3), rs.getInt(4)));
                }
            }
        }
        return sessions;
    }
}
