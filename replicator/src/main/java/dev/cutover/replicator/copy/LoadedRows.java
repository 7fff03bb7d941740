package dev.cutover.replicator.copy;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import dev.cutover.platform.StepFailure;
import dev.cutover.platform.database.Endpoint;
import dev.cutover.replicator.postgres.Failures;
import dev.cutover.replicator.postgres.TableName;

/**
 * Proves after the load that each table on the target holds exactly the rows copied into it. A row removed
 * after its table was reported copied (a TRUNCATE of an inheritance parent without ONLY empties its children, a
 * trigger on another table, another session) would otherwise go unnoticed until the data is verified, or never.
 */
final class LoadedRows {

    private LoadedRows() {
    }

    static void check(Endpoint target, Map<TableName, Long> copied) {
        List<String> differences = new ArrayList<>();
        try (Connection connection = target.connect(); Statement statement = connection.createStatement()) {
            for (Map.Entry<TableName, Long> table : new TreeMap<>(copied).entrySet()) {
                // ONLY: an inheritance parent's children hold rows of their own and are counted as tables of their own.
                try (ResultSet row = statement.executeQuery("SELECT count(*) FROM ONLY " + table.getKey().quoted())) {
                    row.next();
                    long held = row.getLong(1);
                    if (held != table.getValue()) {
                        differences.add(table.getKey() + " holds " + held + " rows, but " + table.getValue()
                                + " were copied into it");
                    }
                }
            }
        } catch (SQLException e) {
            throw Failures.of("counting the rows the full load left", target.describe(), e);
        }
        if (!differences.isEmpty()) {
            throw new StepFailure("after the full load the target " + target.describe() + " does not hold the rows"
                    + " copied: " + String.join("; ", differences) + ". Something on the target removed or added rows"
                    + " while the load ran: a trigger or rule on another table, another session writing to the"
                    + " target, a TRUNCATE. Find and stop it (pg_trigger, pg_rules and pg_stat_activity on the target),"
                    + " then send CopyData again: the load starts over", false);
        }
    }
}
