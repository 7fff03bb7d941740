package dev.cutover.cutover.saga;

import static dev.cutover.cutover.saga.Text.human;

import dev.cutover.cutover.saga.Cutover.Completed;
import dev.cutover.cutover.saga.Cutover.FallingBack;
import dev.cutover.cutover.saga.CutoverEvent.AbortRefused;
import dev.cutover.cutover.saga.CutoverEvent.FallbackCompleted;
import dev.cutover.cutover.saga.CutoverEvent.FallbackRejected;
import dev.cutover.cutover.saga.CutoverEvent.FallbackRollbackPartDone;
import dev.cutover.cutover.saga.CutoverEvent.FallbackRolledBack;
import dev.cutover.cutover.saga.CutoverEvent.FallbackRollingBack;
import dev.cutover.cutover.saga.CutoverEvent.FallbackStarted;
import dev.cutover.cutover.saga.CutoverEvent.FallbackStepFinished;
import dev.cutover.cutover.saga.CutoverEvent.FallbackStepStarted;
import dev.cutover.cutover.saga.CutoverMessage.AbortCutover;
import dev.cutover.cutover.saga.CutoverMessage.StartFallback;
import dev.cutover.cutover.saga.Fallback.FellBack;
import dev.cutover.cutover.saga.Fallback.Refused;
import dev.cutover.cutover.saga.Fallback.RolledBack;
import dev.cutover.cutover.saga.Fallback.RollingBack;
import dev.cutover.cutover.saga.Fallback.Switching;
import dev.cutover.cutover.saga.SagaCommand.AwaitReverseCatchUp;
import dev.cutover.cutover.saga.SagaCommand.FlipDns;
import dev.cutover.cutover.saga.SagaCommand.LockTarget;
import dev.cutover.cutover.saga.SagaCommand.OpenTarget;
import dev.cutover.cutover.saga.SagaCommand.RestoreSource;
import dev.cutover.cutover.saga.SagaCommand.RevertDnsToTarget;
import dev.cutover.cutover.saga.SagaCommand.StopReverseReplication;
import dev.cutover.cutover.saga.SagaCommand.SyncSequencesToSource;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The fallback's rules: a completed cutover's clients moved back to the source, the cutover's steps in the other
 * direction ({@link FallbackStep}) after a preflight that waits for the reverse replication to be streaming, decided
 * and folded as {@link CutoverDecider} does the cutover's (which hands a fallback's messages and events to this class).
 * Until {@code RestoreSource} is sent, every failure, timeout or abort puts the target back (DNS to the target, its
 * roles opened, both awaited): it took every write so far, and the reverse replication goes on carrying them to the
 * source, so another fallback can be tried. From then on the fallback only rolls forward.
 */
public final class FallbackDecider {

    private FallbackDecider() {
    }

