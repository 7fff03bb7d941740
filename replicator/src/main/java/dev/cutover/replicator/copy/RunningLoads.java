package dev.cutover.replicator.copy;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The full loads running in this process, by database: one at a time per database, as migrations are. */
public final class RunningLoads {

    private static final Logger log = LoggerFactory.getLogger(RunningLoads.class);

    private final Map<String, LoadAbort> running = new ConcurrentHashMap<>();

    /** A load of {@code database} begins; {@link #end} when it is over. */
    public LoadAbort begin(String database) {
        LoadAbort abort = new LoadAbort();
        running.put(database, abort);
        return abort;
    }

    public void end(String database, LoadAbort abort) {
        running.remove(database, abort);
        abort.ended();
    }

    /**
     * Stops the database's running load, if there is one here, and waits until it has rolled back what it was
     * copying, at most {@code patience}.
     *
     * @return whether a load was running
     */
    public boolean stop(String database, String why, Duration patience) throws InterruptedException {
        LoadAbort abort = running.get(database);
        if (abort == null) {
            return false;
        }
        abort.abort(why);
        if (!abort.awaitEnd(patience)) {
            log.warn("the full load of {} did not stop within {} s of being asked to ({})", database,
                    patience.toSeconds(), why);
        }
        return true;
    }
}
