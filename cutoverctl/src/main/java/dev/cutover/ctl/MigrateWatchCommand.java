package dev.cutover.ctl;

import java.util.List;

import dev.cutover.ctl.replay.MigrationSummary;

/** {@code migrate watch}: a migration's progress, one line per event as it happens, until it is ready or stops. */
final class MigrateWatchCommand implements Command {

    @Override
    public String name() {
        return "migrate watch";
    }

    @Override
    public String summary() {
        return "print a migration's progress live until it is ready or stops";
    }

    @Override
    public List<String> description() {
        return List.of(
                "Prints what already happened, then each new event as it arrives, with the time since the",
                "operator's StartMigration; after each copied table, the load so far (tables, bytes, rate, time",
                "left). Stops at MigrationReady, MigrationStopped (a failure or an abort), MigrationRejected or,",
                "for a dry run, MigrationPlanReported without blockers; a dry run's plan is printed at the end.",
                "",
                "Exit: 0 ready or planned, 1 stopped or rejected, 3 --timeout passed first, 130 Ctrl-C.");
    }

    @Override
    public List<Option> options() {
        return List.of(
                Migrations.MIGRATION.required(),
                Option.valued("timeout", "DURATION", "give up after this long, e.g. 2h (default: wait until it ends)"));
    }

    @Override
    public int run(Arguments arguments, Session session) {
        var migrationId = CutoverIds.check(arguments.required("migration"), "--migration");
        return WatchCommand.follow(session, MigrationSummary.empty(migrationId), arguments.duration("timeout"));
    }
}
