package dev.cutover.ctl;

import java.security.SecureRandom;
import java.util.List;

import dev.cutover.ctl.replay.MigrationSummary;
import dev.cutover.events.MetadataFactory;
import dev.cutover.events.StartMigration;

/** {@code migrate start}: asks the migration saga to prepare a database's target, and prints the migration id. */
final class MigrateStartCommand implements Command {

    @Override
    public String name() {
        return "migrate start";
    }

    @Override
    public String summary() {
        return "publish StartMigration for a database and print the migration id";
    }

    @Override
    public List<String> description() {
        return List.of(
                "Publishes StartMigration to cutover.commands, keyed by the migration id, and prints the id on",
                "stdout (so that id=$(cutoverctl migrate start ...) works). The id is",
                "<database>-migration-<yyyyMMdd-HHmmss>-<hex> in UTC unless --migration-id gives one. The saga then",
                "runs preflight, pre-data, the full load, post-data, streaming and verification; follow it with",
                "migrate watch, or --watch here.",
                "",
                "Exit: 0 published (with --watch: as migrate watch), 4 Kafka did not take it.");
    }

    @Override
    public List<Option> options() {
        return List.of(
                Option.valued("database", "NAME", "the configured name of the database to prepare (required)"),
                Option.valued("operator", "WHO", "who asks, checked against the saga's allow-list (default: $USER)"),
                Option.valued("reason", "TEXT", "why now, e.g. a change ticket; kept in the audit trail"),
                Option.valued("parallelism", "N", "tables copied and post-data statements run at once"
                        + " (default: each service's setting)"),
                Option.valued("migration-id", "ID", "use this id instead of a generated one"),
                Option.flag("watch", "go on printing progress until the migration is ready or stops"),
                Option.valued("timeout", "DURATION", "with --watch: give up watching after this long"));
    }

    @Override
    public int run(Arguments arguments, Session session) {
        var database = arguments.required("database");
        var operator = arguments.optional("operator").or(session::user).orElseThrow(() -> new UsageException(
                "--operator is required: $USER is not set to say who asks"));
        var parallelism = arguments.positiveLong("parallelism").map(Math::toIntExact).orElse(0);
        var timeout = arguments.duration("timeout");
        if (timeout.isPresent() && !arguments.flag("watch")) {
            throw new UsageException("--timeout only applies with --watch");
        }
        var migrationId = arguments.optional("migration-id")
                .map(id -> CutoverIds.check(id, "--migration-id"))
                .orElseGet(() -> CutoverIds.generateMigration(database, session.clock(), new SecureRandom()));
        var command = StartMigration.newBuilder()
                .setMetadata(new MetadataFactory(StartCommand.PRODUCER, session.clock()).forMigration(database, migrationId))
                .setOperator(operator)
                .setParallelism(parallelism)
                .setReason(arguments.optional("reason").orElse(null))
                .build();
        Publisher.publish(session.kafka(), migrationId, command);
        session.out().println(migrationId);
        session.out().flush();
        return arguments.flag("watch")
                ? WatchCommand.follow(session, MigrationSummary.empty(migrationId), timeout) : ExitCodes.OK;
    }
}
