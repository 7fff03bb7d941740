package dev.cutover.schema.section;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import dev.cutover.platform.StepFailure;

/**
 * Runs the post-data of copied tables beside each other, a few tables at once, while the copy goes on.
 *
 * <p>The copy hands over its tables one by one, and the biggest table's indexes take longest: built one table after
 * the other, the small tables copied meanwhile queued behind them, and once the copy was over one core stayed idle
 * while they were built (docs/decisions.md, 115). Each job here is one table's build ({@link
 * PostDataBuilder#applyTables}), with the workers it asks for; a migration's whole section, which builds what the
 * table-by-table jobs left, must wait for them first ({@link #awaitAll}).
 */
public final class TablePostData implements AutoCloseable {

    private final ExecutorService threads;
    private final Map<String, List<CompletableFuture<Void>>> running = new HashMap<>();

    /** @param tablesAtOnce how many tables' post-data are built at the same time */
    public TablePostData(int tablesAtOnce) {
        if (tablesAtOnce < 1) {
            throw new IllegalArgumentException("post-data needs at least one table at a time, was " + tablesAtOnce);
        }
        this.threads = Executors.newFixedThreadPool(tablesAtOnce, runnable -> {
            Thread thread = new Thread(runnable, "post-data-of-tables");
            thread.setDaemon(true);
            return thread;
        });
    }

    /**
     * Starts one table's (or a few tables') post-data as soon as a place is free, and returns at once. The job says
     * itself how it ended (its answer or its failure): nothing waits for it but {@link #awaitAll}.
     *
     * @param migration whose jobs {@link #awaitAll} waits for
     */
    public void submit(String migration, Runnable job) {
        CompletableFuture<Void> future = CompletableFuture.runAsync(job, threads);
        synchronized (running) {
            List<CompletableFuture<Void>> jobs = running.computeIfAbsent(migration, any -> new ArrayList<>());
            jobs.removeIf(CompletableFuture::isDone);
            jobs.add(future);
        }
    }

    /**
     * Waits until every job submitted for {@code migration} so far has ended, however it ended (each reports its own
     * failure), and forgets them.
     */
    public void awaitAll(String migration) {
        List<CompletableFuture<Void>> jobs;
        synchronized (running) {
            jobs = running.remove(migration);
        }
        if (jobs == null) {
            return;
        }
        for (CompletableFuture<Void> job : jobs) {
            try {
                job.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new StepFailure("interrupted while the post-data of copied tables was still being built", true, e);
            } catch (ExecutionException e) {
                // The job has said how it failed; what it left undone, the whole section builds.
            }
        }
    }

    /** Stops the jobs: a table's build cut short is left to the whole section, which builds whatever is missing. */
    @Override
    public void close() {
        threads.shutdownNow();
    }
}
