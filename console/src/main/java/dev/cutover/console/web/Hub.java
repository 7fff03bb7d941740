package dev.cutover.console.web;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

import dev.cutover.console.ConsoleSettings;
import dev.cutover.console.board.Board;
import dev.cutover.console.board.Update;
import dev.cutover.ctl.replay.CutoverSummary;
import dev.cutover.ctl.replay.LoggedRecord;
import dev.cutover.ctl.replay.MigrationSummary;

/**
 * The board and the pages that watch it. One lock around both: a page that connects gets the snapshot and then
 * every update after it, none twice and none lost in between.
 */
@Component
public class Hub {

    private static final Logger log = LoggerFactory.getLogger(Hub.class);

    private final Board board;
    private final long streamTimeoutMs;
    private final List<SseEmitter> pages = new ArrayList<>();

    Hub(ConsoleSettings settings) {
        this.board = new Board(settings.lagPoints());
        this.streamTimeoutMs = settings.streamTimeout().toMillis();
    }

    public synchronized void accept(LoggedRecord record) {
        board.accept(record).ifPresent(update -> List.copyOf(pages).forEach(page -> send(page, update)));
    }

    /** A cutover as the console has read it so far. */
    public synchronized Optional<CutoverSummary> cutover(String id) {
        return board.cutover(id);
    }

    /** A cutover's records as the console has read them so far, to replay outside the lock. */
    public synchronized Optional<List<LoggedRecord>> cutoverLog(String id) {
        return board.cutoverLog(id);
    }

    /** The database's newest migration as the console has read it so far. */
    public synchronized Optional<MigrationSummary> newestMigration(String database) {
        return board.newestMigration(database);
    }

    SseEmitter connect() {
        return connect(new SseEmitter(streamTimeoutMs));
    }

    /** Watches {@code page}: the snapshot first, then every update. */
    synchronized SseEmitter connect(SseEmitter page) {
        page.onCompletion(() -> forget(page));
        page.onTimeout(page::complete);
        page.onError(error -> forget(page));
        for (var update : board.snapshot()) {
            if (!send(page, update)) {
                return page;
            }
        }
        pages.add(page);
        return page;
    }

    private synchronized void forget(SseEmitter page) {
        pages.remove(page);
    }

    /** A page that went away is dropped; the browser's EventSource opens a new stream if it was only the network. */
    private boolean send(SseEmitter page, Update update) {
        try {
            page.send(SseEmitter.event().name(update.kind()).data(update.json(), MediaType.APPLICATION_JSON));
            return true;
        } catch (IOException | IllegalStateException e) {
            log.debug("a page stopped listening: {}", e.toString());
            pages.remove(page);
            end(page, e);
            return false;
        }
    }

    /**
     * Ends the stream of a page that went away. The servlet container may have ended it already, for the same broken
     * connection: it then refuses, and the page is gone either way. Nothing a page does may reach the feed's thread,
     * which would stop reading the log for every other page.
     */
    private static void end(SseEmitter page, Exception cause) {
        try {
            page.completeWithError(cause);
        } catch (IllegalStateException alreadyEnded) {
            log.debug("a page's stream had already ended: {}", alreadyEnded.toString());
        }
    }
}
