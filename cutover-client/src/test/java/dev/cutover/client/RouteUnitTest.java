package dev.cutover.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;

import org.junit.jupiter.api.Test;

class RouteUnitTest {

    private static final Instant NOW = Instant.parse("2026-12-06T10:00:00Z");
    private static final Duration HOLD = Duration.ofSeconds(5);
    private static final String CUTOVER = "app-1";
    private static final CutoverSignal FLIPPED = new CutoverSignal.DnsFlipped(CUTOVER, "10.0.0.2", "10.0.0.3");
    private static final CutoverSignal STOP = new CutoverSignal.StopTraffic(CUTOVER);
    private static final CutoverSignal OPEN = new CutoverSignal.TargetOpen(CUTOVER);
    private static final CutoverSignal RESTORED = new CutoverSignal.SourceOpen(CUTOVER);
    private static final CutoverSignal FALLBACK_FLIPPED = new CutoverSignal.DnsFlipped(CUTOVER, "10.0.0.3", "10.0.0.2");
    private static final CutoverSignal LOCK = new CutoverSignal.LockTarget(CUTOVER);

    @Test
    void beforeAnyEventNewConnectionsGoWhereTheApplicationIsConfigured() {
        assertThat(Route.plan(Route.initial(), NOW, HOLD)).isEqualTo(Connect.AS_CONFIGURED);
    }

    @Test
    void theFlipHoldsUntilTheHoldTimeoutFromWhenItWasHeard() {
        Route route = given(FLIPPED);

        assertThat(route).isEqualTo(new Route.Holding(CUTOVER, NOW, "10.0.0.2", "10.0.0.3"));
        assertThat(Route.plan(route, NOW.plusSeconds(1), HOLD)).isEqualTo(new Connect.Wait(NOW.plus(HOLD)));
        assertThat(Route.plan(route, NOW.plus(HOLD), HOLD)).isEqualTo(Connect.AS_CONFIGURED);
    }

    @Test
    void theFenceHeardAfterTheFlipKeepsTheHoldThatBeganAtTheFlip() {
        Route holding = given(FLIPPED);

        assertThat(Route.evolve(holding, STOP, NOW.plusSeconds(1))).isEqualTo(holding);
    }

    @Test
    void theOpenTargetIsReachedByItsAddressAndTheOldConnectionsAreEvicted() {
        Route holding = given(FLIPPED, STOP);
        Route route = Route.evolve(holding, OPEN, NOW);

        assertThat(route).isEqualTo(new Route.OnTarget(CUTOVER, "10.0.0.2", "10.0.0.3"));
        assertThat(Route.plan(route, NOW, HOLD)).isEqualTo(new Connect.To("10.0.0.3"));
        assertThat(Route.evicts(holding, route)).isTrue();
    }

    @Test
    void aProcessThatMissedTheFenceStillMovesToTheTargetWhenItOpens() {
        assertThat(given(FLIPPED, OPEN)).isEqualTo(new Route.OnTarget(CUTOVER, "10.0.0.2", "10.0.0.3"));
    }

    @Test
    void aRollbackWhileHoldingReleasesToTheSourceAndEvictsWhatTheFenceEnded() {
        Route holding = given(FLIPPED, STOP);
        Route route = Route.evolve(holding, RESTORED, NOW);

        assertThat(route).isEqualTo(new Route.OnSource(CUTOVER, "10.0.0.2"));
        assertThat(Route.plan(route, NOW, HOLD)).isEqualTo(new Connect.To("10.0.0.2"));
        assertThat(Route.evicts(holding, route)).isTrue();
    }

    @Test
    void aRollbackBeforeTheFenceWasHeardReleasesToTheSource() {
        Route holding = given(FLIPPED);
        Route route = Route.evolve(holding, RESTORED, NOW);

        assertThat(route).isEqualTo(new Route.OnSource(CUTOVER, "10.0.0.2"));
        assertThat(Route.evicts(holding, route)).isTrue();
    }

    @Test
    void theLaterRollbackEventsOfTheSameCutoverChangeNothingMore() {
        Route route = given(FLIPPED, STOP, RESTORED, new CutoverSignal.SourceOpen(CUTOVER), RESTORED);

        assertThat(route).isEqualTo(new Route.OnSource(CUTOVER, "10.0.0.2"));
    }

