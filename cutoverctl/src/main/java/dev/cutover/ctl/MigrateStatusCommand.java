package dev.cutover.ctl;

import java.util.List;

/** {@code migrate status}: where a migration stands, with the full load's progress, read from its messages so far. */
final class MigrateStatusCommand implements Command {

    @Override
    public String name() {
        return "migrate status";
    }

    @Override
    public String summary() {
        return "print where a migration stands: step, tables copied, bytes, rate, time left, result";
    }

    @Override
    public List<String> description() {
        return List.of(
                "Reads the migration's commands and events up to the current end and prints its database,",
                "operator, step, the full load's progress (tables copied, rows, bytes, rate and, while copying,",
                "about how long is left), the result, the last failure, what to do next after a stop and what an",
                "abort cleaned up. With --database instead of --migration: that database's newest migration.",
                "",
                "Exit: 0 found, 3 no such migration, 4 Kafka failed.");
    }

    @Override
    public List<Option> options() {
        return Migrations.chooser();
    }

    @Override
    public int run(Arguments arguments, Session session) {
        var migrationId = Migrations.chosen(arguments, session);
        if (migrationId.isEmpty()) {
            session.err().println("no migration of database " + arguments.required("database") + " on "
                    + session.kafka().bootstrapServers() + ": start one with cutoverctl migrate start");
            return ExitCodes.NOT_FOUND_OR_UNFINISHED;
        }
        var summary = Migrations.read(session, migrationId.get());
        summary.render(session.clock().instant()).forEach(session.out()::println);
        return summary.found() ? ExitCodes.OK : ExitCodes.NOT_FOUND_OR_UNFINISHED;
    }
}