    static Cutover evolve(Cutover state, CutoverEvent event) {
        return switch (event) {
            case FallbackStarted started -> switch (state) {
                case Completed completed -> new FallingBack(completed.progress(), completed.downtime(),
                        new Switching(FallbackProgress.of(started)));
                case FallingBack fallingBack when !fallingBack.fallback().isActive() ->
                        with(fallingBack, new Switching(FallbackProgress.of(started)));
                default -> throw new InvalidTransition(state, event, "only a completed cutover falls back, one at a time");
            };
            case FallbackStepStarted started -> {
                FallingBack fallingBack = falling(state, event);
                yield with(fallingBack, new Switching(switching(fallingBack, event).progress()
                        .withStart(started.step(), started.startedAt())));
            }
            case FallbackStepFinished finished -> {
                FallingBack fallingBack = falling(state, event);
                FallbackProgress progress = switching(fallingBack, event).progress();
                if (!progress.inFlight().contains(finished.step())) {
                    throw new InvalidTransition(state, event, "fallback step " + finished.step() + " is not in flight");
                }
                yield with(fallingBack, new Switching(progress.withEnd(finished.step(), finished.finishedAt())));
            }
            case FallbackRollingBack rollingBack -> {
                FallingBack fallingBack = falling(state, event);
                if (!fallingBack.fallback().isActive()) {
                    throw new InvalidTransition(state, event, "no fallback is under way");
                }
                // Recorded again when the parts still awaited are sent again: what was confirmed stays confirmed.
                Set<FallbackRollbackPart> done = fallingBack.fallback() instanceof RollingBack already
                        ? already.done() : Set.of();
                yield with(fallingBack, new RollingBack(fallingBack.fallback().progress(), rollingBack.failedStep(),
                        rollingBack.reason(), rollingBack.startedAt(), done));
            }
            case FallbackRollbackPartDone partDone -> {
                FallingBack fallingBack = falling(state, event);
                RollingBack rollingBack = rollingBack(fallingBack, event);
                var done = EnumSet.of(partDone.part());
                done.addAll(rollingBack.done());
                yield with(fallingBack, new RollingBack(rollingBack.progress(), rollingBack.failedStep(),
                        rollingBack.reason(), rollingBack.attemptStartedAt(), done));
            }
            // Logs written before the rollback waited for DnsReverted hold no part done before it: it folds the same.
            case FallbackRolledBack rolledBack -> {
                FallingBack fallingBack = falling(state, event);
                RollingBack rollingBack = rollingBack(fallingBack, event);
                yield with(fallingBack, new RolledBack(rollingBack.progress(), rolledBack.failedStep(),
                        rolledBack.reason(), rolledBack.downtime()));
            }
            case FallbackCompleted completed -> {
                FallingBack fallingBack = falling(state, event);
                yield with(fallingBack, new FellBack(switching(fallingBack, event).progress(), completed.downtime()));
            }
            // A request refused at once leaves no state behind: the event is only for the audit trail.
            case FallbackRejected rejected when !rejected.byPreflight() -> state;
            case FallbackRejected rejected -> {
                FallingBack fallingBack = falling(state, event);
                FallbackProgress progress = switching(fallingBack, event).progress();
                if (!progress.inFlight().contains(FallbackStep.PREFLIGHT)) {
                    throw new InvalidTransition(state, event, "the fallback's preflight is not under way");
                }
                yield with(fallingBack, new Refused(progress, rejected.reason()));
            }
            default -> throw new IllegalArgumentException(event + " is not a fallback's event");
        };
    }

    private static FallingBack with(FallingBack fallingBack, Fallback fallback) {
        return new FallingBack(fallingBack.progress(), fallingBack.downtime(), fallback);
    }

    private static FallingBack falling(Cutover state, CutoverEvent event) {
        if (state instanceof FallingBack fallingBack) {
            return fallingBack;
        }
        throw new InvalidTransition(state, event, "no fallback was started");
    }

    private static RollingBack rollingBack(FallingBack fallingBack, CutoverEvent event) {
        if (fallingBack.fallback() instanceof RollingBack rollingBack) {
            return rollingBack;
        }
        throw new InvalidTransition(fallingBack, event, "the target was never asked to be put back");
    }

    private static Switching switching(FallingBack fallingBack, CutoverEvent event) {
        if (fallingBack.fallback() instanceof Switching switching) {
            return switching;
        }
        throw new InvalidTransition(fallingBack, event, "it only applies to a fallback in state Switching");
    }

    /** A fallback asked of a cutover in any state: only a completed one whose source follows the target may. */
    static Decision start(Cutover state, StartFallback start, Instant now, CutoverPolicy policy) {
        if (!policy.allows(start.operator())) {
            return reject(start, "operator " + start.operator() + " is not allowed to fall back cutovers", now);
        }
        return switch (state) {
            case Completed completed -> completed.progress().fallbackPoint().isPresent()
                    && completed.progress().tidyUpTasks().contains(TidyUpTask.PREPARE_FALLBACK)
                    ? begin(start, now)
                    : reject(start, "the cutover prepared no reverse replication (cutover.databases."
                            + completed.progress().started().database() + ".fallback.prepare was off, or the target's"
                            + " position at opening was not recorded), so the source lacks the target's writes and a"
                            + " fallback would lose them: move back with a new migration from the target instead", now);
            case FallingBack fallingBack -> switch (fallingBack.fallback()) {
                case Switching switching when isRepeat(switching.progress(), start) -> Decision.none();
                case RollingBack rollingBack when isRepeat(rollingBack.progress(), start) -> Decision.none();
                case Switching switching -> reject(start, "a fallback by " + switching.progress().started().operator()
                        + " is under way: wait for it, or abort it before the source opens", now);
                case RollingBack rollingBack -> reject(start, "a fallback is being rolled back: ask again once the"
                        + " target serves (FallbackRolledBack)", now);
                case FellBack fellBack -> reject(start, "the cutover has fallen back already: the source serves", now);
                case RolledBack rolledBack -> begin(start, now);
                case Refused refused -> begin(start, now);
            };
            case Cutover.TidyingUp tidyingUp -> reject(start, "the cutover is still tidying up (the reverse"
                    + " replication starts once forward replication is stopped): ask again once it completed", now);
            case Cutover.NotStarted notStarted -> notServingTarget(start, state, now);
            case Cutover.Preflight preflight -> notServingTarget(start, state, now);
            case Cutover.Running running -> notServingTarget(start, state, now);
            case Cutover.Compensating compensating -> notServingTarget(start, state, now);
            case Cutover.RolledBack rolledBack -> notServingTarget(start, state, now);
            case Cutover.Planned planned -> notServingTarget(start, state, now);
            case Cutover.Rejected rejected -> notServingTarget(start, state, now);
        };
    }