    @Test
    void aFenceHeardBeforeTheFlipHoldsFromThenAndTheFlipTellsWhereToGo() {
        Route fencing = given(STOP);

        assertThat(fencing).isEqualTo(new Route.Fencing(CUTOVER, NOW));
        assertThat(Route.plan(fencing, NOW, HOLD)).isEqualTo(new Connect.Wait(NOW.plus(HOLD)));
        assertThat(Route.evolve(fencing, FLIPPED, NOW.plusSeconds(1))).isEqualTo(new Route.Holding(CUTOVER, NOW, "10.0.0.2", "10.0.0.3"));
    }

    @Test
    void aProcessThatNeverHeardTheFlipHoldsDuringTheFenceThenConnectsAsConfigured() {
        Route fencing = given(STOP);
        Route route = Route.evolve(fencing, OPEN, NOW);

        assertThat(route).isEqualTo(Route.initial());
        assertThat(Route.evicts(fencing, route)).isTrue();
    }

    @Test
    void aFenceOfTheRolledBackCutoverHeardLateDoesNotHoldAgain() {
        Route rolledBack = given(FLIPPED, STOP, RESTORED);

        assertThat(Route.evolve(rolledBack, STOP, NOW.plusSeconds(1))).isEqualTo(rolledBack);
    }

    @Test
    void theSourceOpeningAfterTheTargetOpenedOfAFallbackNotHeardGoesBackToTheSourceOfTheFlip() {
        Route onTarget = given(FLIPPED, STOP, OPEN);
        Route route = Route.evolve(onTarget, RESTORED, NOW);

        assertThat(route).isEqualTo(new Route.OnSource(CUTOVER, "10.0.0.2"));
        assertThat(Route.evicts(onTarget, route)).isTrue();
    }

    @Test
    void theNextCutoversFenceAfterACompletedOneHoldsToo() {
        assertThat(given(FLIPPED, STOP, OPEN, new CutoverSignal.StopTraffic("app-2"))).isEqualTo(new Route.Fencing("app-2", NOW));
    }

    @Test
    void signalsOfAnotherCutoverLeaveTheRouteAlone() {
        Route holding = given(FLIPPED, STOP);

        assertThat(Route.evolve(holding, new CutoverSignal.TargetOpen("other"), NOW)).isEqualTo(holding);
        assertThat(Route.evolve(holding, new CutoverSignal.SourceOpen("other"), NOW)).isEqualTo(holding);
    }

    @Test
    void aRepeatedFlipOfTheSameCutoverDoesNotEndTheHold() {
        Route holding = given(FLIPPED, STOP);

        assertThat(Route.evolve(holding, FLIPPED, NOW.plusSeconds(1))).isEqualTo(holding);
    }

    @Test
    void aNewCutoverAfterACompletedOneStartsFromItsOwnFlip() {
        Route route = given(FLIPPED, STOP, OPEN, new CutoverSignal.DnsFlipped("app-2", "10.0.0.3", "10.0.0.4"));

        assertThat(route).isEqualTo(new Route.Holding("app-2", NOW, "10.0.0.3", "10.0.0.4"));
    }

    @Test
    void theFallbacksFlipHeardOnTheTargetHoldsAndKnowsTheCutoversSourceAndTarget() {
        Route onTarget = given(FLIPPED, STOP, OPEN);
        Route route = Route.evolve(onTarget, FALLBACK_FLIPPED, NOW.plusSeconds(60));

        assertThat(route).isEqualTo(new Route.FallingBack(CUTOVER, NOW.plusSeconds(60), "10.0.0.2", "10.0.0.3"));
        assertThat(Route.plan(route, NOW.plusSeconds(61), HOLD)).isEqualTo(new Connect.Wait(NOW.plusSeconds(60).plus(HOLD)));
        assertThat(Route.evicts(onTarget, route)).isFalse();
        assertThat(Route.evolve(route, LOCK, NOW.plusSeconds(61))).isEqualTo(route);
    }

    @Test
    void theFallbacksFenceHeardBeforeItsFlipHoldsFromThenWithTheAddressesOfTheCutover() {
        Route route = given(FLIPPED, STOP, OPEN, LOCK);

        assertThat(route).isEqualTo(new Route.FallingBack(CUTOVER, NOW, "10.0.0.2", "10.0.0.3"));
        assertThat(Route.evolve(route, FALLBACK_FLIPPED, NOW.plusSeconds(1))).isEqualTo(route);
    }

