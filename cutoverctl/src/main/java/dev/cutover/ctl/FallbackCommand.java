package dev.cutover.ctl;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.WakeupException;

import dev.cutover.ctl.replay.CutoverSummary;
import dev.cutover.ctl.replay.Decoded;
import dev.cutover.ctl.replay.LoggedRecord;
import dev.cutover.ctl.replay.Outcome;
import dev.cutover.ctl.replay.Summaries;
import dev.cutover.ctl.replay.Times;
import dev.cutover.events.FallbackCompleted;
import dev.cutover.events.FallbackRejected;
import dev.cutover.events.FallbackRolledBack;
import dev.cutover.events.MetadataFactory;
import dev.cutover.events.StartFallback;

/** {@code fallback}: asks the saga to move a completed cutover's clients back to the source. */
final class FallbackCommand implements Command {

    private static final Duration POLL = Duration.ofMillis(200);

    @Override
    public String name() {
        return "fallback";
    }

    @Override
    public String summary() {
        return "publish StartFallback: move a completed cutover's clients back to the source";
    }

    @Override
    public List<String> description() {
        return List.of(
                "Reads the cutover's messages to find its database and check that it completed, then publishes",
                "StartFallback. The saga flips DNS back to the still locked source, fences the target, waits until",
                "the source has applied every write the target took (reverse replication), sets the source's",
                "sequences past the target's, opens the source and stops the reverse replication. A failure before",
                "the source opens puts the target back (FallbackRolledBack). With --watch, prints each message of",
                "the fallback until it ends.",
                "",
                "Exit: 0 published (with --watch: fell back), 1 the cutover did not complete, or (with --watch) the",
                "fallback was refused or rolled back, 3 no such cutover or --timeout passed, 4 Kafka failed.");
    }

    @Override
    public List<Option> options() {
        return List.of(
                Option.valued("cutover", "ID", "the completed cutover to fall back (required)"),
                Option.valued("operator", "WHO", "who asks, checked against the saga's allow-list (default: the SASL user of --kafka-config, else $USER)"),
                Option.valued("reason", "TEXT", "why, kept in the audit trail (required)"),
                Option.flag("watch", "print the fallback's messages until it ends"),
                Option.valued("timeout", "DURATION", "with --watch, give up after this long, e.g. 2m"));
    }

    @Override
    public int run(Arguments arguments, Session session) {
        var cutoverId = CutoverIds.check(arguments.required("cutover"), "--cutover");
        var operator = session.operator(arguments);
        var reason = arguments.required("reason");
        try (var log = new MessageLog(session.kafka(), cutoverId);
                var interrupt = session.interrupts().onInterrupt(log::wakeup)) {
            CutoverSummary summary = CutoverSummary.of(cutoverId, log.readToEnd());
            if (!summary.found() || summary.database() == null) {
                session.err().println("no cutover " + cutoverId + " on " + session.kafka().bootstrapServers()
                        + ": nothing to fall back");
                return ExitCodes.NOT_FOUND_OR_UNFINISHED;
            }
            if (summary.outcome() != Outcome.COMPLETED) {
                session.err().println("cutover " + cutoverId + " is " + summary.outcome().words() + ", not completed:"
                        + " only a completed cutover's clients can be moved back (abort one that is running)");
                return ExitCodes.FAILED;
            }
            var command = StartFallback.newBuilder()
                    .setMetadata(new MetadataFactory(StartCommand.PRODUCER, session.clock())
                            .forCutover(summary.database(), cutoverId))
                    .setOperator(operator)
                    .setReason(reason)
                    .build();
            Publisher.publish(session.kafka(), cutoverId, command);
            session.out().println("fallback requested for " + cutoverId + " (database " + summary.database() + ")");
            if (!arguments.flag("watch")) {
                session.out().println("follow it with: cutoverctl status --cutover " + cutoverId);
                return ExitCodes.OK;
            }
            return follow(session, log, command.getMetadata().getOccurredAt(), arguments.duration("timeout"));
        } catch (WakeupException e) {
            session.err().println("stopped watching " + cutoverId + "; the fallback itself goes on");
            return ExitCodes.INTERRUPTED;
        }
    }

    /** Prints every message from the request on, until the fallback ends. */
    private static int follow(Session session, MessageLog log, Instant asked, Optional<Duration> timeout) {
        var deadline = timeout.map(session.clock().instant()::plus);
        while (true) {
            if (deadline.isPresent() && !session.clock().instant().isBefore(deadline.get())) {
                session.err().println("the fallback has not ended after " + Times.length(timeout.get())
                        + "; it goes on: cutoverctl status shows where it stands");
                return ExitCodes.NOT_FOUND_OR_UNFINISHED;
            }
            for (LoggedRecord record : log.poll(POLL)) {
                if (!(record instanceof Decoded decoded) || decoded.occurredAt().isBefore(asked)) {
                    continue;
                }
                SpecificRecord message = decoded.message();
                session.out().println("+" + Times.length(Duration.between(asked, decoded.occurredAt()).toMillis())
                        + "  " + decoded.type() + "  " + Summaries.of(message));
                switch (message) {
                    case FallbackCompleted completed -> {
                        return ExitCodes.OK;
                    }
                    case FallbackRolledBack rolledBack -> {
                        return ExitCodes.FAILED;
                    }
                    case FallbackRejected rejected -> {
                        return ExitCodes.FAILED;
                    }
                    default -> {
                    }
                }
            }
            session.out().flush();
        }
    }
}