    private static Decision notServingTarget(StartFallback start, Cutover state, Instant now) {
        return reject(start, "the cutover is " + state.getClass().getSimpleName() + ": only a completed cutover, whose"
                + " clients use the target, can fall back (abort a cutover under way instead)", now);
    }

    private static boolean isRepeat(FallbackProgress progress, StartFallback start) {
        return progress.started().operator().equals(start.operator()) && progress.started().reason().equals(start.reason());
    }

    /** The preflight waits for a report of the reverse replication read since the request ({@link #lag}). */
    private static Decision begin(StartFallback start, Instant now) {
        return new Decision(List.of(new FallbackStarted(start.operator(), start.reason(), now),
                new FallbackStepStarted(FallbackStep.PREFLIGHT, now)), List.of());
    }

    /**
     * The preflight's gate, as the cutover's: the reverse replication streaming with its lag under
     * {@code cutover.saga.max-lag}, in a report read since the fallback was asked for (an older one says nothing of the
     * source's state now). One that is not ready is waited past for {@code lag-settle}, a passing spike being no
     * reason to refuse; after that it refuses the fallback, which has touched nothing yet.
     */
    private static Decision lag(FallingBack state, CutoverMessage.LagReported lag, Instant now, CutoverPolicy policy) {
        if (!lag.reverse() || !(state.fallback() instanceof Switching switching)
                || !switching.progress().inFlight().contains(FallbackStep.PREFLIGHT)) {
            return Decision.none();
        }
        Instant began = switching.progress().stepStarts().get(FallbackStep.PREFLIGHT);
        if (lag.observedAt().isBefore(began) || Duration.between(lag.observedAt(), now).compareTo(policy.maxLagAge()) > 0) {
            return Decision.none();
        }
        if (lag.state().streaming() && lag.lagBytes() <= policy.maxLagBytes()) {
            FallbackProgress passed = switching.progress().withEnd(FallbackStep.PREFLIGHT, now);
            var events = new ArrayList<CutoverEvent>(List.of(new FallbackStepFinished(FallbackStep.PREFLIGHT, now)));
            Decision started = startReady(state.progress(), passed, now, policy);
            events.addAll(started.events());
            return new Decision(events, started.commands());
        }
        if (lag.observedAt().isBefore(began.plus(policy.lagSettle()))) {
            return Decision.none();
        }
        return refuse(switching.progress(), lag.state().streaming()
                ? "the reverse replication's lag of " + lag.lagBytes() + " bytes is over the threshold of "
                        + policy.maxLagBytes() + " bytes: ask again once the source has caught up"
                : "the reverse replication is " + lag.state() + ", not streaming: " + lag.state().meaning()
                        + "; look at the reverse subscription on the source, then ask again", now);
    }

    private static Decision refuse(FallbackProgress progress, String reason, Instant now) {
        return Decision.of(new FallbackRejected(progress.started().operator(), reason, true, now));
    }

    private static Decision reject(StartFallback start, String reason, Instant now) {
        return Decision.of(new FallbackRejected(start.operator(), reason, false, now));
    }

