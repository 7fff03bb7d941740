package dev.cutover.console.board;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import dev.cutover.ctl.replay.CutoverSummary;
import dev.cutover.ctl.replay.Decoded;
import dev.cutover.ctl.replay.Json;
import dev.cutover.ctl.replay.LoggedRecord;
import dev.cutover.ctl.replay.MigrationSummary;
import dev.cutover.ctl.replay.Timeline;
import dev.cutover.ctl.replay.Undecodable;
import dev.cutover.events.LagReported;
import dev.cutover.events.topic.Topics;

/**
 * Everything the console has read, by cutover, migration and database: each record in, the new view of what it
 * changed out. Each cutover's log is replayed whole through {@link Timeline} on every record, so the console shows
 * exactly what {@code cutoverctl timeline} prints; a cutover is tens of messages. Not thread safe: one reader feeds
 * it, and whoever shares it across threads locks around it.
 */
public final class Board {

    private final int lagPoints;
    private final Map<String, List<LoggedRecord>> logs = new LinkedHashMap<>();
    private final Map<String, Update> views = new LinkedHashMap<>();
    private final Map<String, Timeline> timelines = new LinkedHashMap<>();
    private final Map<String, List<LagReported>> lag = new LinkedHashMap<>();
    private long ignored;

    public Board(int lagPoints) {
        if (lagPoints < 1) {
            throw new IllegalArgumentException("keep at least one lag report per database, was " + lagPoints);
        }
        this.lagPoints = lagPoints;
    }

    /** The view this record changed, if it belongs to a cutover, a migration or a database's lag. */
    public Optional<Update> accept(LoggedRecord record) {
        if (record.position().topic().equals(Topics.LAG.name())) {
            return record instanceof Decoded decoded && decoded.message() instanceof LagReported report
                    ? Optional.of(lagReported(report)) : ignore();
        }
        var id = idOf(record);
        if (id == null) {
            return ignore();
        }
        var log = logs.computeIfAbsent(id, key -> new ArrayList<>());
        log.add(record);
        var timeline = Timeline.of(id, log);
        timelines.put(id, timeline);
        var update = timeline.migration()
                .map(migration -> new Update("migration", id, Json.write(Views.migration(timeline, migration))))
                .orElseGet(() -> new Update("cutover", id, Json.write(Views.cutover(timeline))));
        views.put(id, update);
        return Optional.of(update);
    }

    /** The newest view of everything, oldest first: what a page that just opened needs. */
    public List<Update> snapshot() {
        var all = new ArrayList<>(views.values());
        lag.forEach((database, reports) -> all.add(lagUpdate(database, reports)));
        return all;
    }

    /** A cutover as read so far; empty for an id this board has not read, or a migration's. */
    public Optional<CutoverSummary> cutover(String id) {
        return Optional.ofNullable(timelines.get(id)).filter(timeline -> timeline.migration().isEmpty())
                .map(Timeline::summary);
    }

    /** A cutover's records as read so far, to replay; empty for an id this board has not read, or a migration's. */
    public Optional<List<LoggedRecord>> cutoverLog(String id) {
        return cutover(id).map(summary -> List.copyOf(logs.get(id)));
    }

    /** The database's migration that started last, as read so far: the one a cutover of the database follows. */
    public Optional<MigrationSummary> newestMigration(String database) {
        return timelines.values().stream()
                .flatMap(timeline -> timeline.migration().stream())
                .filter(migration -> database.equals(migration.database()) && migration.startedAt() != null)
                .max(Comparator.comparing(MigrationSummary::startedAt));
    }

    /** Records that were neither a cutover's, a migration's nor a lag report: keyless, or another topic's. */
    public long ignored() {
        return ignored;
    }

    private Update lagReported(LagReported report) {
        var database = report.getMetadata().getDatabase();
        var reports = lag.computeIfAbsent(database, key -> new ArrayList<>());
        reports.add(report);
        if (reports.size() > lagPoints) {
            reports.removeFirst();
        }
        return lagUpdate(database, reports);
    }

    private static Update lagUpdate(String database, List<LagReported> reports) {
        return new Update("lag", database, Json.write(Views.lag(database, reports)));
    }

    /** A cutover's or a migration's id from the message, or the record key when the value could not be read. */
    private static String idOf(LoggedRecord record) {
        return switch (record) {
            case Decoded decoded -> decoded.metadata().getCutoverId() != null ? decoded.metadata().getCutoverId()
                    : decoded.metadata().getMigrationId();
            case Undecodable undecodable -> undecodable.key();
        };
    }

    private Optional<Update> ignore() {
        ignored++;
        return Optional.empty();
    }
}
