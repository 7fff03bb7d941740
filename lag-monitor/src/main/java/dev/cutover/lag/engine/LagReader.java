package dev.cutover.lag.engine;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Optional;

/** Reads one engine's figures from the source and the target; one implementation per engine. */
public sealed interface LagReader permits NativeLagReader, DmsLagReader, PglogicalLagReader {

    /** Reads both sides; the heartbeat is left empty, it is read by the heartbeat. */
    LagSample read(Connection source, Connection target, Instant at) throws SQLException;

    ReplicationEngine engine();

    static LagReader of(ReplicationEngine engine) {
        return switch (engine) {
            case ReplicationEngine.Native nativeEngine -> new NativeLagReader(nativeEngine);
            case ReplicationEngine.Dms dms -> new DmsLagReader(dms);
            case ReplicationEngine.Pglogical pglogical -> new PglogicalLagReader(pglogical);
        };
    }

    /** The source's WAL position and, if asked for and present, the slot, measured in one statement. */
    static SourceFigures readSource(Connection source, Optional<String> slot) throws SQLException {
        try (PreparedStatement statement = source.prepareStatement("""
                with wal as (select pg_current_wal_lsn() as lsn)
                select wal.lsn::text, s.slot_name::text, s.confirmed_flush_lsn::text,
                       pg_wal_lsn_diff(wal.lsn, s.confirmed_flush_lsn)::bigint,
                       pg_wal_lsn_diff(wal.lsn, s.restart_lsn)::bigint, s.active
                from wal left join pg_replication_slots s on s.slot_name = ?
                """)) {
            statement.setString(1, slot.orElse(null));
            try (ResultSet rs = statement.executeQuery()) {
                rs.next();
                Lsn current = Lsn.parse(rs.getString(1));
                if (rs.getString(2) == null) {
                    return new SourceFigures(current, Optional.empty());
                }
                return new SourceFigures(current, Optional.of(new SourceFigures.Slot(rs.getString(2),
                        Lsn.parseOrNull(rs.getString(3)), nullableLong(rs, 4), nullableLong(rs, 5), rs.getBoolean(6))));
            }
        }
    }

    static Long nullableLong(ResultSet rs, int column) throws SQLException {
        long value = rs.getLong(column);
        return rs.wasNull() ? null : value;
    }

    static Instant nullableInstant(ResultSet rs, int column) throws SQLException {
        java.time.OffsetDateTime value = rs.getObject(column, java.time.OffsetDateTime.class);
        return value == null ? null : value.toInstant();
    }
}
