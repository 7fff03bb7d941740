package dev.cutover.sandbox.faults;

import static dev.cutover.sandbox.faults.Outcome.COMPLETES;
import static dev.cutover.sandbox.faults.Outcome.ROLLS_BACK;
import static dev.cutover.sandbox.faults.Outcome.STOPS;

import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import dev.cutover.sandbox.faults.Disruption.CutOffPostgres;
import dev.cutover.sandbox.faults.Disruption.DnsUnreachable;
import dev.cutover.sandbox.faults.Disruption.KillProcess;
import dev.cutover.sandbox.faults.Disruption.PauseSaga;
import dev.cutover.sandbox.faults.Disruption.RestartPostgres;
import dev.cutover.sandbox.faults.Disruption.Side;
import dev.cutover.sandbox.faults.Disruption.StopBroker;
import dev.cutover.sandbox.rehearsal.Services.Service;

/**
 * Every case of the fault matrix, and the outcome each must have, written down before any was run. The rules:
 *
 * <ul>
 * <li>Before the point of no return a fault that outlasts a step's timeout rolls the cutover back, and the source
 * serves again. A killed service is away longer than any switch step's timeout (2 to 10 s) even when started again
 * at once: its JVM starts in seconds, and its consumer group gives it its partitions back only once the dead
 * member's session (45 s) has expired.</li>
 * <li>From the point of no return on the saga only goes forward: it completes once what it waits for is back.</li>
 * <li>A service the rest of the cutover no longer needs does not change its outcome.</li>
 * <li>Something needed that never comes back cannot be decided by the services: the cutover stops, and one event must
 * name what the operator has to do ({@link CaseEnding} says which events count). A participant only the tidy-up
 * needs stops the tidy-up alone: the cutover completes for the application and the target must serve.</li>
 * </ul>
 */
public final class FaultMatrix {

    /** Longer than every timeout: the saga's longest step (60 s), Kafka's session (45 s) and transaction (10 s). */
    static final Duration BROKER_DOWN = Duration.ofSeconds(65);
    /** Longer than every switch step's timeout (at most 10 s). */
    static final Duration CUT_OFF = Duration.ofSeconds(20);
    /**
     * How long a restarted server stays down: longer than every switch step's timeout. A restart of a second or two
     * raced the switch (the fence waits out a server that is away for now), so a case could roll back or complete.
     */
    static final Duration RESTART_DOWN = Duration.ofSeconds(15);
    /** Past the Kafka session timeout of the paused instance's consumers (45 s, Kafka's default). */
    static final Duration PAUSED = Duration.ofSeconds(55);

    /** The services the switch still needs once it has begun, before the point of no return (the flip is done). */
    private static final Set<Service> SWITCH = EnumSet.of(Service.CUTOVER_SERVICE, Service.LAG_MONITOR, Service.SCHEMA_SERVICE);
    /** The services a rollback needs: the saga and its fence, and dns-switcher to put the name back. */
    private static final Set<Service> ROLLBACK = EnumSet.of(Service.CUTOVER_SERVICE, Service.DNS_SWITCHER);

    private FaultMatrix() {
    }

    /** The whole matrix, in the order it runs. */
    public static List<FaultCase> cases() {
        List<FaultCase> cases = new ArrayList<>();
        for (Moment moment : Moment.stepsOfTheCutover()) {
            for (Service service : Service.values()) {
                if (service == Service.DNS_SWITCHER && moment == Moment.FLIP_DNS) {
                    // The flip takes milliseconds: whether it lands before the kill is a race, not a case.
                    continue;
                }
                cases.add(restarted(service, moment));
            }
        }
        for (Service service : Service.values()) {
            cases.add(leftDead(service));
        }
        cases.add(FaultCase.of(new StopBroker(BROKER_DOWN), Moment.FLIP_DNS, ROLLS_BACK, "the flip's deadline passes"));
        cases.add(FaultCase.of(new StopBroker(BROKER_DOWN), Moment.STOP_TRAFFIC, ROLLS_BACK, "the fence's deadlines pass"));
        cases.add(FaultCase.of(new StopBroker(BROKER_DOWN), Moment.OPEN_TARGET, COMPLETES, "past no return: forward once back"));
        for (Side side : Side.values()) {
            cases.add(FaultCase.of(new RestartPostgres(side, RESTART_DOWN), Moment.FLIP_DNS, ROLLS_BACK,
                    "the switch's next step on the " + side.label() + " fails while it restarts"));
            cases.add(FaultCase.of(new RestartPostgres(side, RESTART_DOWN), Moment.STOP_TRAFFIC, ROLLS_BACK,
                    "the fence's work on the " + side.label() + " fails as it restarts"));
            cases.add(FaultCase.of(new RestartPostgres(side, RESTART_DOWN), Moment.OPEN_TARGET, COMPLETES,
                    "past no return: the step is tried again once the " + side.label() + " is back"));
            cases.add(FaultCase.of(new CutOffPostgres(side, CUT_OFF), Moment.FLIP_DNS, ROLLS_BACK,
                    "the switch's steps on the " + side.label() + " time out"));
            cases.add(FaultCase.of(new CutOffPostgres(side, CUT_OFF), Moment.STOP_TRAFFIC, ROLLS_BACK,
                    "the fence's steps on the " + side.label() + " time out"));
            cases.add(FaultCase.of(new CutOffPostgres(side, CUT_OFF), Moment.OPEN_TARGET, COMPLETES,
                    "past no return: forward once the " + side.label() + " answers again"));
        }
        // In place before the cutover starts: a flip takes milliseconds, so a fault struck as its step begins would race it.
        cases.add(FaultCase.of(new DnsUnreachable(CUT_OFF), Moment.START, ROLLS_BACK,
                "the flip times out; the name is put back once the server answers"));
        cases.add(FaultCase.of(new DnsUnreachable(CUT_OFF), Moment.TIDY_UP, COMPLETES,
                "only the TTL's restore waits for the server"));
        cases.add(FaultCase.of(new PauseSaga(PAUSED), Moment.FLIP_DNS, ROLLS_BACK,
                "the standby takes over past the switch's deadlines; the resumed one is fenced"));
        cases.add(FaultCase.of(new PauseSaga(PAUSED), Moment.STOP_TRAFFIC, ROLLS_BACK,
                "the standby takes over past the fence's deadlines; the resumed one is fenced"));
        cases.add(FaultCase.of(new PauseSaga(PAUSED), Moment.OPEN_TARGET, COMPLETES,
                "past no return: the standby goes forward; the resumed one is fenced"));
        cases.addAll(duringTheMigration());
        return List.copyOf(cases);
    }

