package dev.cutover.lag.canary;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import dev.cutover.lag.engine.Lsn;

class CatchUpCheckUnitTest {

    private static final Canary CANARY = new Canary("t-1", Lsn.parse("0/3000060"));
    private static final Optional<Instant> VISIBLE = Optional.of(Instant.parse("2026-11-25T10:00:00Z"));
    private static final Optional<Lsn> NONE = Optional.empty();

    @Test
    void rowVisibleWithTheReportedPositionPastTheCanaryIsCaughtUp() {
        assertThat(new CatchUpCheck(VISIBLE, NONE, lsn("0/3000060"), NONE, false).caughtUp(CANARY)).isTrue();
    }

    @Test
    void rowVisibleWithTheSlotConfirmedPastTheCanaryIsCaughtUp() {
        assertThat(new CatchUpCheck(VISIBLE, NONE, NONE, lsn("0/3000100"), false).caughtUp(CANARY)).isTrue();
    }

    @Test
    void rowVisibleAndReceivedIsCaughtUpOnlyOnceTheTargetFlushedItsWal() {
        CatchUpCheck received = new CatchUpCheck(VISIBLE, lsn("0/3000060"), NONE, NONE, false);

        assertThat(received.caughtUp(CANARY)).isFalse();
        assertThat(received.flushed().caughtUp(CANARY)).isTrue();
    }

    @Test
    void rowVisibleWhilePositionsAreBehindTheCanaryIsNotCaughtUp() {
        CatchUpCheck check = new CatchUpCheck(VISIBLE, lsn("0/3000000"), lsn("0/3000000"), lsn("0/2FFFFFF"), true);

        assertThat(check.caughtUp(CANARY)).isFalse();
        assertThat(check.describe(CANARY)).contains("visible", "0/3000060", "0/3000000", "0/2FFFFFF");
    }

    @Test
    void positionPastTheCanaryWithoutTheRowIsNotCaughtUp() {
        assertThat(new CatchUpCheck(Optional.empty(), lsn("1/0"), lsn("1/0"), lsn("1/0"), true).caughtUp(CANARY))
                .isFalse();
    }

    private static Optional<Lsn> lsn(String text) {
        return Optional.of(Lsn.parse(text));
    }
}
