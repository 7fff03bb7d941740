package dev.cutover.client;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Where the application's new connections go, as far as this process has heard of its database's cutover and of its
 * fallback.
 *
 * <p>Pure: {@link #evolve} and {@link #plan} do no I/O and get the time passed in.
 */
public sealed interface Route {

    /** No cutover heard of: connect as configured. */
    record Normal() implements Route {
    }

    /**
     * The name points at the target, which is still locked, and the fence of the source follows at once: new checkouts
     * and connections wait, until the target opens, the source is restored or the hold ends. The hold begins at the
     * flip, not at {@code StopTraffic}, because the fence carries {@code StopTraffic} out as soon as the saga sends
     * it, which may be before this process hears it; the saga only sends it once it has read the flip, so a process
     * that holds from the flip is quiet when the fence ends its sessions.
     */
    record Holding(String cutoverId, Instant since, String source, String target) implements Route {
    }

    /**
     * The source is being fenced, but this process has not heard where the name points: {@code StopTraffic} and
     * {@code DnsFlipped} are on different topics and may arrive in either order, and a process started after the flip
     * never hears it. Waits like {@link Holding}; the flip, if it comes, turns it into one.
     */
    record Fencing(String cutoverId, Instant since) implements Route {
    }

    /** The target is open: connect to its address, whatever the JVM's DNS cache still says. */
    record OnTarget(String cutoverId, String source, String target) implements Route {
    }

    /**
     * The cutover's fallback: the name points at the source again, which is still locked, and the fence of the target
     * ({@code LockTarget}) follows at once. Waits like {@link Holding}, from the fallback's flip (or its fence, heard
     * first), until the source opens, the fallback rolls back (the target opens again) or the hold ends.
     */
    record FallingBack(String cutoverId, Instant since, String source, String target) implements Route {
    }

    /**
     * The target is being fenced for a fallback, but this process has not heard the fallback's flip, nor the cutover
     * (it started after it): waits like {@link Fencing}; the flip, if it comes, turns it into {@link FallingBack}.
     */
    record LockingTarget(String cutoverId, Instant since) implements Route {
    }

    /**
     * The source serves again, the cutover rolled back or fallen back: connect to the source's address, where the name
     * points again.
     */
    record OnSource(String cutoverId, String source) implements Route {
    }

    /** Before any event: plain behaviour. */
    static Route initial() {
        return new Normal();
    }

    /**
     * The route after {@code signal}, heard at {@code now}. A signal of another cutover leaves the route as it is,
     * except the flip or the fence of a new one. A process that never heard the flip holds during the fence and then
     * connects as configured, as it would without the library.
     *
     * <p>A fallback flips the name back with the cutover's id: heard on the target of that cutover, it is the
     * fallback's and its addresses go the other way. A process that started after the cutover cannot tell a fallback's
     * flip from a cutover's until it hears which server is fenced: {@code LockTarget} (the fallback's fence; the
     * cutover's compensation never sends it), or {@code FallbackRollingBack}, turns a hold taken for a cutover's into
     * the fallback's.
     */
    static Route evolve(Route route, CutoverSignal signal, Instant now) {
        return switch (signal) {
            case CutoverSignal.DnsFlipped flipped -> switch (route) {
                case Fencing fencing when ofCutover(fencing, flipped) ->
                        new Holding(fencing.cutoverId(), fencing.since(), flipped.previous(), flipped.current());
                case LockingTarget locking when ofCutover(locking, flipped) ->
                        new FallingBack(locking.cutoverId(), locking.since(), flipped.current(), flipped.previous());
                case OnTarget onTarget when ofCutover(onTarget, flipped) ->
                        new FallingBack(onTarget.cutoverId(), now, flipped.current(), flipped.previous());
                default -> ofCutover(route, flipped) ? route : new Holding(flipped.cutoverId(), now, flipped.previous(), flipped.current());
            };
            case CutoverSignal.StopTraffic stop -> switch (route) {
                case Normal normal -> new Fencing(stop.cutoverId(), now);
                case OnTarget onTarget when !ofCutover(onTarget, stop) -> new Fencing(stop.cutoverId(), now);
                case OnSource onSource when !ofCutover(onSource, stop) -> new Fencing(stop.cutoverId(), now);
                default -> route;
            };
            case CutoverSignal.LockTarget lock -> switch (route) {
                case OnTarget onTarget when ofCutover(onTarget, lock) ->
                        new FallingBack(onTarget.cutoverId(), now, onTarget.source(), onTarget.target());
                // The flip heard was the fallback's, taken for a cutover's: the name went from the target to the source.
                case Holding holding when ofCutover(holding, lock) ->
                        new FallingBack(holding.cutoverId(), holding.since(), holding.target(), holding.source());
                case Normal normal -> new LockingTarget(lock.cutoverId(), now);
                case OnTarget onTarget -> new LockingTarget(lock.cutoverId(), now);
                case OnSource onSource when !ofCutover(onSource, lock) -> new LockingTarget(lock.cutoverId(), now);
                default -> route;
            };
            // On the events' partition before the rollback's TargetOpened: a fallback's flip taken for a cutover's
            // without its fence heard (the fallback gave up on a flip answered late) is turned round in time.
            case CutoverSignal.FallbackRollingBack rollingBack -> switch (route) {
                case Holding holding when ofCutover(holding, rollingBack) ->
                        new FallingBack(holding.cutoverId(), holding.since(), holding.target(), holding.source());
                default -> route;
            };
            case CutoverSignal.TargetOpen open -> switch (route) {
                case Holding holding when ofCutover(holding, open) ->
                        new OnTarget(holding.cutoverId(), holding.source(), holding.target());
                case FallingBack fallingBack when ofCutover(fallingBack, open) ->
                        new OnTarget(fallingBack.cutoverId(), fallingBack.source(), fallingBack.target());
                case Fencing fencing when ofCutover(fencing, open) -> new Normal();
                case LockingTarget locking when ofCutover(locking, open) -> new Normal();
                default -> route;
            };
            case CutoverSignal.SourceOpen open -> switch (route) {
                case Holding holding when ofCutover(holding, open) -> new OnSource(open.cutoverId(), holding.source());
                case FallingBack fallingBack when ofCutover(fallingBack, open) -> new OnSource(open.cutoverId(), fallingBack.source());
                // A fallback whose flip and fence this process did not hear.
                case OnTarget onTarget when ofCutover(onTarget, open) -> new OnSource(open.cutoverId(), onTarget.source());
                case Fencing fencing when ofCutover(fencing, open) -> new Normal();
                case LockingTarget locking when ofCutover(locking, open) -> new Normal();
                default -> route;
            };
        };
    }

    private static boolean ofCutover(Route route, CutoverSignal signal) {
        String cutoverId = switch (route) {
            case Normal normal -> null;
            case Holding holding -> holding.cutoverId();
            case Fencing fencing -> fencing.cutoverId();
            case OnTarget onTarget -> onTarget.cutoverId();
            case FallingBack fallingBack -> fallingBack.cutoverId();
            case LockingTarget locking -> locking.cutoverId();
            case OnSource onSource -> onSource.cutoverId();
        };
        return signal.cutoverId().equals(cutoverId);
    }

    /** What a new connection or checkout does now on this route; a hold lasts at most {@code holdTimeout}. */
    static Connect plan(Route route, Instant now, Duration holdTimeout) {
        return switch (route) {
            case Normal normal -> Connect.AS_CONFIGURED;
            case Holding holding -> hold(holding.since(), now, holdTimeout);
            case Fencing fencing -> hold(fencing.since(), now, holdTimeout);
            case FallingBack fallingBack -> hold(fallingBack.since(), now, holdTimeout);
            case LockingTarget locking -> hold(locking.since(), now, holdTimeout);
            case OnTarget onTarget -> new Connect.To(onTarget.target());
            case OnSource onSource -> new Connect.To(onSource.source());
        };
    }

    private static Connect hold(Instant since, Instant now, Duration holdTimeout) {
        Instant until = since.plus(holdTimeout);
        return now.isBefore(until) ? new Connect.Wait(until) : Connect.AS_CONFIGURED;
    }

    /** When the hold of {@code route} ends at the latest, if it is a hold (whether or not that time has passed). */
    static Optional<Instant> holdEnds(Route route, Duration holdTimeout) {
        Optional<Instant> since = switch (route) {
            case Holding holding -> Optional.of(holding.since());
            case Fencing fencing -> Optional.of(fencing.since());
            case FallingBack fallingBack -> Optional.of(fallingBack.since());
            case LockingTarget locking -> Optional.of(locking.since());
            case Normal normal -> Optional.empty();
            case OnTarget onTarget -> Optional.empty();
            case OnSource onSource -> Optional.empty();
        };
        return since.map(start -> start.plus(holdTimeout));
    }

    /**
     * True when leaving {@code before} for {@code after} must evict the pool's connections: they stand on a server the
     * fence ended or that no longer takes the writes.
     */
    static boolean evicts(Route before, Route after) {
        boolean fenced = before instanceof Holding || before instanceof Fencing || before instanceof FallingBack || before instanceof LockingTarget;
        return switch (after) {
            case OnTarget onTarget -> !(before instanceof OnTarget);
            case Normal normal -> fenced;
            case OnSource onSource -> fenced || before instanceof OnTarget;
            case Holding holding -> false;
            case Fencing fencing -> false;
            case FallingBack fallingBack -> false;
            case LockingTarget locking -> false;
        };
    }
}
