package dev.cutover.dns.pgbouncer;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import org.junit.jupiter.api.Test;

/** When held clients may go on, and which address is which side, without any PgBouncer. */
class ResumeGateUnitTest {

    private static final ServerAddress SOURCE = new ServerAddress("10.0.0.5", 5432);
    private static final ServerAddress TARGET = new ServerAddress("10.0.0.6", 5432);
    private static final Optional<String> CUTOVER = Optional.of("cutover-1");

    @Test
    void aFlipToTheTargetOpensOnlyWhenTheTargetOpens() {
        ResumeGate flipped = ResumeGate.closed().pointedAt(Side.TARGET);

        assertThat(flipped.open()).isFalse();
        assertThat(flipped.opened(Side.SOURCE).open()).isFalse();
        assertThat(flipped.opened(Side.TARGET).open()).isTrue();
    }

    @Test
    void aSourceRestoredBeforeTheRevertIsRememberedSoTheRevertOpensAtOnce() {
        ResumeGate restoredFirst = ResumeGate.closed().pointedAt(Side.TARGET).opened(Side.SOURCE);

        assertThat(restoredFirst.pointedAt(Side.SOURCE).open()).isTrue();
    }

    @Test
    void aRevertBeforeTheSourceIsRestoredWaitsForIt() {
        ResumeGate reverted = ResumeGate.closed().pointedAt(Side.TARGET).pointedAt(Side.SOURCE);

        assertThat(reverted.open()).isFalse();
        assertThat(reverted.opened(Side.SOURCE).open()).isTrue();
    }

    @Test
    void aHoldFoundPausedAtStartUpOpensOnAnyOpening() {
        assertThat(ResumeGate.closed().open()).isFalse();
        assertThat(ResumeGate.closed().opened(Side.SOURCE).open()).isTrue();
    }

    @Test
    void theCutoversFlipGoesToTheTargetAndItsRevertBackToTheSource() {
        Servers flipped = Servers.ofFlip(Optional.empty(), CUTOVER, SOURCE, TARGET);

        assertThat(flipped.sideOf(TARGET)).isEqualTo(Side.TARGET);
        assertThat(Servers.ofRevert(Optional.of(flipped), CUTOVER, TARGET, SOURCE)).isEqualTo(flipped);
        assertThat(Servers.ofRevert(Optional.empty(), CUTOVER, TARGET, SOURCE).sideOf(SOURCE)).isEqualTo(Side.SOURCE);
    }

    @Test
    void aFlipThatReversesTheKnownServersIsAFallbackToTheSource() {
        Servers cutover = Servers.ofFlip(Optional.empty(), CUTOVER, SOURCE, TARGET);

        Servers fallback = Servers.ofFlip(Optional.of(cutover), CUTOVER, TARGET, SOURCE);

        assertThat(fallback.sideOf(SOURCE)).isEqualTo(Side.SOURCE);
        assertThat(Servers.ofRevert(Optional.of(fallback), CUTOVER, SOURCE, TARGET).sideOf(TARGET)).isEqualTo(Side.TARGET);
    }

    @Test
    void anotherCutoversServersAreNotReused() {
        Servers earlier = Servers.ofFlip(Optional.empty(), Optional.of("cutover-0"), TARGET, SOURCE);

        assertThat(Servers.ofFlip(Optional.of(earlier), CUTOVER, SOURCE, TARGET).sideOf(TARGET)).isEqualTo(Side.TARGET);
    }
}