    /**
     * The migration's cases. Nothing is switched during a migration and every step's timeout (2 minutes for the
     * shortest) outlasts a restarted participant's return, so a killed service or a server cut off for a while only
     * delays it: the migration becomes ready and the cutover after it completes. Each step's own participant is
     * killed as the step begins, and the saga at the longest steps; the servers are cut off during the copy.
     */
    static List<FaultCase> duringTheMigration() {
        List<FaultCase> cases = new ArrayList<>();
        for (Moment step : Moment.values()) {
            if (step.duringMigration()) {
                cases.add(FaultCase.of(new KillProcess(participant(step), true), step, COMPLETES,
                        "its command is given again to it once it is back, well within the step's timeout"));
            }
        }
        for (Moment moment : List.of(Moment.FULL_LOAD, Moment.VERIFY_DATA)) {
            cases.add(FaultCase.of(new KillProcess(Service.CUTOVER_SERVICE, true), moment, COMPLETES,
                    "the saga is rebuilt from its events and the step's answer waits for it"));
        }
        for (Side side : Side.values()) {
            cases.add(FaultCase.of(new CutOffPostgres(side, CUT_OFF), Moment.FULL_LOAD, COMPLETES,
                    "the copy waits for the " + side.label() + ", or fails and is tried again, taking up what it"
                            + " finished"));
        }
        return cases;
    }

    /** Who does a step of the migration: the service a kill as the step begins strikes. */
    private static Service participant(Moment step) {
        return switch (step) {
            case PREFLIGHT, PRE_DATA, POST_DATA, VERIFY_SCHEMA -> Service.SCHEMA_SERVICE;
            case FULL_LOAD, STREAMING, VERIFY_DATA -> Service.REPLICATOR;
            case LOWER_DNS_TTL -> Service.DNS_SWITCHER;
            case START, FLIP_DNS, STOP_TRAFFIC, OPEN_TARGET, TIDY_UP ->
                    throw new IllegalArgumentException(step + " is a step of the cutover, not of the migration");
        };
    }

    /** The cases CI runs: one of each kind of fault, the quickest to converge, and two kills. */
    public static List<FaultCase> ciSubset() {
        return named(List.of(
                "kill-lag-monitor-restarted-at-flip-dns",
                "kill-replicator-restarted-at-tidy-up",
                "kill-schema-service-left-dead-at-stop-traffic",
                "stop-broker-65s-at-open-target",
                "restart-target-at-open-target",
                "cut-off-source-20s-at-stop-traffic",
                "dns-unreachable-20s-at-start",
                "pause-cutover-service-55s-at-open-target"));
    }

    /** The cases with these names, in this order. */
    public static List<FaultCase> named(List<String> names) {
        List<FaultCase> all = cases();
        return names.stream().map(name -> all.stream().filter(c -> c.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no case '" + name + "' in the matrix; the cases: "
                        + all.stream().map(FaultCase::name).collect(Collectors.joining(", ")))))
                .toList();
    }

    private static FaultCase restarted(Service service, Moment moment) {
        KillProcess kill = new KillProcess(service, true);
        if (moment.pastNoReturn()) {
            return FaultCase.of(kill, moment, COMPLETES, "past no return: forward once it is back");
        }
        if (SWITCH.contains(service)) {
            return FaultCase.of(kill, moment, ROLLS_BACK, "its switch step times out while it comes back");
        }
        return FaultCase.of(kill, moment, COMPLETES, "the switch no longer needs it; tidy-up waits for it");
    }

    /** Killed as the fence begins (the flip has landed) and never started again. */
    private static FaultCase leftDead(Service service) {
        KillProcess kill = new KillProcess(service, false);
        if (ROLLBACK.contains(service) && SWITCH.contains(service)) {
            return FaultCase.of(kill, Moment.STOP_TRAFFIC, STOPS,
                    "neither forward nor back without it: lag-monitor's SagaSilent says to start it again");
        }
        if (SWITCH.contains(service)) {
            return FaultCase.of(kill, Moment.STOP_TRAFFIC, ROLLS_BACK, "its step times out; the rollback does not need it");
        }
        // The switch no longer needs it: the cutover completes for the application, and only the tidy-up stops.
        return FaultCase.of(kill, Moment.STOP_TRAFFIC, STOPS, "the target serves (CutoverCompleted), but tidy-up"
                + " cannot finish: the saga's StepFailureNoted(TIDY_UP) says to start it again");
    }
}
