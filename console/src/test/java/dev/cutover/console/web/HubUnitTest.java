package dev.cutover.console.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

import dev.cutover.console.ConsoleSettings;
import dev.cutover.ctl.replay.CutoverScript;
import dev.cutover.ctl.replay.LoggedRecord;

class HubUnitTest {

    private static final Instant START = Instant.parse("2026-03-01T02:00:00Z");

    /**
     * What the servlet container's stream does once the browser's connection broke: the next send fails, and so does
     * ending the stream, which the container ended itself when it saw the error.
     */
    private static final class BrokenPage extends SseEmitter {

        private boolean broken;

        @Override
        public void send(SseEventBuilder event) throws IOException {
            if (broken) {
                throw new IOException("Broken pipe");
            }
        }

        @Override
        public void completeWithError(Throwable failure) {
            throw new IllegalStateException("A non-container (application) thread attempted to use the AsyncContext"
                    + " after an error had occurred and the call to AsyncListener.onError() had returned.");
        }
    }

    /** A page that keeps every event it is sent. */
    private static final class ListeningPage extends SseEmitter {

        private int events;

        @Override
        public void send(SseEventBuilder event) {
            events++;
        }
    }

    @Test
    void aPageWhoseConnectionBrokeIsDroppedAndTheOthersGoOnBeingSentTheLog() {
        Hub hub = new Hub(new ConsoleSettings(2, Duration.ofMinutes(30), null));
        List<LoggedRecord> records = CutoverScript.of("c-1", "shop", START).started(false).stepsSideBySide().records();
        BrokenPage broken = new BrokenPage();
        ListeningPage listening = new ListeningPage();
        hub.connect(broken);
        hub.connect(listening);
        broken.broken = true;

        assertThatCode(() -> records.forEach(hub::accept)).doesNotThrowAnyException();

        assertThat(listening.events).isPositive();
        int sentBefore = listening.events;
        hub.accept(CutoverScript.of("c-2", "shop", START).started(false).records().getFirst());
        assertThat(listening.events).isGreaterThan(sentBefore);
        assertThat(hub.cutover("c-2")).isPresent();
    }
}
