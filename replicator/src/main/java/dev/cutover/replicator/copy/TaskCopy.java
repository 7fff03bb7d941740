package dev.cutover.replicator.copy;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

import org.postgresql.PGConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.cutover.platform.StepFailure;
import dev.cutover.platform.database.DatabasePair;
import dev.cutover.platform.database.Endpoint;
import dev.cutover.replicator.postgres.Failures;
import dev.cutover.replicator.postgres.Slots;
import dev.cutover.replicator.postgres.Sql;

/**
 * One instance's copy of one task of a shared load: the snapshot imported on the source, the rows and the task's
 * record written in ONE transaction on the target, so that a copy stopped half-way (its instance killed, its
 * connection gone) leaves nothing there and the task can be given to another instance.
 */
public final class TaskCopy {

    private static final Logger log = LoggerFactory.getLogger(TaskCopy.class);

    /**
     * How often a running copy looks whether its load still goes on: a load that failed or was aborted drops its slot,
     * and a copy of hours into it would only hold locks on tables a clean-up is about to drop.
     */
    private static final Duration LOOK_EVERY = Duration.ofSeconds(5);

    /** PostgreSQL's answer to {@code SET TRANSACTION SNAPSHOT} once the exporting session is gone. */
    private static final String INVALID_PARAMETER = "22023";
    private static final String UNIQUE_VIOLATION = "23505";

    private final SharedTask task;
    private final Endpoint source;
    private final Endpoint target;
    private final String instance;
    private volatile boolean cancelled;
    private volatile Connection from;
    private volatile Connection to;

    public TaskCopy(SharedTask task, DatabasePair pair, String instance) {
        this.task = task;
        this.source = pair.source();
        this.target = pair.target();
        this.instance = instance;
    }

    /** Copies the task; every failure is an outcome, nothing throws. */
    public TaskOutcome run() {
        Instant started = Instant.now();
        String where = source.describe() + " -> " + target.describe();
        try (Connection source = this.source.connect(); Connection target = this.target.connect()) {
            from = source;
            to = target;
            if (cancelled) {
                return failed(started, "stopped before it began", true, false);
            }
            name(source);
            name(target);
            if (!loadGoesOn(source)) {
                return failed(started, "the load's slot " + task.slot() + " is gone or no longer at "
                        + task.consistentPoint() + ": the load this task belongs to is over", true, true);
            }
            try {
                importSnapshot(source);
            } catch (SQLException e) {
                if (INVALID_PARAMETER.equals(e.getSQLState())) {
                    return failed(started, "the snapshot " + task.snapshotName() + " of the load's slot " + task.slot()
                            + " is gone: the instance that runs the load lost its connection or died (" + e.getMessage()
                            + "); send CopyData again", true, false);
                }
                throw e;
            }
            return copy(source, target, started);
        } catch (SQLException e) {
            if (UNIQUE_VIOLATION.equals(e.getSQLState())) {
                return recordedMeanwhile(started);
            }
            return failed(started, Failures.of("copying " + task.describe(), where, e).getMessage(), true, false);
        } catch (LoadOver e) {
            return failed(started, "the load's slot " + task.slot() + " was dropped while the task was copied: the load"
                    + " failed or was aborted", true, true);
        } catch (StepFailure e) {
            return failed(started, e.getMessage(), e.retryable(), false);
        } catch (RuntimeException e) {
            log.warn("copying {} failed", task.describe(), e);
            return failed(started, "copying " + task.describe() + " failed: " + e, true, false);
        } finally {
            from = null;
            to = null;
        }
    }

    /**
     * Stops the copy from another thread, as if its process had died: the statements running are cancelled and the
     * connections closed, so the target rolls the task back.
     */
    public void cancel() {
        cancelled = true;
        for (Connection connection : new Connection[] {from, to}) {
            if (connection == null) {
                continue;
            }
            try {
                connection.unwrap(PGConnection.class).cancelQuery();
                connection.abort(Runnable::run);
            } catch (SQLException e) {
                // Already closed: nothing of the task is left to stop.
            }
        }
    }

    public boolean cancelled() {
        return cancelled;
    }