    /** Every message about a cutover that is falling back, or has fallen back, comes here. */
    static Decision decide(FallingBack state, CutoverMessage message, Instant now, CutoverPolicy policy) {
        return switch (message) {
            case StartFallback start -> start(state, start, now, policy);
            case AbortCutover abort -> abort(state, abort, now, policy);
            case CutoverMessage.DnsFlipped flipped -> answered(state, FallbackStep.FLIP_DNS, now, policy);
            case CutoverMessage.TargetLocked locked -> answered(state, FallbackStep.FENCE_TARGET, now, policy);
            case CutoverMessage.ReverseCaughtUp caughtUp -> answered(state, FallbackStep.AWAIT_CATCH_UP, now, policy);
            case CutoverMessage.SequencesSynced synced -> answered(state, FallbackStep.SYNC_SEQUENCES, now, policy);
            case CutoverMessage.SourceRestored restored -> answered(state, FallbackStep.OPEN_SOURCE, now, policy);
            case CutoverMessage.FallbackRemoved removed ->
                    answered(state, FallbackStep.STOP_REVERSE_REPLICATION, now, policy);
            case CutoverMessage.TargetOpened opened -> rollbackPartDone(state, FallbackRollbackPart.OPEN_TARGET, now);
            case CutoverMessage.DnsReverted reverted -> rollbackPartDone(state, FallbackRollbackPart.REVERT_DNS, now);
            case CutoverMessage.StepFailed failed -> sharedStep(failed.step())
                    .map(step -> failed(state, step, failed.reason(), now))
                    .orElse(Decision.none());
            case CutoverMessage.FallbackStepFailed failed -> failed(state, failed.step(), failed.reason(), now);
            case CutoverMessage.Tick tick -> tick(state, now, policy);
            // Late answers of the cutover's own steps, the first-session watcher of an OpenTarget, lag observations:
            // nothing a fallback waits for.
            case CutoverMessage.StartCutover other -> Decision.none();
            case CutoverMessage.PreflightReported other -> Decision.none();
            case CutoverMessage.TrafficStopped other -> Decision.none();
            case CutoverMessage.CanaryWritten other -> Decision.none();
            case CutoverMessage.CanaryObserved other -> Decision.none();
            case CutoverMessage.TrafficResumed other -> Decision.none();
            case CutoverMessage.ReplicationStopped other -> Decision.none();
            case CutoverMessage.FallbackPrepared other -> Decision.none();
            case CutoverMessage.ReverseReplicationStarted other -> Decision.none();
            case CutoverMessage.DnsTtlChanged other -> Decision.none();
            case CutoverMessage.LagReported lag -> lag(state, lag, now, policy);
        };
    }

    /** The fallback steps whose commands the cutover sends too, and whose failures name the cutover's step. */
    private static Optional<FallbackStep> sharedStep(Step step) {
        return switch (step) {
            case FLIP_DNS -> Optional.of(FallbackStep.FLIP_DNS);
            case SYNC_SEQUENCES -> Optional.of(FallbackStep.SYNC_SEQUENCES);
            default -> Optional.empty();
        };
    }

    private static Decision answered(FallingBack state, FallbackStep step, Instant now, CutoverPolicy policy) {
        if (!(state.fallback() instanceof Switching switching) || !switching.progress().inFlight().contains(step)) {
            // A repeated answer, or one for a step the fallback has rolled back from.
            return Decision.none();
        }
        FallbackProgress progress = switching.progress().withEnd(step, now);
        var events = new ArrayList<CutoverEvent>(List.of(new FallbackStepFinished(step, now)));
        if (step == FallbackStep.STOP_REVERSE_REPLICATION) {
            events.add(new FallbackCompleted(progress.downtimeUntil(progress.stepEnds().get(FallbackStep.OPEN_SOURCE)), now));
            return new Decision(events, List.of());
        }
        Decision started = startReady(state.progress(), progress, now, policy);
        events.addAll(started.events());
        return new Decision(events, started.commands());
    }

