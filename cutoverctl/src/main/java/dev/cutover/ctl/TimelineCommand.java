package dev.cutover.ctl;

import java.util.List;

import dev.cutover.ctl.replay.Timeline;

/**
 * {@code timeline}: the replay of one cutover's or migration's whole log, for post-incident reviews and rehearsal
 * reports.
 */
final class TimelineCommand implements Command {

    @Override
    public String name() {
        return "timeline";
    }

    @Override
    public String summary() {
        return "replay every message of a cutover or migration with its time offset, then downtime and step durations";
    }

    @Override
    public List<String> description() {
        return List.of(
                "Merges the cutover's commands and events, orders them by metadata.occurredAt and prints each",
                "with its offset from the first, type, producer and a summary; then the downtime",
                "(CutoverCompleted.downtimeMs, else TrafficStopped to TrafficResumed or SourceRestored) and how",
                "long each step took. --json prints one JSON object with every message's full value instead.",
                "",
                "A migration's timeline (--migration) says migration and its state (running, ready, stopped), and has",
                "no downtime.",
                "",
                "Exit: 0 found, 3 no message of that cutover or migration, 4 Kafka failed.");
    }

    @Override
    public List<Option> options() {
        return List.of(
                Option.valued("cutover", "ID", "the cutover to replay"),
                Option.valued("migration", "ID", "instead of --cutover: the migration to replay"),
                Option.flag("json", "print one JSON object instead of text"));
    }

    @Override
    public int run(Arguments arguments, Session session) {
        var cutover = arguments.optional("cutover");
        var migration = arguments.optional("migration");
        if (cutover.isPresent() == migration.isPresent()) {
            throw new UsageException("give either --cutover ID or --migration ID");
        }
        var cutoverId = cutover.isPresent() ? CutoverIds.check(cutover.get(), "--cutover")
                : CutoverIds.check(migration.get(), "--migration");
        Timeline timeline;
        try (var log = new MessageLog(session.kafka(), cutoverId)) {
            timeline = Timeline.of(cutoverId, log.readToEnd());
        }
        if (arguments.flag("json")) {
            session.out().println(timeline.toJson());
        } else {
            timeline.render().forEach(session.out()::println);
        }
        return timeline.summary().found() || !timeline.undecodable().isEmpty()
                ? ExitCodes.OK : ExitCodes.NOT_FOUND_OR_UNFINISHED;
    }
}
