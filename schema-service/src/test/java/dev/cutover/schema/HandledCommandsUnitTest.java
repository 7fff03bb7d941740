package dev.cutover.schema;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.avro.specific.SpecificRecord;
import org.junit.jupiter.api.Test;

import dev.cutover.events.Metadata;
import dev.cutover.events.SequencesSynced;

class HandledCommandsUnitTest {

    private final List<SpecificRecord> published = new ArrayList<>();
    private final AtomicInteger work = new AtomicInteger();

    private SpecificRecord doWork() {
        work.incrementAndGet();
        return SequencesSynced.newBuilder().setMetadata(Metadata.newBuilder().setMessageId(UUID.randomUUID())
                .setDatabase("shop").setOccurredAt(Instant.now()).setProducer("schema-service").build())
                .setSequences(work.get()).build();
    }

    @Test
    void aRepeatedCommandGetsTheSameAnswerWithoutTheWorkBeingDoneAgain() {
        HandledCommands handled = new HandledCommands(10);

        handled.answer("c1", this::doWork, published::add);
        handled.answer("c1", this::doWork, published::add);

        assertThat(work).hasValue(1);
        assertThat(published).hasSize(2);
        assertThat(published.get(1)).isSameAs(published.get(0));
    }

    @Test
    void aCommandWhoseAnswerWasNotPublishedIsDoneAgain() {
        HandledCommands handled = new HandledCommands(10);

        assertThatThrownBy(() -> handled.answer("c1", this::doWork, answer -> {
            throw new IllegalStateException("broker down");
        })).hasMessage("broker down");
        handled.answer("c1", this::doWork, published::add);

        assertThat(work).hasValue(2);
        assertThat(published).hasSize(1);
    }

    @Test
    void aCommandDeliveredAgainWhileItsFirstDeliveryIsWorkedOnIsDroppedAndTheFirstAnswersIt() {
        HandledCommands handled = new HandledCommands(10);

        handled.answer("c1", () -> {
            handled.answer("c1", this::doWork, published::add);
            return doWork();
        }, published::add);

        assertThat(work).hasValue(1);
        assertThat(published).hasSize(1);
        handled.answer("c1", this::doWork, published::add);
        assertThat(published).hasSize(2);
        assertThat(published.get(1)).isSameAs(published.get(0));
    }

    @Test
    void onlyTheLatestCommandsAreRemembered() {
        HandledCommands handled = new HandledCommands(2);

        handled.answer("c1", this::doWork, published::add);
        handled.answer("c2", this::doWork, published::add);
        handled.answer("c3", this::doWork, published::add);
        handled.answer("c1", this::doWork, published::add);

        assertThat(work).hasValue(4);
    }
}
