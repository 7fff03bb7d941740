package dev.cutover.ctl;

import java.security.SecureRandom;
import java.util.List;
import java.util.Locale;

import dev.cutover.ctl.replay.MigrationSummary;
import dev.cutover.events.MetadataFactory;
import dev.cutover.events.StartMigration;
import dev.cutover.events.VerificationMode;

/**
 * {@code migrate start}: asks the migration saga to prepare a database's target, and prints the migration id; with
 * {@code --dry-run}, only for its plan, which it waits for and prints.
 */
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
                "--dry-run asks only for the plan: the saga runs the migration preflight, changes nothing on either",
                "server, and answers with the schemas in scope, every table the full load would copy with its size",
                "on the source, the total and the load's predicted time (at cutover.migration.full-load-rate).",
                "The command waits for that answer (as --watch) and prints the plan and every finding with its",
                "remedy.",
                "",
                "Exit: 0 published (with --watch: as migrate watch; with --dry-run: planned, no blocker), 1 the dry",
                "run found blockers or was refused, 3 --timeout passed first, 4 Kafka did not take it.");
    }

    @Override
    public List<Option> options() {
        return List.of(
                Option.valued("database", "NAME", "the configured name of the database to prepare (required)"),
                Option.valued("operator", "WHO", "who asks, checked against the saga's allow-list (default: the SASL user of --kafka-config, else $USER)"),
                Option.valued("reason", "TEXT", "why now, e.g. a change ticket; kept in the audit trail"),
                Option.valued("parallelism", "N", "tables copied and post-data statements run at once"
                        + " (default: each service's setting)"),
                Option.valued("verify", "full|sampled", "how VerifyData compares the data: every key range, or a sample of"
                        + " each table's ranges plus every row changed since streaming began and each table's row count"
                        + " (default: the replicator's setting, full unless set)"),
                Option.valued("migration-id", "ID", "use this id instead of a generated one"),
                Option.flag("dry-run", "only plan: preflight, tables and sizes, predicted full-load time; waits for"
                        + " it and prints it; changes nothing"),
                Option.flag("watch", "go on printing progress until the migration is ready or stops"),
                Option.valued("timeout", "DURATION", "with --watch or --dry-run: give up waiting after this long"));
    }

    @Override
    public int run(Arguments arguments, Session session) {
        var database = arguments.required("database");
        var operator = session.operator(arguments);
        var parallelism = arguments.positiveLong("parallelism").map(Math::toIntExact).orElse(0);
        var timeout = arguments.duration("timeout");
        boolean dryRun = arguments.flag("dry-run");
        VerificationMode verify = arguments.optional("verify").map(MigrateStartCommand::verificationMode).orElse(null);
        // A dry run's whole point is its answer, so it is always waited for.
        boolean follow = arguments.flag("watch") || dryRun;
        if (timeout.isPresent() && !follow) {
            throw new UsageException("--timeout only applies with --watch or --dry-run");
        }
        var migrationId = arguments.optional("migration-id")
                .map(id -> CutoverIds.check(id, "--migration-id"))
                .orElseGet(() -> CutoverIds.generateMigration(database, session.clock(), new SecureRandom()));
        var command = StartMigration.newBuilder()
                .setMetadata(new MetadataFactory(StartCommand.PRODUCER, session.clock()).forMigration(database, migrationId))
                .setOperator(operator)
                .setParallelism(parallelism)
                .setReason(arguments.optional("reason").orElse(null))
                .setDryRun(dryRun)
                .setVerify(verify)
                .build();
        Publisher.publish(session.kafka(), migrationId, command);
        session.out().println(migrationId);
        session.out().flush();
        return follow ? WatchCommand.follow(session, MigrationSummary.empty(migrationId), timeout) : ExitCodes.OK;
    }

    private static VerificationMode verificationMode(String verify) {
        return switch (verify.toLowerCase(Locale.ROOT)) {
            case "full" -> VerificationMode.FULL;
            case "sampled" -> VerificationMode.SAMPLED;
            default -> throw new UsageException("--verify takes full or sampled, was " + verify);
        };
    }
}
