package dev.cutover.cutover.runner;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.Set;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import dev.cutover.cutover.saga.CompensationPart;
import dev.cutover.cutover.saga.CutoverEvent;
import dev.cutover.events.CompensationRetried;
import dev.cutover.events.Metadata;

/** A rollback's retries on the wire: which parts were sent again is kept, so that people see whom it waits for. */
class SagaCodecCompensationUnitTest {

    private static final Instant AT = Instant.parse("2026-12-08T02:00:00Z");
    private static final Metadata METADATA = Metadata.newBuilder().setMessageId(UUID.randomUUID())
            .setCutoverId("orders-1").setDatabase("orders").setOccurredAt(AT).setProducer("cutover-service").build();

    @Test
    void aRetriedCompensationIsReadBackWithThePartsItSentAgain() {
        var retried = new CutoverEvent.CompensationRetried(Set.of(CompensationPart.REVERT_DNS), AT);

        CompensationRetried written = (CompensationRetried) SagaCodec.event(retried, METADATA);

        assertThat(written.getAwaited()).extracting(CharSequence::toString).containsExactly("REVERT_DNS");
        assertThat(SagaCodec.sagaEvent(written)).contains(retried);
    }

    @Test
    void aRetryWrittenBeforeThePartsWereRecordedReadsAsAwaitingNoneNamed() {
        CompensationRetried older = CompensationRetried.newBuilder().setMetadata(METADATA).build();

        assertThat(SagaCodec.sagaEvent(older)).contains(new CutoverEvent.CompensationRetried(Set.of(), AT));
    }
}
