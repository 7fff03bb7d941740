package dev.cutover.ctl;

import java.security.SecureRandom;
import java.util.List;

import dev.cutover.events.MetadataFactory;
import dev.cutover.events.StartCutover;

/** {@code start}: asks the saga to cut a database over, and prints the cutover id to follow it by. */
final class StartCommand implements Command {

    /** The name in every message this tool writes ({@code metadata.producer}). */
    static final String PRODUCER = "cutoverctl";

    @Override
    public String name() {
        return "start";
    }

    @Override
    public String summary() {
        return "publish StartCutover for a database and print the cutover id";
    }

    @Override
    public List<String> description() {
        return List.of(
                "Publishes StartCutover to cutover.commands, keyed by the cutover id, and prints the id on",
                "stdout (so that id=$(cutoverctl start ...) works). The id is <database>-<yyyyMMdd-HHmmss>-<hex>",
                "in UTC unless --cutover-id gives one. With --watch it then prints progress like watch does.",
                "",
                "Exit: 0 published (with --watch: as watch), 4 Kafka did not take it.");
    }

    @Override
    public List<Option> options() {
        return List.of(
                Option.valued("database", "NAME", "the configured name of the database to move (required)"),
                Option.valued("operator", "WHO", "who asks, checked against the saga's allow-list (default: the SASL user of --kafka-config, else $USER)"),
                Option.valued("reason", "TEXT", "why now, e.g. a change ticket; kept in the audit trail"),
                Option.flag("dry-run", "check and plan only (CutoverPlanned); stops no traffic, touches no DNS"),
                Option.valued("cutover-id", "ID", "use this id instead of a generated one"),
                Option.flag("watch", "go on printing progress until the cutover ends"),
                Option.valued("timeout", "DURATION", "with --watch: give up watching after this long"));
    }

    @Override
    public int run(Arguments arguments, Session session) {
        var database = arguments.required("database");
        var operator = session.operator(arguments);
        var reason = arguments.optional("reason");
        var timeout = arguments.duration("timeout");
        if (timeout.isPresent() && !arguments.flag("watch")) {
            throw new UsageException("--timeout only applies with --watch");
        }
        var cutoverId = arguments.optional("cutover-id")
                .map(id -> CutoverIds.check(id, "--cutover-id"))
                .orElseGet(() -> CutoverIds.generate(database, session.clock(), new SecureRandom()));
        boolean dryRun = arguments.flag("dry-run");
        Publisher.publish(session.kafka(), cutoverId, () -> StartCutover.newBuilder()
                .setMetadata(new MetadataFactory(PRODUCER, session.clock()).forCutover(database, cutoverId))
                .setOperator(operator)
                .setDryRun(dryRun)
                .setReason(reason.orElse(null))
                .build());
        session.out().println(cutoverId);
        session.out().flush();
        return arguments.flag("watch") ? WatchCommand.follow(session, cutoverId, timeout) : ExitCodes.OK;
    }
}
