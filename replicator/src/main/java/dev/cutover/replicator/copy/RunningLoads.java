package dev.cutover.replicator.copy;

import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.cutover.platform.StepFailure;

/**
 * The full loads running in this process, by migration, and the migrations aborted here: a late or repeated clean-up
 * of an older migration must not stop a newer one's load, and a load whose migration was aborted before it began
 * must not begin.
 */
public final class RunningLoads {

    /** Aborted migrations remembered, so that a {@code CopyData} read after its abort is refused. */
    private static final int ABORTED_REMEMBERED = 1_000;

    private static final Logger log = LoggerFactory.getLogger(RunningLoads.class);

    private final Map<String, LoadAbort> running = new ConcurrentHashMap<>();
    private final Set<String> aborted = Collections.synchronizedSet(Collections.newSetFromMap(
            new LinkedHashMap<String, Boolean>(16, 0.75f, false) {

                @Override
                protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
                    return size() > ABORTED_REMEMBERED;
                }
            }));

    /**
     * A load of {@code migration} begins; {@link #end} when it is over.
     *
     * @throws StepFailure when the migration was aborted already
     */
    public LoadAbort begin(String migration) {
        if (aborted.contains(migration)) {
            throw new StepFailure("migration " + migration + " was aborted before its full load began: nothing is"
                    + " copied", false);
        }
        LoadAbort abort = new LoadAbort();
        running.put(migration, abort);
        return abort;
    }

    public void end(String migration, LoadAbort abort) {
        running.remove(migration, abort);
        abort.ended();
    }

    /**
     * Stops the migration's running load, if there is one here, and waits until it has rolled back what it was
     * copying, at most {@code patience}; a load of it that has not begun yet never will.
     *
     * @return whether a load was running
     */
    public boolean stop(String migration, String why, Duration patience) throws InterruptedException {
        aborted.add(migration);
        LoadAbort abort = running.get(migration);
        if (abort == null) {
            return false;
        }
        abort.abort(why);
        if (!abort.awaitEnd(patience)) {
            log.warn("the full load of {} did not stop within {} s of being asked to ({})", migration,
                    patience.toSeconds(), why);
        }
        return true;
    }
}
