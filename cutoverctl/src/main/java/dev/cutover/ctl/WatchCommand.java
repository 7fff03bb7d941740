package dev.cutover.ctl;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import org.apache.kafka.common.errors.WakeupException;

import dev.cutover.ctl.replay.CutoverSummary;
import dev.cutover.ctl.replay.Decoded;
import dev.cutover.ctl.replay.Followed;
import dev.cutover.ctl.replay.LoggedRecord;
import dev.cutover.ctl.replay.ProgressLine;
import dev.cutover.ctl.replay.Times;
import dev.cutover.events.topic.Topics;

/** {@code watch}: the cutover's progress, one line per event as it happens, until it ends. */
final class WatchCommand implements Command {

    private static final Duration POLL = Duration.ofMillis(200);
    /** How long a command may go unanswered before the operator is told what to check. */
    static final Duration NO_ANSWER = Duration.ofSeconds(30);

    @Override
    public String name() {
        return "watch";
    }

    @Override
    public String summary() {
        return "print a cutover's progress live, one line per event, until it ends";
    }

    @Override
    public List<String> description() {
        return List.of(
                "Prints what already happened, then each new event as it arrives, with the time since the",
                "operator's StartCutover. Stops at CutoverCompleted, CutoverPlanned (dry run), CutoverRolledBack",
                "or CutoverRejected.",
                "",
                "Exit: 0 completed or planned, 1 rolled back or rejected, 3 --timeout passed first, 130 Ctrl-C.");
    }

    @Override
    public List<Option> options() {
        return List.of(
                Option.valued("cutover", "ID", "the cutover to watch (required)"),
                Option.valued("timeout", "DURATION", "give up after this long, e.g. 10m (default: wait until it ends)"));
    }

    @Override
    public int run(Arguments arguments, Session session) {
        var cutoverId = CutoverIds.check(arguments.required("cutover"), "--cutover");
        return follow(session, cutoverId, arguments.duration("timeout"));
    }

    /** Also the tail of {@code start --watch}. */
    static int follow(Session session, String cutoverId, Optional<Duration> timeout) {
        return follow(session, CutoverSummary.empty(cutoverId), timeout);
    }

    /**
     * Prints what happened so far and then each new record, until the cutover or migration ends. While only commands
     * are in its log and no service has answered any, the operator is told once, after {@link #NO_ANSWER}, what to
     * check, and again if {@code timeout} passes first. When the log holds nothing of the id at all (a typo, or
     * another broker), the operator is told so at once; the watch goes on, as someone may be about to start it.
     */
    static <S extends Followed<S>> int follow(Session session, S initial, Optional<Duration> timeout) {
        var started = session.clock().instant();
        var deadline = timeout.map(started::plus);
        boolean told = false;
        try (var log = new MessageLog(session.kafka(), initial.id());
                var interrupt = session.interrupts().onInterrupt(log::wakeup)) {
            var progress = new Progress<>(session, initial);
            progress.show(CutoverSummary.inOrder(log.readToEnd()));
            if (!progress.summary.found()) {
                session.err().println("no message of " + initial.noun() + " " + initial.id() + " is on Kafka at "
                        + session.kafka().bootstrapServers() + " yet: " + checkTheId(initial)
                        + "; still waiting, in case it starts in a moment");
            }
            while (!progress.summary.outcome().terminal()) {
                var now = session.clock().instant();
                if (deadline.isPresent() && !now.isBefore(deadline.get())) {
                    session.err().println(progress.summary.found()
                            ? initial.noun() + " " + initial.id() + " has not ended after "
                                    + Times.length(timeout.get()) + "; it is still "
                                    + progress.summary.outcome().words()
                                    + (progress.unanswered() ? "; " + unanswered(initial) : "")
                            : initial.noun() + " " + initial.id() + " was never seen: no message of it arrived on Kafka"
                                    + " at " + session.kafka().bootstrapServers() + " within "
                                    + Times.length(timeout.get()) + "; " + checkTheId(initial));
                    return ExitCodes.NOT_FOUND_OR_UNFINISHED;
                }
                if (!told && progress.unanswered() && !now.isBefore(started.plus(NO_ANSWER))) {
                    session.err().println(unanswered(initial) + "; still waiting");
                    told = true;
                }
                progress.show(CutoverSummary.inOrder(log.poll(POLL)));
            }
            progress.summary.report().forEach(session.out()::println);
            session.out().println(progress.summary.ending(session.clock().instant()));
            return progress.summary.outcome().exitCode();
        } catch (WakeupException e) {
            session.err().println("stopped watching " + initial.id() + "; the " + initial.noun() + " itself goes on");
            return ExitCodes.INTERRUPTED;
        }
    }

    /** No message of the id on this broker: a mistyped id, or a broker other than the saga's. */
    private static String checkTheId(Followed<?> followed) {
        return "check the id and --bootstrap-servers (" + followed.statusCommand() + ")";
    }

    private static String unanswered(Followed<?> followed) {
        return "no service has answered the " + followed.noun() + "'s command yet: check that cutover-service is"
                + " running (its /actuator/health) and reaches the same Kafka, and its log for why it does not take"
                + " the command";
    }

    /** What has been printed so far and the fold that decides when to stop. */
    private static final class Progress<S extends Followed<S>> {

        private final Session session;
        private S summary;
        private Instant start;
        private boolean commandSeen;
        private boolean eventSeen;

        Progress(Session session, S initial) {
            this.session = session;
            this.summary = initial;
        }

        void show(List<LoggedRecord> records) {
            for (var record : upToTheEnd(records)) {
                boolean command = record.position().topic().equals(Topics.COMMANDS.name());
                commandSeen |= command;
                eventSeen |= !command;
                if (start == null && record instanceof Decoded decoded) {
                    start = decoded.occurredAt();
                    session.out().println(summary.noun() + " " + summary.id() + " on database "
                            + decoded.metadata().getDatabase());
                }
                summary = summary.with(record);
                if (ProgressLine.shows(record)) {
                    session.out().println(summary.line(start == null ? Instant.EPOCH : start, record));
                }
            }
            session.out().flush();
        }

        /**
         * The records to show: all of them while the cutover or migration goes on, else those up to the one that
         * ended it. An end that overrides an earlier one read at the same time (a migration aborted after it was
         * ready) is where it ended.
         */
        private List<LoggedRecord> upToTheEnd(List<LoggedRecord> records) {
            var fold = summary;
            int end = 0;
            for (int i = 0; i < records.size(); i++) {
                var next = fold.with(records.get(i));
                if (next.outcome() != fold.outcome()) {
                    end = i + 1;
                }
                fold = next;
            }
            return fold.outcome().terminal() ? records.subList(0, end) : records;
        }

        /** A command was published, and nothing has answered it: no event at all in the log. */
        boolean unanswered() {
            return commandSeen && !eventSeen;
        }
    }
}
