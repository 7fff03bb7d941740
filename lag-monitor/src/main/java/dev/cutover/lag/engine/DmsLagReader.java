package dev.cutover.lag.engine;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * AWS DMS: the control tables it keeps on the target. DMS writes its timestamps in UTC without a time zone;
 * apply lag is STATUS_TIME - SOURCE_TIMESTAMP_APPLIED, both from DMS's clock, so no clock of ours enters it.
 */
final class DmsLagReader implements LagReader {

    private final ReplicationEngine.Dms engine;

    DmsLagReader(ReplicationEngine.Dms engine) {
        this.engine = engine;
    }

    @Override
    public ReplicationEngine engine() {
        return engine;
    }

    @Override
    public LagSample read(Connection source, Connection target, Instant at) throws SQLException {
        SourceFigures sourceFigures = LagReader.readSource(source, engine.slotName());
        return new LagSample(at, EngineKind.DMS, sourceFigures, readStatus(target).map(TargetFigures.class::cast),
                Optional.empty());
    }

    private Optional<TargetFigures.DmsTask> readStatus(Connection target) throws SQLException {
        Columns status = Columns.of(target, engine.controlSchema(), "awsdms_status");
        if (status.isEmpty()) {
            return Optional.empty();
        }
        String sql = "select " + status.select("TASK_NAME", "TASK_STATUS", "STATUS_TIME", "PENDING_CHANGES",
                "SOURCE_TIMESTAMP_APPLIED") + " from " + status.table()
                + (engine.task().isPresent() ? " where " + status.name("TASK_NAME") + " = ?" : "")
                + " order by " + status.name("STATUS_TIME") + " desc nulls last limit 1";
        try (PreparedStatement statement = target.prepareStatement(sql)) {
            if (engine.task().isPresent()) {
                statement.setString(1, engine.task().get());
            }
            try (ResultSet rs = statement.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                String task = rs.getString(1);
                Instant statusTime = utc(rs.getObject(3, LocalDateTime.class));
                Instant applied = utc(rs.getObject(5, LocalDateTime.class));
                Long applyLagMs = statusTime == null || applied == null
                        ? null
                        : Math.max(0, Duration.between(applied, statusTime).toMillis());
                return Optional.of(new TargetFigures.DmsTask(task, rs.getString(2), statusTime, rs.getLong(4), applied,
                        applyLagMs, historyLatencyMs(target, task)));
            }
        }
    }

    private Long historyLatencyMs(Connection target, String task) throws SQLException {
        Columns history = Columns.of(target, engine.controlSchema(), "awsdms_history");
        if (history.isEmpty()) {
            return null;
        }
        String sql = "select " + history.select("TIMESLOT_LATENCY") + " from " + history.table()
                + " where " + history.name("TASK_NAME") + " = ? and " + history.name("TIMESLOT_TYPE") + " = ?"
                + " order by " + history.name("TIMESLOT") + " desc limit 1";
        try (PreparedStatement statement = target.prepareStatement(sql)) {
            statement.setString(1, task);
            statement.setString(2, TargetFigures.DmsTask.CHANGE_PROCESSING);
            try (ResultSet rs = statement.executeQuery()) {
                if (!rs.next()) {
                    return null;
                }
                Long seconds = LagReader.nullableLong(rs, 1);
                return seconds == null ? null : seconds * 1000;
            }
        }
    }

    private static Instant utc(LocalDateTime value) {
        return value == null ? null : value.toInstant(ZoneOffset.UTC);
    }

    /**
     * The control table's real column names. DMS documents them in upper case; whether a target keeps them
     * quoted in upper case or folds them depends on how the task created them, so they are looked up.
     */
    private record Columns(String table, Map<String, String> byUpperName) {

        static Columns of(Connection connection, String schema, String table) throws SQLException {
            Map<String, String> columns = new HashMap<>();
            try (PreparedStatement statement = connection.prepareStatement("""
                    select column_name::text, quote_ident(table_schema) || '.' || quote_ident(table_name)
                    from information_schema.columns
                    where table_schema = ? and lower(table_name) = ?
                    """)) {
                statement.setString(1, schema);
                statement.setString(2, table);
                String qualified = null;
                try (ResultSet rs = statement.executeQuery()) {
                    while (rs.next()) {
                        columns.put(rs.getString(1).toUpperCase(Locale.ROOT), rs.getString(1));
                        qualified = rs.getString(2);
                    }
                }
                return new Columns(qualified, columns);
            }
        }

        boolean isEmpty() {
            return byUpperName.isEmpty();
        }

        String name(String upperName) {
            String actual = byUpperName.get(upperName);
            if (actual == null) {
                throw new IllegalStateException(table + " has no column " + upperName
                        + ": it is not shaped like AWS DMS's control table; check dms-control-schema");
            }
            return '"' + actual.replace("\"", "\"\"") + '"';
        }

        String select(String... upperNames) {
            StringBuilder select = new StringBuilder();
            for (String upperName : upperNames) {
                select.append(select.isEmpty() ? "" : ", ").append(name(upperName));
            }
            return select.toString();
        }
    }
}
