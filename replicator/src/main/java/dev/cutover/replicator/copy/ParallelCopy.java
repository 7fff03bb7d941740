package dev.cutover.replicator.copy;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicReference;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.cutover.platform.StepFailure;
import dev.cutover.platform.database.Endpoint;
import dev.cutover.replicator.postgres.Failures;
import dev.cutover.replicator.postgres.Sql;
import dev.cutover.replicator.postgres.TableName;

/**
 * Workers that each import the exported snapshot once and then take tasks off one queue, biggest first,
 * streaming every range from a {@code COPY TO STDOUT} on the source into a {@code COPY FROM STDIN} on the
 * target without holding more than one buffer of it in memory.
 */
final class ParallelCopy {

    private static final Logger log = LoggerFactory.getLogger(ParallelCopy.class);

    private final Endpoint source;
    private final Endpoint target;
    private final String snapshotName;
    private final List<CopyTask> plan;
    private final int workers;
    private final CopyProgress progress;
    private final ConcurrentLinkedQueue<CopyTask> queue;
    private final Map<TableName, TableTally> tallies = new HashMap<>();
    private final AtomicReference<RuntimeException> failure = new AtomicReference<>();
    private final LoadAbort abort;

    ParallelCopy(Endpoint source, Endpoint target, String snapshotName, List<CopyTask> plan, int workers,
            CopyProgress progress, LoadAbort abort) {
        this.abort = abort;
        this.source = source;
        this.target = target;
        this.snapshotName = snapshotName;
        this.plan = plan;
        this.workers = Math.max(1, Math.min(workers, plan.size()));
        this.progress = progress;
        this.queue = new ConcurrentLinkedQueue<>(plan);
        plan.forEach(task -> tallies.computeIfAbsent(task.table().name(), name -> new TableTally(task.parts())));
    }

    /**
     * Totals of a finished copy.
     *
     * @param rowsByTable rows copied into each table
     */
    record Totals(int tables, long rows, long bytes, Map<TableName, Long> rowsByTable) {

        Totals {
            rowsByTable = Map.copyOf(rowsByTable);
        }

        static Totals of(Map<TableName, TableTally> tallies) {
            Map<TableName, Long> rowsByTable = new HashMap<>();
            tallies.forEach((table, tally) -> rowsByTable.put(table, tally.rows()));
            long rows = rowsByTable.values().stream().mapToLong(Long::longValue).sum();
            long bytes = tallies.values().stream().mapToLong(TableTally::bytes).sum();
            return new Totals(tallies.size(), rows, bytes, rowsByTable);
        }
    }

    /**
     * Copies everything, calling {@code allImported} as soon as every worker holds the snapshot (or has
     * failed to), which is when the slot's connection may close.
     */
    Totals run(Runnable allImported) {
        CountDownLatch imported = new CountDownLatch(workers);
        ExecutorService pool = Executors.newFixedThreadPool(workers, Thread.ofPlatform().name("copy-", 1).factory());
        try {
            List<Future<?>> running = new ArrayList<>();
            for (int i = 0; i < workers; i++) {
                running.add(pool.submit(() -> work(imported)));
            }
            imported.await();
            allImported.run();
            for (Future<?> worker : running) {
                worker.get();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            failure.compareAndSet(null, new StepFailure("interrupted while copying; retry CopyData", true, e));
        } catch (ExecutionException e) {
            failure.compareAndSet(null, new IllegalStateException("a copy worker failed", e.getCause()));
        } finally {
            pool.shutdownNow();
        }
        if (failure.get() != null) {
            throw failure.get();
        }
        return Totals.of(tallies);
    }

    private void work(CountDownLatch imported) {
        boolean counted = false;
        CopyTask task = null;
        try (Connection from = source.connect(); Connection to = target.connect()) {
            try (Statement statement = from.createStatement()) {
                statement.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
                statement.execute("SET TRANSACTION SNAPSHOT " + Sql.literal(snapshotName));
                // Text COPY of floats must keep every digit; binary COPY is unaffected.
                statement.execute("SET LOCAL extra_float_digits = 3");
            }
            imported.countDown();
            counted = true;
            try (Statement statement = to.createStatement()) {
                // A crash mid-load restarts the whole load, so waiting for each commit's flush buys nothing.
                statement.execute("SET synchronous_commit = off");
            }
            while (goesOn() && (task = queue.poll()) != null) {
                copy(task, from, to);
            }
            try (Statement statement = from.createStatement()) {
                statement.execute("COMMIT");
            }
        } catch (SQLException e) {
            String what = task == null ? "importing the snapshot " + snapshotName
                    : "copying " + task.table().name() + " (" + task.range().describe() + ")";
            fail(Failures.of(what, source.describe() + " -> " + target.describe(), e));
        } catch (RuntimeException e) {
            fail(e);
        } finally {
            if (!counted) {
                imported.countDown();
            }
        }
    }

    /** Whether the copy goes on: nothing failed and nobody asked it to stop (which counts as its failure). */
    private boolean goesOn() {
        abort.reason().ifPresent(why -> fail(new StepFailure(stopped(why), false)));
        return failure.get() == null;
    }

    private static String stopped(String why) {
        return "the full load was stopped: " + why;
    }

    private void fail(RuntimeException e) {
        if (!failure.compareAndSet(null, e)) {
            log.debug("a further copy failure after the first: {}", e.getMessage());
        }
    }

    private void copy(CopyTask task, Connection from, Connection to) throws SQLException {
        Instant started = Instant.now();
        // A table copied whole is emptied in the same transaction, which lets COPY write frozen rows: the
        // target then never rewrites them to set hint bits or freeze them. ONLY: without it TRUNCATE also
        // empties the table's inheritance children, which may have been copied already.
        boolean whole = task.parts() == 1;
        if (whole) {
            to.setAutoCommit(false);
            try (Statement statement = to.createStatement()) {
                statement.execute("TRUNCATE ONLY " + task.table().name().quoted());
            }
        }
        try {
            TaskStream.Moved moved = TaskStream.copy(task, from, to, whole, () -> {
                if (!goesOn()) {
                    throw abort.reason().<RuntimeException>map(why -> new StepFailure(stopped(why), false))
                            .orElseGet(() -> new StepFailure("stopped because another table failed", true));
                }
            });
            if (whole) {
                to.commit();
            }
            finished(task, moved.rows(), moved.bytes(), started);
        } catch (SQLException | RuntimeException e) {
            if (whole) {
                to.rollback();
            }
            throw e;
        } finally {
            if (whole) {
                to.setAutoCommit(true);
            }
        }
    }

    private void finished(CopyTask task, long rows, long bytes, Instant started) {
        TableTally tally = tallies.get(task.table().name());
        log.debug("copied {} ({}): {} rows, {} bytes", task.table().name(), task.range().describe(), rows, bytes);
        tally.add(rows, bytes, started, Instant.now()).ifPresent(took -> progress.tableCopied(
                new CopiedTable(task.table().name().toString(), tally.rows(), tally.bytes(), took)));
    }
}
