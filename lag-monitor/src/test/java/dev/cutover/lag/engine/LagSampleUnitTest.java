package dev.cutover.lag.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.Optional;

import org.junit.jupiter.api.Test;

class LagSampleUnitTest {

    private static final Instant AT = Instant.parse("2026-11-25T10:00:00Z");

    @Test
    void confirmedPositionIsTheFurtherOfTheSlotAndTheSubscriptionsReport() {
        LagSample sample = nativeSample(Lsn.parse("0/500"), Lsn.parse("0/400"), Lsn.parse("0/450"));

        assertThat(sample.confirmedLsn()).contains(Lsn.parse("0/450"));
        assertThat(sample.hasPendingChanges()).isTrue();
    }

    @Test
    void sourceAtTheConfirmedPositionHasNothingPending() {
        assertThat(nativeSample(Lsn.parse("0/500"), Lsn.parse("0/500"), null).hasPendingChanges()).isFalse();
    }

    @Test
    void descriptionNamesTheFiguresAPersonNeeds() {
        String text = nativeSample(Lsn.parse("0/500"), Lsn.parse("0/400"), null)
                .withHeartbeatLagMs(Optional.of(12L)).describe();

        assertThat(text).contains("0/500", "0/400", "256 bytes", "heartbeat lag 12 ms", "subscription sub enabled");
    }

    private static LagSample nativeSample(Lsn source, Lsn slotConfirmed, Lsn latestEnd) {
        SourceFigures.Slot slot = new SourceFigures.Slot("sub", slotConfirmed, source.bytesAfter(slotConfirmed),
                source.bytesAfter(slotConfirmed), true);
        return new LagSample(AT, EngineKind.NATIVE, new SourceFigures(source, Optional.of(slot)),
                Optional.of(new TargetFigures.Subscription("sub", true, true, latestEnd, latestEnd, null)),
                Optional.empty());
    }
}
