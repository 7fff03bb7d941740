package dev.cutover.lag.engine;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Optional;

/** PostgreSQL logical replication: the slot on the source, the subscription and its apply worker on the target. */
final class NativeLagReader implements LagReader {

    // relid is null for the apply worker; table-sync workers have their own rows.
    private static final String SUBSCRIPTION = """
            select s.subname::text, s.subenabled, st.pid is not null, st.received_lsn::text,
                   st.latest_end_lsn::text, st.latest_end_time
            from pg_subscription s
            left join pg_stat_subscription st on st.subid = s.oid and st.relid is null
            where s.subname = ? and s.subdbid = (select oid from pg_database where datname = current_database())
            """;

    private final ReplicationEngine.Native engine;

    NativeLagReader(ReplicationEngine.Native engine) {
        this.engine = engine;
    }

    @Override
    public ReplicationEngine engine() {
        return engine;
    }

    @Override
    public LagSample read(Connection source, Connection target, Instant at) throws SQLException {
        // The source first: read in this order, lag can only be overstated, never understated.
        SourceFigures sourceFigures = LagReader.readSource(source, engine.slot());
        return new LagSample(at, EngineKind.NATIVE, sourceFigures, readSubscription(target), Optional.empty());
    }

    private Optional<TargetFigures> readSubscription(Connection target) throws SQLException {
        try (PreparedStatement statement = target.prepareStatement(SUBSCRIPTION)) {
            statement.setString(1, engine.subscription());
            try (ResultSet rs = statement.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                return Optional.of(new TargetFigures.Subscription(rs.getString(1), rs.getBoolean(2), rs.getBoolean(3),
                        Lsn.parseOrNull(rs.getString(4)), Lsn.parseOrNull(rs.getString(5)),
                        LagReader.nullableInstant(rs, 6)));
            }
        }
    }
}
