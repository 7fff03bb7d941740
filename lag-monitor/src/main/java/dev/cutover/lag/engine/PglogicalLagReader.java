package dev.cutover.lag.engine;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Optional;

/** pglogical 2: the subscription's status from its SQL function on the target, then its slot on the source. */
final class PglogicalLagReader implements LagReader {

    private static final String STATUS = """
            select subscription_name, status, provider_node, slot_name
            from pglogical.show_subscription_status(?::name)
            """;

    private final ReplicationEngine.Pglogical engine;

    PglogicalLagReader(ReplicationEngine.Pglogical engine) {
        this.engine = engine;
    }

    @Override
    public ReplicationEngine engine() {
        return engine;
    }

    @Override
    public LagSample read(Connection source, Connection target, Instant at) throws SQLException {
        Optional<TargetFigures.PglogicalSubscription> subscription = readStatus(target);
        Optional<String> slot = engine.slotName().or(() -> subscription.map(TargetFigures.PglogicalSubscription::slotName));
        SourceFigures sourceFigures = LagReader.readSource(source, slot);
        return new LagSample(at, EngineKind.PGLOGICAL, sourceFigures, subscription.map(TargetFigures.class::cast),
                Optional.empty());
    }

    private Optional<TargetFigures.PglogicalSubscription> readStatus(Connection target) throws SQLException {
        try (PreparedStatement statement = target.prepareStatement(STATUS)) {
            statement.setString(1, engine.subscription());
            try (ResultSet rs = statement.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                return Optional.of(new TargetFigures.PglogicalSubscription(rs.getString(1), rs.getString(2),
                        rs.getString(3), rs.getString(4)));
            }
        }
    }
}