    @Test
    void theSourceOpeningEndsTheFallbacksHoldOnTheSourcesAddressAndEvictsTheTargetsConnections() {
        Route fallingBack = given(FLIPPED, STOP, OPEN, FALLBACK_FLIPPED, LOCK);
        Route route = Route.evolve(fallingBack, RESTORED, NOW);

        assertThat(route).isEqualTo(new Route.OnSource(CUTOVER, "10.0.0.2"));
        assertThat(Route.plan(route, NOW, HOLD)).isEqualTo(new Connect.To("10.0.0.2"));
        assertThat(Route.evicts(fallingBack, route)).isTrue();
        assertThat(Route.holdEnds(fallingBack, HOLD)).contains(NOW.plus(HOLD));
    }

    @Test
    void aFallbackThatRollsBackReleasesToTheTargetAgain() {
        Route fallingBack = given(FLIPPED, STOP, OPEN, FALLBACK_FLIPPED, LOCK);
        Route route = Route.evolve(fallingBack, OPEN, NOW);

        assertThat(route).isEqualTo(new Route.OnTarget(CUTOVER, "10.0.0.2", "10.0.0.3"));
        assertThat(Route.plan(route, NOW, HOLD)).isEqualTo(new Connect.To("10.0.0.3"));
        assertThat(Route.evicts(fallingBack, route)).isTrue();
    }

    @Test
    void aProcessStartedAfterTheCutoverTakesTheFallbacksFlipForTheFallbacksOnceItHearsTheTargetFenced() {
        Route route = given(FALLBACK_FLIPPED, LOCK);

        assertThat(route).isEqualTo(new Route.FallingBack(CUTOVER, NOW, "10.0.0.2", "10.0.0.3"));
        assertThat(Route.evolve(route, RESTORED, NOW)).isEqualTo(new Route.OnSource(CUTOVER, "10.0.0.2"));
    }

    @Test
    void aProcessStartedAfterTheCutoverThatHearsTheTargetFencedBeforeTheFlipHoldsAndTheFlipTellsWhereToGo() {
        Route locking = given(LOCK);

        assertThat(locking).isEqualTo(new Route.LockingTarget(CUTOVER, NOW));
        assertThat(Route.plan(locking, NOW, HOLD)).isEqualTo(new Connect.Wait(NOW.plus(HOLD)));
        assertThat(Route.evolve(locking, FALLBACK_FLIPPED, NOW.plusSeconds(1)))
                .isEqualTo(new Route.FallingBack(CUTOVER, NOW, "10.0.0.2", "10.0.0.3"));
        assertThat(Route.evolve(locking, RESTORED, NOW)).isEqualTo(Route.initial());
    }

    @Test
    void aProcessStartedAfterTheCutoverThatHeardOnlyTheFallbacksFlipIsTurnedRoundByItsRollback() {
        Route route = given(FALLBACK_FLIPPED, new CutoverSignal.FallbackRollingBack(CUTOVER));

        assertThat(route).isEqualTo(new Route.FallingBack(CUTOVER, NOW, "10.0.0.2", "10.0.0.3"));
        assertThat(Route.evolve(route, OPEN, NOW)).isEqualTo(new Route.OnTarget(CUTOVER, "10.0.0.2", "10.0.0.3"));
        assertThat(given(FLIPPED, STOP, OPEN, FALLBACK_FLIPPED, LOCK, new CutoverSignal.FallbackRollingBack(CUTOVER)))
                .isEqualTo(new Route.FallingBack(CUTOVER, NOW, "10.0.0.2", "10.0.0.3"));
    }

    @Test
    void onlyAReleasedHoldHasAnEndThePoolsSettleBy() {
        assertThat(Route.holdEnds(given(FLIPPED), HOLD)).contains(NOW.plus(HOLD));
        assertThat(Route.holdEnds(given(STOP), HOLD)).contains(NOW.plus(HOLD));
        assertThat(Route.holdEnds(given(FLIPPED, OPEN), HOLD)).isEmpty();
        assertThat(Route.holdEnds(Route.initial(), HOLD)).isEmpty();
    }

    private static Route given(CutoverSignal... signals) {
        return Arrays.stream(signals).reduce(Route.initial(), (route, signal) -> Route.evolve(route, signal, NOW), (a, b) -> b);
    }
}
