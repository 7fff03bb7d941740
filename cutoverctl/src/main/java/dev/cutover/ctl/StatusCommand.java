package dev.cutover.ctl;

import java.util.List;

import dev.cutover.ctl.replay.CutoverSummary;

/** {@code status}: where a cutover stands, read from its messages so far. */
final class StatusCommand implements Command {

    @Override
    public String name() {
        return "status";
    }

    @Override
    public String summary() {
        return "print where a cutover stands: step or result, elapsed, downtime, last failure";
    }

    @Override
    public List<String> description() {
        return List.of(
                "Reads the cutover's commands and events from the beginning up to the current end and prints",
                "its database, operator, start, current step or result, elapsed time, downtime if known and the",
                "last failure.",
                "",
                "Exit: 0 found, 3 no message of that cutover, 4 Kafka failed.");
    }

    @Override
    public List<Option> options() {
        return List.of(Option.valued("cutover", "ID", "the cutover to show (required)"));
    }

    @Override
    public int run(Arguments arguments, Session session) {
        var cutoverId = CutoverIds.check(arguments.required("cutover"), "--cutover");
        CutoverSummary summary;
        try (var log = new MessageLog(session.kafka(), cutoverId)) {
            summary = CutoverSummary.of(cutoverId, log.readToEnd());
        }
        summary.render(session.clock().instant()).forEach(session.out()::println);
        return summary.found() ? ExitCodes.OK : ExitCodes.NOT_FOUND_OR_UNFINISHED;
    }
}