    private TaskOutcome copy(Connection source, Connection target, Instant started) throws SQLException {
        target.setAutoCommit(false);
        try (Statement statement = target.createStatement()) {
            // A copy stopped half-way leaves nothing behind and is copied again, so waiting for each flush buys nothing.
            statement.execute("SET LOCAL synchronous_commit = off");
        }
        Optional<TaskStream.Moved> earlier = TaskRecord.find(target, task);
        if (earlier.isPresent()) {
            target.rollback();
            return copied(started, earlier.get(), true);
        }
        boolean whole = task.parts() == 1;
        if (whole) {
            // ONLY: an inheritance child is a table of its own, copied by a task of its own.
            try (Statement statement = target.createStatement()) {
                statement.execute("TRUNCATE ONLY " + task.table().quoted());
            }
        }
        Instant[] nextLook = {Instant.now().plus(LOOK_EVERY)};
        TaskStream.Moved moved = TaskStream.copy(task.copyTask(), source, target, whole, () -> {
            if (cancelled) {
                throw new StepFailure("stopped: this replicator instance is shutting down", true);
            }
            if (Instant.now().isAfter(nextLook[0])) {
                nextLook[0] = Instant.now().plus(LOOK_EVERY);
                if (!loadGoesOn()) {
                    throw new LoadOver();
                }
            }
        });
        TaskRecord.insert(target, task, moved);
        target.commit();
        try (Statement statement = source.createStatement()) {
            statement.execute("COMMIT");
        }
        return copied(started, moved, false);
    }

    /**
     * A slot of the load's name that is missing, or stands at another point, means the load this task came from is
     * over (failed, or followed by another): a snapshot name can come back on the server, the point cannot.
     */
    private boolean loadGoesOn(Connection source) throws SQLException {
        return Slots.standsAt(source, task.slot(), task.consistentPoint());
    }

    /** Looked at from a session of its own: the task's are both in the middle of a COPY. */
    private boolean loadGoesOn() {
        try (Connection connection = source.connect()) {
            return loadGoesOn(connection);
        } catch (SQLException e) {
            // The copy's own sessions say soon enough if the source is gone; this look only spots a load that ended.
            return true;
        }
    }

    /** The load this task belongs to ended while it was copied. */
    private static final class LoadOver extends RuntimeException {

        LoadOver() {
            super(null, null, false, false);
        }
    }

    private void importSnapshot(Connection source) throws SQLException {
        try (Statement statement = source.createStatement()) {
            statement.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
            statement.execute("SET TRANSACTION SNAPSHOT " + Sql.literal(task.snapshotName()));
            // Text COPY of floats must keep every digit; binary COPY is unaffected.
            statement.execute("SET LOCAL extra_float_digits = 3");
        }
    }

    private void name(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute("SET application_name = " + Sql.literal(Sharing.applicationName(instance)));
        }
    }

    /** Another delivery of the task committed while this one copied: its rows count, this copy rolled back. */
    private TaskOutcome recordedMeanwhile(Instant started) {
        try (Connection target = this.target.connect()) {
            Optional<TaskStream.Moved> earlier = TaskRecord.find(target, task);
            if (earlier.isPresent()) {
                return copied(started, earlier.get(), true);
            }
        } catch (SQLException e) {
            return failed(started, Failures.of("reading the record of " + task.describe(), this.target.describe(), e)
                    .getMessage(), true, false);
        }
        return failed(started, "copying " + task.describe() + " met a duplicate key on the target that is not the"
                + " task's record: the target table has a unique index before the load ended; apply only the pre-data"
                + " section before the load, then send CopyData again", false, false);
    }

    private TaskOutcome copied(Instant started, TaskStream.Moved moved, boolean already) {
        return new TaskOutcome.Copied(task.loadId(), task.number(), task.table().toString(), moved.rows(), moved.bytes(),
                started, Instant.now(), instance, already);
    }

    private TaskOutcome failed(Instant started, String reason, boolean retryable, boolean loadOver) {
        return new TaskOutcome.Failed(task.loadId(), task.number(), task.table().toString(), reason, retryable, loadOver,
                started, Instant.now(), instance);
    }
}