    /** Starts every step whose prerequisites have all finished and that has not started yet. */
    private static Decision startReady(Progress cutover, FallbackProgress progress, Instant now, CutoverPolicy policy) {
        var events = new ArrayList<CutoverEvent>();
        var commands = new ArrayList<SagaCommand>();
        for (FallbackStep step : FallbackStep.values()) {
            if (!progress.reached(step) && step.after().stream().allMatch(progress::finished)) {
                events.add(new FallbackStepStarted(step, now));
                command(step, cutover, progress, policy).ifPresent(commands::add);
            }
        }
        return new Decision(events, commands);
    }

    private static Optional<SagaCommand> command(FallbackStep step, Progress cutover, FallbackProgress progress,
            CutoverPolicy policy) {
        DnsPlan dns = cutover.started().dns();
        return switch (step) {
            case PREFLIGHT -> Optional.empty();
            // The source is still locked: clients that re-resolve are refused until it opens, so nobody writes there.
            case FLIP_DNS -> Optional.of(new FlipDns(dns.recordName(), dns.targetAddress(), dns.sourceAddress(),
                    policy.dnsTtl()));
            case FENCE_TARGET -> Optional.of(new LockTarget());
            case AWAIT_CATCH_UP -> Optional.of(new AwaitReverseCatchUp(policy.timeout(Step.AWAIT_CATCH_UP)));
            case SYNC_SEQUENCES -> Optional.of(new SyncSequencesToSource());
            // The fallback's point of no return: once the source may take writes, the target may not serve again.
            case OPEN_SOURCE -> Optional.of(new RestoreSource("fallback by " + progress.started().operator() + ": "
                    + progress.started().reason()));
            case STOP_REVERSE_REPLICATION -> Optional.of(new StopReverseReplication());
        };
    }

    private static Decision failed(FallingBack state, FallbackStep step, String reason, Instant now) {
        if (state.fallback() instanceof Switching switching && switching.progress().inFlight().contains(step)
                && step.compensable()) {
            return rollBack(state.progress(), switching.progress(), step, step + " failed: " + reason, now);
        }
        // Past the point of no return the step is sent again at its deadline; the participant's StepFailed is in the
        // log. Any other failure is a late one, for a step the fallback already rolled back from.
        return Decision.none();
    }

    /**
     * The fallback reads as rolled back only once the target serves and the name points at it: a flip back whose
     * answer was lost may have landed, and a target opened behind a name on the locked source helps nobody. An answer
     * outside a rollback, or one already recorded, is a late or repeated one.
     */
    private static Decision rollbackPartDone(FallingBack state, FallbackRollbackPart part, Instant now) {
        if (!(state.fallback() instanceof RollingBack rollingBack) || !rollingBack.pending().contains(part)) {
            return Decision.none();
        }
        if (rollingBack.pending().size() > 1) {
            return Decision.of(new FallbackRollbackPartDone(part, now));
        }
        return Decision.of(new FallbackRolledBack(rollingBack.failedStep(), rollingBack.reason(),
                rollingBack.progress().downtimeUntil(now), now));
    }

    private static Decision abort(FallingBack state, AbortCutover abort, Instant now, CutoverPolicy policy) {
        if (!policy.allows(abort.operator())) {
            return Decision.of(new AbortRefused(abort.operator(),
                    "operator " + abort.operator() + " is not allowed to abort cutovers", now));
        }
        String reason = "aborted by " + abort.operator() + ": " + abort.reason();
        return switch (state.fallback()) {
            case Switching switching when switching.progress().inFlight().contains(FallbackStep.PREFLIGHT) ->
                    refuse(switching.progress(), reason, now);
            case Switching switching when switching.progress().inFlight().stream().allMatch(FallbackStep::compensable) ->
                    rollBack(state.progress(), switching.progress(),
                            switching.progress().inFlight().stream().findFirst().orElse(FallbackStep.FLIP_DNS), reason, now);
            case Switching switching -> Decision.of(new AbortRefused(abort.operator(), "the fallback's point of no"
                    + " return is passed: the source was opened and clients may have written there, so the fallback"
                    + " only rolls forward", now));
            case RollingBack rollingBack -> Decision.none();
            case FellBack fellBack -> Decision.of(new AbortRefused(abort.operator(), "the fallback is over: the"
                    + " source serves", now));
            case RolledBack rolledBack -> Decision.of(new AbortRefused(abort.operator(), "no fallback is under way:"
                    + " the target serves", now));
            case Refused refused -> Decision.of(new AbortRefused(abort.operator(), "no fallback is under way:"
                    + " the target serves", now));
        };
    }

