package dev.cutover.lag.slot;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import dev.cutover.lag.engine.SourceFigures;

class IdleSlotWatchUnitTest {

    private static final Duration WARN_AFTER = Duration.ofMinutes(10);
    private static final Instant START = Instant.parse("2026-12-06T08:00:00Z");

    private IdleSlotWatch watch = IdleSlotWatch.start(WARN_AFTER);

    @Test
    void anInactiveSlotKeepingWalIsWarnedAboutOnceTheIdleTimeHasPassedAndNotBefore() {
        assertThat(read(inactive(1_000), 0)).isEmpty();
        assertThat(read(inactive(2_000), 599)).isEmpty();

        Optional<SlotIdle> warning = read(inactive(3_000), 600);

        assertThat(warning).contains(new SlotIdle("cutover_slot_shop", 3_000, START, WARN_AFTER));
        assertThat(warning.orElseThrow().action())
                .contains("cutoverctl migrate abort --migration", "SELECT pg_drop_replication_slot('cutover_slot_shop')");
    }

    @Test
    void theSameEpisodeIsWarnedAboutOnlyOnce() {
        read(inactive(1_000), 0);
        assertThat(read(inactive(1_000), 600)).isPresent();

        assertThat(read(inactive(5_000), 601)).isEmpty();
        assertThat(read(inactive(9_000), 6_000)).isEmpty();
    }

    @Test
    void aSlotReadAgainInBetweenStartsANewEpisodeThatIsWarnedAboutAgain() {
        read(inactive(1_000), 0);
        assertThat(read(inactive(1_000), 600)).isPresent();

        assertThat(read(active(), 700)).isEmpty();
        assertThat(read(inactive(1_000), 800)).isEmpty();
        assertThat(read(inactive(1_000), 1_399)).isEmpty();
        assertThat(read(inactive(1_000), 1_400)).map(SlotIdle::inactiveSince).contains(START.plusSeconds(800));
    }

    @Test
    void aPauseShorterThanTheIdleTimeIsNotWarnedAbout() {
        read(inactive(1_000), 0);
        assertThat(read(active(), 599)).isEmpty();

        assertThat(read(inactive(1_000), 601)).isEmpty();
    }

    @Test
    void aSlotThatKeepsNoWalOrIsGoneIsNotIdle() {
        read(inactive(1_000), 0);
        assertThat(watch.observe(Optional.empty(), START.plusSeconds(300)).warning()).isEmpty();
        watch = watch.observe(Optional.empty(), START.plusSeconds(300)).next();

        assertThat(read(inactive(0), 900)).isEmpty();
        assertThat(read(inactive(null), 1_000)).isEmpty();
        assertThat(watch.episode()).isEmpty();
    }

    private Optional<SlotIdle> read(SourceFigures.Slot slot, long secondsAfterStart) {
        IdleSlotWatch.Verdict verdict = watch.observe(Optional.of(slot), START.plusSeconds(secondsAfterStart));
        watch = verdict.next();
        return verdict.warning();
    }

    private static SourceFigures.Slot inactive(Long retainedWalBytes) {
        return new SourceFigures.Slot("cutover_slot_shop", null, retainedWalBytes, retainedWalBytes, false);
    }

    private static SourceFigures.Slot inactive(long retainedWalBytes) {
        return inactive(Long.valueOf(retainedWalBytes));
    }

    private static SourceFigures.Slot active() {
        return new SourceFigures.Slot("cutover_slot_shop", null, 0L, 1_000L, true);
    }
}
