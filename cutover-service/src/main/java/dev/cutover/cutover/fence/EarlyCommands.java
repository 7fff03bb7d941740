package dev.cutover.cutover.fence;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.LongAdder;

/**
 * The commands the fence took as soon as the saga in this process committed them, by message id, with how each
 * ended: the listener, reading the same commands from Kafka moments later, asks here first. Only the newest few are
 * remembered: one that moved to another instance's fence before its consumer read it is never asked about.
 */
final class EarlyCommands implements AutoCloseable {

    private static final int REMEMBERED = 256;

    private final ExecutorService thread = Executors.newSingleThreadExecutor(
            Thread.ofPlatform().name("fence-early").daemon(true).factory());
    private final Map<UUID, CompletableFuture<Boolean>> outcomes = new LinkedHashMap<>(16, 0.75f, false) {

        @Override
        protected boolean removeEldestEntry(Map.Entry<UUID, CompletableFuture<Boolean>> eldest) {
            return size() > REMEMBERED;
        }
    };

    private final LongAdder carriedOut = new LongAdder();

    /** How many commands were carried out here, all told. */
    long carriedOut() {
        return carriedOut.sum();
    }

    void carriedOut(int commands) {
        carriedOut.add(commands);
    }

    /** The command is being carried out here; its outcome completes true once done and answered, false otherwise. */
    synchronized CompletableFuture<Boolean> claim(UUID command) {
        return outcomes.computeIfAbsent(command, id -> new CompletableFuture<>());
    }

    void execute(Runnable commands) {
        thread.execute(commands);
    }

    /** The command will not be carried out here (not this instance's to take, or not committed after all). */
    synchronized void release(UUID command) {
        CompletableFuture<Boolean> outcome = outcomes.get(command);
        if (outcome != null) {
            outcome.complete(false);
        }
    }

    /**
     * Whether the command was carried out here: waits for it if it is under way (its work is bounded by the fence's
     * own timeouts, and closing completes it); false when never claimed. Forgotten once answered.
     */
    boolean outcome(UUID command) {
        CompletableFuture<Boolean> outcome;
        synchronized (this) {
            outcome = outcomes.get(command);
        }
        if (outcome == null) {
            return false;
        }
        boolean carriedOut = outcome.join();
        synchronized (this) {
            outcomes.remove(command);
        }
        return carriedOut;
    }

    @Override
    public void close() {
        thread.shutdownNow();
        synchronized (this) {
            // The listener must not wait for work that will never run: it carries those commands out itself.
            outcomes.values().forEach(outcome -> outcome.complete(false));
        }
    }
}
