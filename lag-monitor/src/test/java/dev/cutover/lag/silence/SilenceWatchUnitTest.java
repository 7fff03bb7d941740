package dev.cutover.lag.silence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import dev.cutover.lag.silence.SagaNews.Ended;
import dev.cutover.lag.silence.SagaNews.Reported;
import dev.cutover.lag.silence.SagaNews.Spoke;
import dev.cutover.lag.silence.SagaNews.Started;
import dev.cutover.lag.silence.SagaNews.Word;

class SilenceWatchUnitTest {

    private static final Duration BOUND = Duration.ofSeconds(120);
    private static final Instant T0 = Instant.parse("2026-12-06T10:00:00Z");
    private static final Instant LONG_AGO = T0.minus(Duration.ofDays(1));

    @Test
    void aCutoverWhoseSagaHasSaidNothingForTheBoundIsDueWithItsLastWordAndStep() {
        SilenceWatch watch = SilenceWatch.start(BOUND).with(started("c1", T0))
                .with(new Spoke("c1", word("StepStarted", "w2", T0.plusSeconds(1), "STOP_TRAFFIC")));

        assertThat(watch.due(T0.plusSeconds(120), LONG_AGO)).isEmpty();
        assertThat(watch.due(T0.plusSeconds(121), LONG_AGO)).singleElement().satisfies(silence -> {
            assertThat(silence.cutoverId()).isEqualTo("c1");
            assertThat(silence.database()).isEqualTo("shop");
            assertThat(silence.lastWord().messageId()).isEqualTo("w2");
            assertThat(silence.lastStep()).contains("STOP_TRAFFIC");
            assertThat(silence.silentFor()).isEqualTo(Duration.ofSeconds(120));
            assertThat(silence.action("cutover-service")).contains("Start cutover-service",
                    "recovers the saga from cutover.events and carries on", "StepStarted (step STOP_TRAFFIC)");
        });
    }

    @Test
    void aSilenceReportedInTheLogIsNotDueAgainWhoeverReportedIt() {
        SilenceWatch watch = SilenceWatch.start(BOUND).with(started("c1", T0)).with(new Reported("c1", "w1"));

        assertThat(watch.due(T0.plusSeconds(600), LONG_AGO)).isEmpty();
    }

    @Test
    void aSagaThatSpeaksAfterItsSilenceWasReportedIsReportedAgainWhenItFallsSilentAgain() {
        SilenceWatch watch = SilenceWatch.start(BOUND).with(started("c1", T0)).with(new Reported("c1", "w1"))
                .with(new Spoke("c1", word("CompensationStarted", "w2", T0.plusSeconds(200), null)));

        assertThat(watch.due(T0.plusSeconds(300), LONG_AGO)).isEmpty();
        assertThat(watch.due(T0.plusSeconds(320), LONG_AGO)).singleElement()
                .satisfies(silence -> assertThat(silence.lastWord().messageId()).isEqualTo("w2"));
    }

    @Test
    void aReportOfAnEarlierSilenceDoesNotCoverTheOneUnderWay() {
        SilenceWatch watch = SilenceWatch.start(BOUND).with(started("c1", T0))
                .with(new Spoke("c1", word("StepStarted", "w2", T0.plusSeconds(1), "FLIP_DNS")))
                .with(new Reported("c1", "w1"));

        assertThat(watch.due(T0.plusSeconds(200), LONG_AGO)).hasSize(1);
    }

    @Test
    void aCutoverThatEndedIsNeverDueNorWatchedAgainByItsTidyUp() {
        SilenceWatch watch = SilenceWatch.start(BOUND).with(started("c1", T0)).with(new Ended("c1"))
                .with(new Spoke("c1", word("StepRetried", "w3", T0.plusSeconds(60), null)));

        assertThat(watch.cutovers()).isEmpty();
        assertThat(watch.due(T0.plusSeconds(600), LONG_AGO)).isEmpty();
    }

    @Test
    void theTimeTheWatchdogCouldNotReadTheLogDoesNotCountAsSilence() {
        SilenceWatch watch = SilenceWatch.start(BOUND).with(started("c1", T0));
        Instant watchingSince = T0.plusSeconds(300);

        assertThat(watch.due(T0.plusSeconds(400), watchingSince)).isEmpty();
        assertThat(watch.due(T0.plusSeconds(420), watchingSince)).singleElement()
                .satisfies(silence -> assertThat(silence.silentFor()).isEqualTo(Duration.ofSeconds(420)));
    }

    @Test
    void cutoversAreJudgedEachOnItsOwn() {
        SilenceWatch watch = SilenceWatch.start(BOUND).with(started("c1", T0)).with(started("c2", T0.plusSeconds(100)));

        assertThat(watch.due(T0.plusSeconds(150), LONG_AGO)).extracting(Silence::cutoverId).containsExactly("c1");
    }

    @Test
    void theSettingsRefuseABoundThatIsNotPositiveAndSayWhatToSet() {
        assertThatThrownBy(() -> new SagaSilenceSettings(true, Duration.ZERO, Duration.ofSeconds(1), "cutover-service"))
                .hasMessageContaining("cutover.lag.saga-silence.after must be positive");
        assertThatThrownBy(() -> new SagaSilenceSettings(true, Duration.ofSeconds(5), Duration.ofSeconds(5),
                "cutover-service")).hasMessageContaining("check-interval must be positive and shorter");
        assertThatThrownBy(() -> new SagaSilenceSettings(true, Duration.ofSeconds(5), Duration.ofSeconds(1), " "))
                .hasMessageContaining("saga-service must name the service");
    }

    private static Started started(String cutoverId, Instant at) {
        return new Started(cutoverId, "shop", word("CutoverStarted", "w1", at, null));
    }

    private static Word word(String type, String id, Instant at, String step) {
        return new Word(type, id, at, Optional.ofNullable(step));
    }
}
