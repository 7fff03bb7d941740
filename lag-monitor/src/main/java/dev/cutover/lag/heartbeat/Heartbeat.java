package dev.cutover.lag.heartbeat;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Optional;

/**
 * A row the source rewrites every interval and replication carries to the target: its age on the target is
 * the end-to-end lag as an application would feel it, whatever the engine. Its age is measured with the
 * target's clock against the source's, so skew between the two servers' clocks enters the figure (both run
 * on one machine in the local stack; across hosts, keep them on NTP). It also includes up to one interval
 * when the newest beat is still on its way.
 */
public final class Heartbeat {

    /** Owned by schema-service, which creates it on both sides with the rest of the {@code cutover} schema. */
    static final String TABLE = "cutover.heartbeat";

    private static final String UNDEFINED_TABLE = "42P01";
    private static final String UNDEFINED_SCHEMA = "3F000";

    private Heartbeat() {
    }

    /** Writes the beat; an UPSERT of one row, so it costs one small WAL record and never grows the table. */
    public static void beat(Connection source) throws SQLException {
        try (Statement statement = source.createStatement()) {
            statement.executeUpdate("insert into " + TABLE + " (id, beat_at) values (1, now())"
                    + " on conflict (id) do update set beat_at = excluded.beat_at");
        }
    }

    /** Age of the newest beat on the target in milliseconds; empty when no beat has arrived or the table is missing. */
    public static Optional<Long> lagOnTarget(Connection target) throws SQLException {
        try (Statement statement = target.createStatement();
                ResultSet rs = statement.executeQuery("select greatest(0, round(extract(epoch from clock_timestamp()"
                        + " - beat_at) * 1000))::bigint from " + TABLE + " where id = 1")) {
            return rs.next() ? Optional.of(rs.getLong(1)) : Optional.empty();
        } catch (SQLException e) {
            if (isMissingTable(e)) {
                return Optional.empty();
            }
            throw e;
        }
    }

    /** Whether the error says the {@code cutover} schema or its table is not there (yet). */
    public static boolean isMissingTable(SQLException e) {
        return UNDEFINED_TABLE.equals(e.getSQLState()) || UNDEFINED_SCHEMA.equals(e.getSQLState());
    }
}