    /**
     * The target takes the clients back: DNS to the target (a compare-and-swap that succeeds when it points there
     * already, since a flip that timed out may or may not have landed), and its roles opened, which does nothing when
     * the fence never locked them. Both answers are awaited ({@link #rollbackPartDone}).
     */
    private static Decision rollBack(Progress cutover, FallbackProgress progress, FallbackStep failedStep, String reason,
            Instant now) {
        return new Decision(List.of(new FallbackRollingBack(failedStep, reason, now)),
                rollback(cutover, progress, EnumSet.allOf(FallbackRollbackPart.class)));
    }

    /** The commands of the rollback's {@code parts} (all at first, later those not confirmed yet). */
    private static List<SagaCommand> rollback(Progress cutover, FallbackProgress progress,
            Set<FallbackRollbackPart> parts) {
        var commands = new ArrayList<SagaCommand>();
        if (progress.reached(FallbackStep.FLIP_DNS) && parts.contains(FallbackRollbackPart.REVERT_DNS)) {
            commands.add(new RevertDnsToTarget(cutover.started().dns().recordName()));
        }
        if (parts.contains(FallbackRollbackPart.OPEN_TARGET)) {
            commands.add(new OpenTarget());
        }
        return commands;
    }

    /** When the fallback has to act if nothing arrives. */
    static Optional<Instant> deadline(FallingBack state, CutoverPolicy policy) {
        return switch (state.fallback()) {
            case Switching switching -> stepDeadlines(switching.progress(), policy).values().stream()
                    .min(Comparator.naturalOrder());
            case RollingBack rollingBack -> Optional.of(rollingBack.attemptStartedAt().plus(policy.compensationTimeout()));
            case FellBack fellBack -> Optional.empty();
            case RolledBack rolledBack -> Optional.empty();
            case Refused refused -> Optional.empty();
        };
    }

    /** Each step in flight times out from its latest start, with the timeout of the cutover's step that mirrors it. */
    private static Map<FallbackStep, Instant> stepDeadlines(FallbackProgress progress, CutoverPolicy policy) {
        var deadlines = new LinkedHashMap<FallbackStep, Instant>();
        for (FallbackStep step : progress.inFlight()) {
            deadlines.put(step, progress.stepStarts().get(step).plus(policy.timeout(step.forwardStep())));
        }
        return deadlines;
    }

    private static Decision tick(FallingBack state, Instant now, CutoverPolicy policy) {
        Optional<Instant> deadline = deadline(state, policy);
        if (deadline.isEmpty() || !now.isAfter(deadline.get())) {
            return Decision.none();
        }
        return switch (state.fallback()) {
            case Switching switching -> {
                FallbackStep late = stepDeadlines(switching.progress(), policy).entrySet().stream()
                        .filter(step -> now.isAfter(step.getValue())).map(Map.Entry::getKey).findFirst().orElseThrow();
                Duration timeout = policy.timeout(late.forwardStep());
                if (late == FallbackStep.PREFLIGHT) {
                    yield refuse(switching.progress(), "no report of the reverse replication's lag read since the"
                            + " fallback was asked for arrived within " + human(timeout) + ": lag-monitor reports it"
                            + " while the source's reverse subscription exists, for a database with"
                            + " cutover.databases.<db>.fallback.prepare; check that it runs with that setting", now);
                }
                if (late.compensable()) {
                    yield rollBack(state.progress(), switching.progress(), late,
                            late + " did not finish within " + human(timeout), now);
                }
                // Past the point of no return: the step is sent again, and timed from now.
                yield new Decision(List.of(new FallbackStepStarted(late, now)),
                        command(late, state.progress(), switching.progress(), policy).stream().toList());
            }
            case RollingBack rollingBack -> new Decision(
                    List.of(new FallbackRollingBack(rollingBack.failedStep(), rollingBack.reason(), now)),
                    rollback(state.progress(), rollingBack.progress(), rollingBack.pending()));
            case FellBack fellBack -> Decision.none();
            case RolledBack rolledBack -> Decision.none();
            case Refused refused -> Decision.none();
        };
    }
}
