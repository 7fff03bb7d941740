package dev.cutover.replicator.postgres;

import java.sql.SQLException;

import dev.cutover.platform.StepFailure;
import dev.cutover.platform.database.ServerUnavailable;

/**
 * Turns what PostgreSQL said into a reason an operator can act on: which step, on which server, what
 * PostgreSQL said, and what to change. Whether a retry can help follows from the kind of failure.
 */
public final class Failures {

    private Failures() {
    }

    /**
     * @param action what was being done, e.g. "creating the replication slot cutover_slot_shop"
     * @param where  the server and login, e.g. {@code postgres@10.0.0.5:5432/shop}; never a password
     */
    public static StepFailure of(String action, String where, SQLException e) {
        String said = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage().strip();
        String state = e.getSQLState() == null ? "" : e.getSQLState();
        String prefix = action + " on " + where + " failed: " + said;
        return switch (state) {
            case "53400" -> new StepFailure(prefix + ": every replication slot is taken; drop unused slots"
                    + " (SELECT slot_name, active FROM pg_replication_slots) or raise max_replication_slots"
                    + " on the source (needs a restart)", false, e);
            case "53300" -> new StepFailure(prefix + ": the source has no free connection or WAL sender; raise"
                    + " max_connections or max_wal_senders on the source, or close idle sessions", true, e);
            case "42501" -> new StepFailure(prefix + ": the login lacks a privilege; it needs the REPLICATION"
                    + " attribute (rds_replication on RDS) and ownership of the published tables on the source,"
                    + " and the right to create subscriptions and write every table on the target (a superuser"
                    + " has all of these)", false, e);
            case "55000" -> new StepFailure(prefix + ": the server is not set up for this; for logical"
                    + " replication set wal_level = logical on the source (needs a restart)", false, e);
            case "55006" -> new StepFailure(prefix + ": the object is in use by another session; stop that"
                    + " session (see pg_stat_activity / pg_replication_slots.active_pid) and retry", true, e);
            case "57014" -> new StepFailure(prefix + ": it was cancelled or timed out; retry, or raise the"
                    + " timeout if the server is busy", true, e);
            case "40001", "40P01" -> new StepFailure(prefix + ": a conflicting transaction won; retry", true, e);
            default -> ServerUnavailable.is(e)
                    ? new StepFailure(prefix + ": the server could not be reached or is restarting; check that it is"
                            + " up and reachable, then retry", true, e)
                    : new StepFailure(prefix, false, e);
        };
    }
}
