package dev.cutover.sandbox.rehearsal;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;

import dev.cutover.sandbox.report.CutoverResult;
import dev.cutover.stack.Postgres;

/**
 * How a fault run ended, besides the report: whether the fault was injected and healed, and after a rollback whether
 * the source serves the application again.
 *
 * @param run                     the injection
 * @param result                  how the cutover ended
 * @param sourceAcksAfterRollback writes the client had acknowledged by the source after the rollback (before the
 *                                client stopped)
 * @param appWriteOnSource        after a rollback: {@code null} if a write as the application's role succeeded on the
 *                                source, else why it failed; {@code null} also when there was no rollback
 */
record FaultVerdict(FaultInjector.FaultRun run, CutoverResult result, long sourceAcksAfterRollback, String appWriteOnSource) {

    static FaultVerdict of(FaultInjector.FaultRun run, CutoverResult result, long sourceAcks, Postgres source) {
        return new FaultVerdict(run, result, sourceAcks, result == CutoverResult.ROLLED_BACK ? appWrite(source) : null);
    }

    /** Whether the source serves again: the application's role logs in and writes there. */
    boolean sourceServes() {
        return result == CutoverResult.ROLLED_BACK && sourceAcksAfterRollback > 0 && appWriteOnSource == null;
    }

    String describe() {
        if (!run.injected()) {
            return run.fault().name() + " was NOT injected: " + (run.failure() != null ? run.failure()
                    : "its trigger never came");
        }
        StringBuilder text = new StringBuilder(run.fault().name()).append(": injected on ").append(run.trigger())
                .append(", cutover ").append(result.json());
        if (result == CutoverResult.ROLLED_BACK) {
            text.append(sourceServes() ? "; the source serves again: " + sourceAcksAfterRollback
                    + " client writes acknowledged by it after the rollback, and a write as the application's role succeeds"
                    : "; the source does NOT serve again: " + sourceAcksAfterRollback + " client writes after the rollback"
                            + (appWriteOnSource == null ? "" : ", a write as the application's role failed: " + appWriteOnSource));
        }
        if (run.failure() != null) {
            text.append("; ").append(run.failure());
        }
        return text.toString();
    }

    /** {@code null} if the application's role can log in to the source and write there, else the error. */
    private static String appWrite(Postgres source) {
        try (Connection app = DriverManager.getConnection(source.jdbcUrl(SeedData.DATABASE), SeedData.ROLE, SeedData.PASSWORD);
                Statement statement = app.createStatement()) {
            // A write that changes no value: it needs a login, a writable transaction and the table's privileges.
            statement.executeUpdate("UPDATE notifications SET status = status WHERE id = (SELECT min(id) FROM notifications)");
            return null;
        } catch (SQLException e) {
            return e.getSQLState() + " " + e.getMessage();
        }
    }
}
