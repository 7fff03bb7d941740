package dev.cutover.ctl;

import java.util.List;

import dev.cutover.ctl.replay.Outcome;
import dev.cutover.events.AbortMigration;
import dev.cutover.events.MetadataFactory;

/** {@code migrate abort}: stops a migration and has what it created on the source and the target removed. */
final class MigrateAbortCommand implements Command {

    @Override
    public String name() {
        return "migrate abort";
    }

    @Override
    public String summary() {
        return "publish AbortMigration: stop a migration and drop its subscription, slot and publication";
    }

    @Override
    public List<String> description() {
        return List.of(
                "Reads the migration to find its database, then publishes AbortMigration. The saga stops it and",
                "the replicator drops the subscription on the target, the replication slot and cutover's",
                "publication on the source, and with --drop-target-tables the target's tables of the migration's",
                "schemas; MigrationCleanedUp says what was dropped and what was not there (migrate status shows",
                "it). A stopped migration can be aborted to clean it up, as often as needed. A ready migration's",
                "target may already serve the application, so its tables are never dropped. A dry run created",
                "nothing: one still waiting for its preflight is stopped without clean-up, one that has answered",
                "is refused here.",
                "",
                "Exit: 0 published, 1 refused here (see the message), 3 no such migration, 4 Kafka failed.");
    }

    @Override
    public List<Option> options() {
        return List.of(
                Migrations.MIGRATION.required(),
                Option.valued("operator", "WHO", "who asks, checked against the saga's allow-list (default: the SASL user of --kafka-config, else $USER)"),
                Option.valued("reason", "TEXT", "why, kept in the audit trail"),
                Option.flag("drop-target-tables", "also drop the target's tables of the migration's schemas"));
    }

    @Override
    public int run(Arguments arguments, Session session) {
        var migrationId = CutoverIds.check(arguments.required("migration"), "--migration");
        var operator = session.operator(arguments);
        boolean dropTables = arguments.flag("drop-target-tables");
        var summary = Migrations.read(session, migrationId);
        if (!summary.found() || summary.database() == null) {
            session.err().println("no migration " + migrationId + " on " + session.kafka().bootstrapServers()
                    + ": nothing to abort");
            return ExitCodes.NOT_FOUND_OR_UNFINISHED;
        }
        if (summary.outcome() == Outcome.REJECTED) {
            session.err().println("migration " + migrationId + " was rejected at its start and touched nothing:"
                    + " nothing to abort");
            return ExitCodes.FAILED;
        }
        if (summary.dryRun() && summary.outcome().terminal()) {
            session.err().println("migration " + migrationId + " is a dry run, which changed nothing: nothing to abort"
                    + " or clean up");
            return ExitCodes.FAILED;
        }
        // Also once a ready migration was aborted: its target may serve the application all the same.
        if (summary.readyAt() != null && dropTables) {
            session.err().println("migration " + migrationId + " was ready, so its target may already serve the"
                    + " application after a cutover: its tables are not dropped; abort without --drop-target-tables"
                    + " to remove only the replication, and drop the tables by hand if they are not in use");
            return ExitCodes.FAILED;
        }
        Publisher.publish(session.kafka(), migrationId, AbortMigration.newBuilder()
                .setMetadata(new MetadataFactory(StartCommand.PRODUCER, session.clock())
                        .forMigration(summary.database(), migrationId))
                .setOperator(operator)
                .setReason(arguments.optional("reason").orElse(null))
                .setDropTargetTables(dropTables)
                .build());
        session.out().println("abort requested for " + migrationId + " (database " + summary.database() + ", "
                + summary.outcome().words() + "); see what was cleaned up with: cutoverctl migrate status --migration "
                + migrationId);
        return ExitCodes.OK;
    }
}
