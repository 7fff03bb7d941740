package dev.cutover.client;

import java.time.Duration;
import java.time.Instant;

/**
 * Where the application's new connections go, as far as this process has heard of its database's cutover.
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

    /** The cutover was undone: connect to the source's address, where the name points again. */
    record RolledBack(String cutoverId, String source) implements Route {
    }

    /** Before any event: plain behaviour. */
    static Route initial() {
        return new Normal();
    }

    /**
     * The route after {@code signal}, heard at {@code now}. A signal of another cutover leaves the route as it is,
     * except the flip or the fence of a new one. A process that never heard the flip holds during the fence and then
     * connects as configured, as it would without the library.
     */
    static Route evolve(Route route, CutoverSignal signal, Instant now) {
        return switch (signal) {
            case CutoverSignal.DnsFlipped flipped -> switch (route) {
                case Fencing fencing when fencing.cutoverId().equals(flipped.cutoverId()) ->
                        new Holding(fencing.cutoverId(), fencing.since(), flipped.source(), flipped.target());
                default -> concerns(route, flipped) ? route : new Holding(flipped.cutoverId(), now, flipped.source(), flipped.target());
            };
            case CutoverSignal.StopTraffic stop -> switch (route) {
                case Normal normal -> new Fencing(stop.cutoverId(), now);
                case OnTarget onTarget when !onTarget.cutoverId().equals(stop.cutoverId()) -> new Fencing(stop.cutoverId(), now);
                case RolledBack rolledBack when !rolledBack.cutoverId().equals(stop.cutoverId()) -> new Fencing(stop.cutoverId(), now);
                default -> route;
            };
            case CutoverSignal.TargetOpen open -> switch (route) {
                case Holding holding when holding.cutoverId().equals(open.cutoverId()) ->
                        new OnTarget(holding.cutoverId(), holding.source(), holding.target());
                case Fencing fencing when fencing.cutoverId().equals(open.cutoverId()) -> new Normal();
                default -> route;
            };
            case CutoverSignal.RolledBack back -> switch (route) {
                case Holding holding when holding.cutoverId().equals(back.cutoverId()) ->
                        new RolledBack(back.cutoverId(), back.source().orElse(holding.source()));
                case OnTarget onTarget when onTarget.cutoverId().equals(back.cutoverId()) ->
                        new RolledBack(back.cutoverId(), back.source().orElse(onTarget.source()));
                case Fencing fencing when fencing.cutoverId().equals(back.cutoverId()) ->
                        back.source().<Route>map(source -> new RolledBack(back.cutoverId(), source)).orElseGet(Normal::new);
                default -> route;
            };
        };
    }

    private static boolean concerns(Route route, CutoverSignal signal) {
        String cutoverId = switch (route) {
            case Normal normal -> null;
            case Holding holding -> holding.cutoverId();
            case Fencing fencing -> fencing.cutoverId();
            case OnTarget onTarget -> onTarget.cutoverId();
            case RolledBack rolledBack -> rolledBack.cutoverId();
        };
        return signal.cutoverId().equals(cutoverId);
    }

    /** What a new connection or checkout does now on this route; a hold lasts at most {@code holdTimeout}. */
    static Connect plan(Route route, Instant now, Duration holdTimeout) {
        return switch (route) {
            case Normal normal -> Connect.AS_CONFIGURED;
            case Holding holding -> hold(holding.since(), now, holdTimeout);
            case Fencing fencing -> hold(fencing.since(), now, holdTimeout);
            case OnTarget onTarget -> new Connect.To(onTarget.target());
            case RolledBack rolledBack -> new Connect.To(rolledBack.source());
        };
    }

    private static Connect hold(Instant since, Instant now, Duration holdTimeout) {
        Instant until = since.plus(holdTimeout);
        return now.isBefore(until) ? new Connect.Wait(until) : Connect.AS_CONFIGURED;
    }

    /**
     * True when leaving {@code before} for {@code after} must evict the pool's connections: they stand on a server the
     * fence ended or that no longer takes the writes.
     */
    static boolean evicts(Route before, Route after) {
        boolean fenced = before instanceof Holding || before instanceof Fencing;
        return switch (after) {
            case OnTarget onTarget -> !(before instanceof OnTarget);
            case Normal normal -> fenced;
            case RolledBack rolledBack -> fenced || before instanceof OnTarget;
            case Holding holding -> false;
            case Fencing fencing -> false;
        };
    }
}
