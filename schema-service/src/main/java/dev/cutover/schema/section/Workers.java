package dev.cutover.schema.section;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicReference;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.cutover.platform.StepFailure;
import dev.cutover.platform.database.Endpoint;
import dev.cutover.schema.pgtools.Catalog;

/**
 * A few connections to the target that run post-data entries, each in its own transaction. The first
 * failure stops the others from taking new entries; entries already running finish.
 */
final class Workers implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Workers.class);

    /** Two foreign keys between the same tables in opposite directions can deadlock; PostgreSQL aborts one. */
    private static final int DEADLOCK_ATTEMPTS = 5;

    private final Endpoint target;
    private final List<Connection> connections;
    private final ExecutorService threads;

    private Workers(Endpoint target, List<Connection> connections) {
        this.target = target;
        this.connections = connections;
        this.threads = Executors.newFixedThreadPool(connections.size(), runnable -> {
            Thread thread = new Thread(runnable, "post-data-worker");
            thread.setDaemon(true);
            return thread;
        });
    }

    static Workers open(Endpoint target, int count, List<String> prelude) {
        List<Connection> connections = new ArrayList<>();
        try {
            for (int i = 0; i < count; i++) {
                Connection connection = target.connect();
                connections.add(connection);
                try (Statement statement = connection.createStatement()) {
                    statement.execute(String.join("\n", prelude));
                }
            }
            return new Workers(target, connections);
        } catch (SQLException e) {
            connections.forEach(Workers::closeQuietly);
            throw Catalog.failure("opening " + count + " connections for post-data", target, e);
        }
    }

    void run(List<PostDataItem> items, boolean parallel) {
        if (items.isEmpty()) {
            return;
        }
        int width = parallel ? Math.min(connections.size(), items.size()) : 1;
        ConcurrentLinkedQueue<PostDataItem> queue = new ConcurrentLinkedQueue<>(items);
        AtomicReference<StepFailure> failure = new AtomicReference<>();
        List<Future<?>> running = new ArrayList<>();
        for (int worker = 0; worker < width; worker++) {
            Connection connection = connections.get(worker);
            running.add(threads.submit(() -> {
                PostDataItem item;
                while (failure.get() == null && (item = queue.poll()) != null) {
                    try {
                        execute(connection, item);
                    } catch (StepFailure e) {
                        failure.compareAndSet(null, e);
                    }
                }
            }));
        }
        for (Future<?> worker : running) {
            try {
                worker.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new StepFailure("interrupted while building post-data", true, e);
            } catch (ExecutionException e) {
                throw new StepFailure("a post-data worker failed: " + e.getCause(), false, e.getCause());
            }
        }
        if (failure.get() != null) {
            throw failure.get();
        }
    }

    private void execute(Connection connection, PostDataItem item) {
        for (int attempt = 1; ; attempt++) {
            long started = System.nanoTime();
            try (Statement statement = connection.createStatement()) {
                statement.execute(item.statement());
                log.info("built {} in {} ms", item.describe(), (System.nanoTime() - started) / 1_000_000);
                return;
            } catch (SQLException e) {
                if ("40P01".equals(e.getSQLState()) && attempt < DEADLOCK_ATTEMPTS) {
                    continue;
                }
                throw explain(item, e);
            }
        }
    }

    private StepFailure explain(PostDataItem item, SQLException e) {
        String state = e.getSQLState() == null ? "" : e.getSQLState();
        String what = "building " + item.describe() + " on " + target.describe() + " failed: " + e.getMessage();
        return switch (state) {
            case "23505" -> new StepFailure(what + ": the target holds duplicate rows the source's key forbids;"
                    + " check the copy (VerifyData) and the source for the same key", false, e);
            case "23503" -> new StepFailure(what + ": rows reference keys that are not on the target;"
                    + " the copy is incomplete: copy the missing rows (VerifyData) and send ApplySchema again", false, e);
            case "42P07", "42710" -> new StepFailure(what + ": the target already has an object of that name"
                    + " that pg_dump's name does not match; drop it and send ApplySchema again", false, e);
            default -> Catalog.failure("building " + item.describe(), target, e);
        };
    }

    @Override
    public void close() {
        threads.shutdownNow();
        connections.forEach(Workers::closeQuietly);
    }

    private static void closeQuietly(Connection connection) {
        try {
            connection.close();
        } catch (SQLException e) {
            // The step's outcome is decided; a connection that fails to close goes away with the session.
        }
    }
}
