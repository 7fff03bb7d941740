package dev.cutover.ctl;

import java.util.List;

import dev.cutover.ctl.replay.CutoverSummary;
import dev.cutover.events.AbortCutover;
import dev.cutover.events.MetadataFactory;

/** {@code abort}: asks the saga to stop a running cutover and put the source back. */
final class AbortCommand implements Command {

    @Override
    public String name() {
        return "abort";
    }

    @Override
    public String summary() {
        return "publish AbortCutover for a running cutover";
    }

    @Override
    public List<String> description() {
        return List.of(
                "Reads the cutover's messages to find its database and check that it is still running, then",
                "publishes AbortCutover. The saga rolls back if DNS has not been flipped yet; follow it with watch.",
                "",
                "Exit: 0 published, 1 the cutover has already ended or is already rolling back, 3 no such cutover,",
                "4 Kafka failed.");
    }

    @Override
    public List<Option> options() {
        return List.of(
                Option.valued("cutover", "ID", "the cutover to abort (required)"),
                Option.valued("operator", "WHO", "who asks, checked against the saga's allow-list (default: the SASL user of --kafka-config, else $USER)"),
                Option.valued("reason", "TEXT", "why, kept in the audit trail (required)"));
    }

    @Override
    public int run(Arguments arguments, Session session) {
        var cutoverId = CutoverIds.check(arguments.required("cutover"), "--cutover");
        var operator = session.operator(arguments);
        var reason = arguments.required("reason");
        CutoverSummary summary;
        try (var log = new MessageLog(session.kafka(), cutoverId)) {
            summary = CutoverSummary.of(cutoverId, log.readToEnd());
        }
        if (!summary.found() || summary.database() == null) {
            session.err().println("no cutover " + cutoverId + " on " + session.kafka().bootstrapServers()
                    + ": nothing to abort");
            return ExitCodes.NOT_FOUND_OR_UNFINISHED;
        }
        if (summary.outcome().terminal()) {
            session.err().println("cutover " + cutoverId + " has already ended (" + summary.outcome().words()
                    + "): nothing to abort");
            return ExitCodes.FAILED;
        }
        if (summary.currentStep() != null && summary.currentStep().startsWith("compensating")) {
            // The saga would take a second abort for the first one read again, and say nothing.
            session.err().println("cutover " + cutoverId + " is already rolling back (" + summary.lastFailure()
                    + "): an abort asks for nothing more; follow it with: cutoverctl watch --cutover " + cutoverId
                    + " (each CompensationRetried line names the service it waits for)");
            return ExitCodes.FAILED;
        }
        var command = AbortCutover.newBuilder()
                .setMetadata(new MetadataFactory(StartCommand.PRODUCER, session.clock())
                        .forCutover(summary.database(), cutoverId))
                .setOperator(operator)
                .setReason(reason)
                .build();
        Publisher.publish(session.kafka(), cutoverId, command);
        session.out().println("abort requested for " + cutoverId + " (database " + summary.database()
                + "); follow it with: cutoverctl watch --cutover " + cutoverId);
        return ExitCodes.OK;
    }
}
