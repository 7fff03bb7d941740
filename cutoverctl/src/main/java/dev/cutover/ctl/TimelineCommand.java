package dev.cutover.ctl;

import java.util.List;

import dev.cutover.ctl.replay.Timeline;

/** {@code timeline}: the replay of one cutover's whole log, for post-incident reviews and rehearsal reports. */
final class TimelineCommand implements Command {

    @Override
    public String name() {
        return "timeline";
    }

    @Override
    public String summary() {
        return "replay every message of a cutover with its time offset, then downtime and step durations";
    }

    @Override
    public List<String> description() {
        return List.of(
                "Merges the cutover's commands and events, orders them by metadata.occurredAt and prints each",
                "with its offset from the first, type, producer and a summary; then the downtime",
                "(CutoverCompleted.downtimeMs, else TrafficStopped to TrafficResumed or SourceRestored) and how",
                "long each step took. --json prints one JSON object with every message's full value instead.",
                "",
                "Exit: 0 found, 3 no message of that cutover, 4 Kafka failed.");
    }

    @Override
    public List<Option> options() {
        return List.of(
                Option.valued("cutover", "ID", "the cutover to replay (required)"),
                Option.flag("json", "print one JSON object instead of text"));
    }

    @Override
    public int run(Arguments arguments, Session session) {
        var cutoverId = CutoverIds.check(arguments.required("cutover"), "--cutover");
        Timeline timeline;
        try (var log = new CutoverLog(session.kafka(), cutoverId)) {
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
