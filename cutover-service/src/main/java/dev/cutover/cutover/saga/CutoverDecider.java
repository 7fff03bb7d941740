package dev.cutover.cutover.saga;

import static dev.cutover.cutover.saga.Text.human;

import dev.cutover.cutover.saga.Cutover.Compensating;
import dev.cutover.cutover.saga.Cutover.Completed;
import dev.cutover.cutover.saga.Cutover.FallingBack;
import dev.cutover.cutover.saga.Cutover.NotStarted;
import dev.cutover.cutover.saga.Cutover.Planned;
import dev.cutover.cutover.saga.Cutover.Preflight;
import dev.cutover.cutover.saga.Cutover.Rejected;
import dev.cutover.cutover.saga.Cutover.RolledBack;
import dev.cutover.cutover.saga.Cutover.Running;
import dev.cutover.cutover.saga.Cutover.TidyingUp;
import dev.cutover.cutover.saga.CutoverEvent.AbortRefused;
import dev.cutover.cutover.saga.CutoverEvent.CanaryRecorded;
import dev.cutover.cutover.saga.CutoverEvent.CompensationPartDone;
import dev.cutover.cutover.saga.CutoverEvent.CompensationRetried;
import dev.cutover.cutover.saga.CutoverEvent.CompensationStarted;
import dev.cutover.cutover.saga.CutoverEvent.CutoverCompleted;
import dev.cutover.cutover.saga.CutoverEvent.CutoverPlanned;
import dev.cutover.cutover.saga.CutoverEvent.CutoverRejected;
import dev.cutover.cutover.saga.CutoverEvent.CutoverRolledBack;
import dev.cutover.cutover.saga.CutoverEvent.CutoverStarted;
import dev.cutover.cutover.saga.CutoverEvent.FallbackPointRecorded;
import dev.cutover.cutover.saga.CutoverEvent.PreflightPassed;
import dev.cutover.cutover.saga.CutoverEvent.StepFailureNoted;
import dev.cutover.cutover.saga.CutoverEvent.StepFinished;
import dev.cutover.cutover.saga.CutoverEvent.StepRetried;
import dev.cutover.cutover.saga.CutoverEvent.StepStarted;
import dev.cutover.cutover.saga.CutoverEvent.TidyUpTaskDone;
import dev.cutover.cutover.saga.CutoverMessage.AbortCutover;
import dev.cutover.cutover.saga.CutoverMessage.CanaryObserved;
import dev.cutover.cutover.saga.CutoverMessage.CanaryWritten;
import dev.cutover.cutover.saga.CutoverMessage.DnsFlipped;
import dev.cutover.cutover.saga.CutoverMessage.FallbackPrepared;
import dev.cutover.cutover.saga.CutoverMessage.FallbackRemoved;
import dev.cutover.cutover.saga.CutoverMessage.FallbackStepFailed;
import dev.cutover.cutover.saga.CutoverMessage.ReverseCaughtUp;
import dev.cutover.cutover.saga.CutoverMessage.StartFallback;
import dev.cutover.cutover.saga.CutoverMessage.TargetLocked;
import dev.cutover.cutover.saga.CutoverMessage.LagReported;
import dev.cutover.cutover.saga.CutoverMessage.PreflightReported;
import dev.cutover.cutover.saga.CutoverMessage.SequencesSynced;
import dev.cutover.cutover.saga.CutoverMessage.DnsReverted;
import dev.cutover.cutover.saga.CutoverMessage.SourceRestored;
import dev.cutover.cutover.saga.CutoverMessage.StartCutover;
import dev.cutover.cutover.saga.CutoverMessage.StepFailed;
import dev.cutover.cutover.saga.CutoverMessage.StepOutcome;
import dev.cutover.cutover.saga.CutoverMessage.TargetOpened;
import dev.cutover.cutover.saga.CutoverMessage.Tick;
import dev.cutover.cutover.saga.CutoverMessage.TidyUpOutcome;
import dev.cutover.cutover.saga.CutoverMessage.TrafficResumed;
import dev.cutover.cutover.saga.CutoverMessage.TrafficStopped;
import dev.cutover.cutover.saga.Progress.Canary;
import dev.cutover.cutover.saga.SagaCommand.AwaitCatchUp;
import dev.cutover.cutover.saga.SagaCommand.CheckPreflight;
import dev.cutover.cutover.saga.SagaCommand.FlipDns;
import dev.cutover.cutover.saga.SagaCommand.OpenTarget;
import dev.cutover.cutover.saga.SagaCommand.PrepareFallback;
import dev.cutover.cutover.saga.SagaCommand.RemoveFallback;
import dev.cutover.cutover.saga.SagaCommand.RestoreDnsTtl;
import dev.cutover.cutover.saga.SagaCommand.RestoreSource;
import dev.cutover.cutover.saga.SagaCommand.RevertDns;
import dev.cutover.cutover.saga.SagaCommand.StartReverseReplication;
import dev.cutover.cutover.saga.SagaCommand.StopReplication;
import dev.cutover.cutover.saga.SagaCommand.StopTraffic;
import dev.cutover.cutover.saga.SagaCommand.SyncSequences;
import dev.cutover.cutover.saga.SagaCommand.WriteCanary;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The cutover saga's rules, as two pure functions: {@link #decide} turns a message into events to record and
 * commands to send, {@link #evolve} folds a recorded event into the state. Neither reads a clock or does I/O,
 * so a restarted service gets the same state back by folding the history ({@link #rebuild}).
 *
 * <p>The order ({@link Step#after()}): preflight, flip DNS to the still locked target, then stop traffic with the
 * canary queued behind it, the sequences waiting for the fence, and the wait for the canary on the target begun;
 * once the catch-up is proven and the sequences set, open the target (the point of no return),
 * await traffic on the target, tidy up. DNS moves while the target is still locked, so a flip whose outcome is unknown
 * can always be undone without losing a write, and the sessions the fence ends reconnect to the new answer: until the
 * saga sends {@code OpenTarget} every failure, timeout or abort puts the source back; from then on it only rolls
 * forward.
 */
public final class CutoverDecider {

    private CutoverDecider() {
    }

    public static Cutover rebuild(List<? extends CutoverEvent> history) {
        Cutover state = new NotStarted();
        for (CutoverEvent event : history) {
            state = evolve(state, event);
        }
        return state;
    }


    public static Cutover evolve(Cutover state, CutoverEvent event) {
        return switch (event) {
            case CutoverStarted started -> {
                expect(NotStarted.class, state, event);
                yield new Preflight(Progress.of(started), false);
            }
            case CutoverRejected rejected -> new Rejected(rejected.cutoverId(), rejected.database(),
                    rejected.operator(), rejected.reason(), preflightProgress(state, event));
            case PreflightPassed passed -> new Preflight(expect(Preflight.class, state, event).progress(), true);
            case CutoverPlanned planned ->
                    new Planned(expect(Preflight.class, state, event).progress(), planned.predictedDowntime());
            case StepStarted started -> {
                Progress progress = progressBefore(started.step(), state, event);
                yield new Running(progress.withStep(started.step(), started.startedAt()), started.startedAt(),
                        Optional.empty());
            }
            case StepFinished finished -> {
                Running running = expect(Running.class, state, event);
                if (!running.inFlight().contains(finished.step())) {
                    throw new InvalidTransition(state, event, "step " + finished.step() + " is not in flight");
                }
                yield running.withProgress(running.progress().withEnd(finished.step(), finished.finishedAt()));
            }
            case CanaryRecorded canary -> {
                Running running = expect(Running.class, state, event);
                yield running.withProgress(running.progress().withCanary(new Canary(canary.token(), canary.lsn())));
            }
            case CompensationStarted compensation -> new Compensating(
                    expect(Running.class, state, event).progress(), compensation.failedStep(), compensation.reason(),
                    compensation.startedAt(), Set.of());
            case CompensationRetried retried -> {
                Compensating compensating = expect(Compensating.class, state, event);
                yield new Compensating(compensating.progress(), compensating.failedStep(), compensating.reason(),
                        retried.retriedAt(), compensating.done());
            }
            case CompensationPartDone partDone -> {
                Compensating compensating = expect(Compensating.class, state, event);
                var done = EnumSet.of(partDone.part());
                done.addAll(compensating.done());
                yield new Compensating(compensating.progress(), compensating.failedStep(), compensating.reason(),
                        compensating.attemptStartedAt(), done);
            }
            case CutoverRolledBack rolledBack -> new RolledBack(expect(Compensating.class, state, event).progress(),
                    rolledBack.failedStep(), rolledBack.reason(), rolledBack.downtime());
            case CutoverCompleted completed -> new TidyingUp(expect(Running.class, state, event).progress(),
                    completed.downtime(), Set.of(), completed.completedAt(), Optional.empty(), 0);
            case FallbackPointRecorded point -> {
                if (state instanceof Running running) {
                    yield running.withProgress(running.progress().withFallbackPoint(point.lsn()));
                }
                TidyingUp tidyingUp = expect(TidyingUp.class, state, event);
                yield new TidyingUp(tidyingUp.progress().withFallbackPoint(point.lsn()), tidyingUp.downtime(),
                        tidyingUp.done(), tidyingUp.attemptStartedAt(), tidyingUp.failureNoted(), tidyingUp.retries());
            }
            case TidyUpTaskDone taskDone -> {
                TidyingUp tidyingUp = expect(TidyingUp.class, state, event);
                var done = EnumSet.of(taskDone.task());
                done.addAll(tidyingUp.done());
                yield done.containsAll(tidyingUp.progress().tidyUpTasks())
                        ? new Completed(tidyingUp.progress(), tidyingUp.downtime())
                        : new TidyingUp(tidyingUp.progress(), tidyingUp.downtime(), done,
                                tidyingUp.attemptStartedAt(), tidyingUp.failureNoted(), 0);
            }
            case StepRetried retried -> {
                if (state instanceof Running running) {
                    yield new Running(running.progress(), retried.retriedAt(), Optional.empty(), Optional.empty(),
                            running.retryableFailureAt().isPresent());
                }
                TidyingUp tidyingUp = expect(TidyingUp.class, state, event);
                yield new TidyingUp(tidyingUp.progress(), tidyingUp.downtime(), tidyingUp.done(),
                        retried.retriedAt(), Optional.empty(), tidyingUp.retries() + 1);
            }
            case StepFailureNoted noted -> {
                if (state instanceof Running running) {
                    // One quick retry per full deadline: a step that fails again at once waits for its deadline, so a
                    // participant failing as fast as it is asked cannot make the saga spin.
                    Optional<Instant> quickRetryFrom = noted.retryable() && noted.step().afterPointOfNoReturn()
                            && !running.quickRetried() ? Optional.of(noted.notedAt()) : running.retryableFailureAt();
                    yield new Running(running.progress(), running.attemptStartedAt(), Optional.of(noted.reason()),
                            quickRetryFrom, running.quickRetried());
                }
                TidyingUp tidyingUp = expect(TidyingUp.class, state, event);
                yield new TidyingUp(tidyingUp.progress(), tidyingUp.downtime(), tidyingUp.done(),
                        tidyingUp.attemptStartedAt(), Optional.of(noted.reason()), tidyingUp.retries());
            }
            // A refusal is only for the audit trail: the cutover goes on as it was.
            case AbortRefused refused -> state;
            case CutoverEvent.FallbackStarted fallback -> FallbackDecider.evolve(state, event);
            case CutoverEvent.FallbackStepStarted fallback -> FallbackDecider.evolve(state, event);
            case CutoverEvent.FallbackStepFinished fallback -> FallbackDecider.evolve(state, event);
            case CutoverEvent.FallbackRollingBack fallback -> FallbackDecider.evolve(state, event);
            case CutoverEvent.FallbackRollbackPartDone fallback -> FallbackDecider.evolve(state, event);
            case CutoverEvent.FallbackRolledBack fallback -> FallbackDecider.evolve(state, event);
            case CutoverEvent.FallbackCompleted fallback -> FallbackDecider.evolve(state, event);
            case CutoverEvent.FallbackRejected fallback -> FallbackDecider.evolve(state, event);
        };
    }

    private static Optional<Progress> preflightProgress(Cutover state, CutoverEvent event) {
        if (state instanceof NotStarted) {
            return Optional.empty();
        }
        return Optional.of(expect(Preflight.class, state, event).progress());
    }

    /** A step starts once, after the steps it needs; a history that breaks this was not written by this saga. */
    private static Progress progressBefore(Step step, Cutover state, CutoverEvent event) {
        Progress progress;
        if (state instanceof Preflight preflight && preflight.checksPassed()) {
            progress = preflight.progress();
        } else if (state instanceof Running running) {
            progress = running.progress();
        } else {
            throw new InvalidTransition(state, event, "no step can start here");
        }
        if (!Step.running().contains(step) || progress.reached(step)
                || !step.after().stream().allMatch(progress::finished)) {
            throw new InvalidTransition(state, event, step + " starts once, after " + step.after() + " finished");
        }
        return progress;
    }

    private static <S extends Cutover> S expect(Class<S> type, Cutover state, Object input) {
        if (type.isInstance(state)) {
            return type.cast(state);
        }
        throw new InvalidTransition(state, input, "it only applies to a cutover in state " + type.getSimpleName());
    }


    public static Decision decide(Cutover state, CutoverMessage message, Instant now, CutoverPolicy policy) {
        if (state instanceof FallingBack fallingBack && !(message instanceof StartCutover)) {
            return FallbackDecider.decide(fallingBack, message, now, policy);
        }
        return switch (message) {
            case StartCutover start -> start(state, start, now, policy);
            case AbortCutover abort -> abort(state, abort, now, policy);
            case StepOutcome outcome -> outcome(state, outcome, now, policy);
            case StepFailed failed -> failed(state, failed, now);
            case SourceRestored restored -> compensationPartDone(state, CompensationPart.RESTORE_SOURCE, restored, now);
            case DnsReverted reverted -> compensationPartDone(state, CompensationPart.REVERT_DNS, reverted, now);
            case LagReported lag -> lag(state, lag, now, policy);
            case Tick tick -> tick(state, now, policy);
            case StartFallback start -> FallbackDecider.start(state, start, now, policy);
            case TargetLocked locked -> throw new InvalidTransition(state, message, "no fallback locked the target");
            case ReverseCaughtUp caughtUp -> throw new InvalidTransition(state, message, "no fallback awaits it");
            // The cutover's compensation does not wait for RestoreSource's answer: it sends it again at its deadline.
            case FallbackStepFailed failed -> Decision.none();
        };
    }

    /** When the saga has to act if nothing arrives: the listener schedules a {@link Tick} for then. */
    public static Optional<Instant> deadline(Cutover state, CutoverPolicy policy) {
        return switch (state) {
            case Preflight preflight -> Optional.of(
                    preflight.progress().stepStarts().get(Step.PREFLIGHT).plus(policy.timeout(Step.PREFLIGHT)));
            case Running running -> Stream.concat(stepDeadlines(running, policy).values().stream(),
                    running.retryableFailureAt().map(at -> at.plus(policy.retryPause())).stream())
                    .min(Instant::compareTo);
            case Compensating compensating ->
                    Optional.of(compensating.attemptStartedAt().plus(policy.compensationTimeout()));
            case TidyingUp tidyingUp -> Optional.of(tidyingUp.attemptStartedAt().plus(
                    tidyingUp.retries() + 1 <= policy.tidyUpAttempts() ? policy.timeout(Step.TIDY_UP)
                            : policy.tidyUpSlowRetry()));
            case NotStarted notStarted -> Optional.empty();
            case Completed completed -> Optional.empty();
            case FallingBack fallingBack -> FallbackDecider.deadline(fallingBack, policy);
            case RolledBack rolledBack -> Optional.empty();
            case Planned planned -> Optional.empty();
            case Rejected rejected -> Optional.empty();
        };
    }

    private static Decision start(Cutover state, StartCutover start, Instant now, CutoverPolicy policy) {
        if (!(state instanceof NotStarted)) {
            if (isSameStart(state, start)) {
                return Decision.none();
            }
            throw new InvalidTransition(state, start, "cutover " + start.cutoverId() + " was already started differently");
        }
        if (!policy.allows(start.operator())) {
            return rejectStart(start, "operator " + start.operator() + " is not allowed to start cutovers", now);
        }
        Optional<CutoverId> other = start.activeCutover().filter(active -> !active.equals(start.cutoverId()));
        if (other.isPresent()) {
            return rejectStart(start, "cutover " + other.get() + " is already active for database " + start.database(), now);
        }
        if (start.migrationInFlight().isPresent()) {
            return rejectStart(start, start.migrationInFlight().get() + ": a cutover needs its migration ready (its"
                    + " replication streaming, the data verified); follow it with cutoverctl migrate watch and start"
                    + " the cutover once it says ready. Nothing was changed", now);
        }
        // A dry run changes nothing, so it makes no reverse slot either.
        return Decision.of(new CutoverStarted(start.cutoverId(), start.database(), start.operator(), start.dryRun(),
                start.reason(), start.dns(), now, start.prepareFallback() && !start.dryRun()), new CheckPreflight());
    }

    private static boolean isSameStart(Cutover state, StartCutover start) {
        if (state instanceof Rejected rejected && rejected.progress().isEmpty()) {
            return rejected.cutoverId().equals(start.cutoverId()) && rejected.database().equals(start.database())
                    && rejected.operator().equals(start.operator());
        }
        return progressOf(state).map(Progress::started)
                .filter(started -> started.cutoverId().equals(start.cutoverId())
                        && started.database().equals(start.database())
                        && started.operator().equals(start.operator())
                        && started.dryRun() == start.dryRun())
                .isPresent();
    }

    private static Decision abort(Cutover state, AbortCutover abort, Instant now, CutoverPolicy policy) {
        if (state instanceof NotStarted) {
            throw new InvalidTransition(state, abort, "no such cutover was started");
        }
        if (!policy.allows(abort.operator())) {
            return Decision.of(new AbortRefused(abort.operator(),
                    "operator " + abort.operator() + " is not allowed to abort cutovers", now));
        }
        String reason = "aborted by " + abort.operator() + ": " + abort.reason();
        String pastNoReturn = "the point of no return is passed: the target was opened and clients may have"
                + " written there, so the cutover only rolls forward";
        return switch (state) {
            case Preflight preflight -> rejectStarted(preflight.progress(), reason, now);
            case Running running when running.step().compensable() ->
                    compensate(running.progress(), running.step(), reason, now);
            case Running running -> Decision.of(new AbortRefused(abort.operator(), pastNoReturn, now));
            case TidyingUp tidyingUp -> Decision.of(new AbortRefused(abort.operator(), pastNoReturn, now));
            case Completed completed -> Decision.of(new AbortRefused(abort.operator(), pastNoReturn, now));
            case FallingBack fallingBack -> FallbackDecider.decide(fallingBack, abort, now, policy);
            // The abort that began the rollback, read again, decides nothing twice.
            case Compensating compensating when compensating.reason().equals(reason) -> Decision.none();
            // The source is already being put back: the abort asks for nothing more, and says what is awaited.
            case Compensating compensating -> Decision.of(new AbortRefused(abort.operator(),
                    "the cutover is already rolling back (" + compensating.reason() + "); it ends once "
                            + awaited(compensating.pending()), now));
            case RolledBack rolledBack when rolledBack.reason().equals(reason) -> Decision.none();
            case Rejected rejected when rejected.reason().equals(reason) -> Decision.none();
            case RolledBack rolledBack -> throw new InvalidTransition(state, abort, "the cutover is over");
            case Rejected rejected -> throw new InvalidTransition(state, abort, "the cutover is over");
            case Planned planned -> throw new InvalidTransition(state, abort, "the cutover is over");
            case NotStarted notStarted -> throw new InvalidTransition(state, abort, "no such cutover was started");
        };
    }

    /** What a compensation still waits for, and from whom, as an operator reads it. */
    static String awaited(Set<CompensationPart> pending) {
        return pending.stream().map(part -> switch (part) {
            case REVERT_DNS -> "dns-switcher confirms RevertDns (DnsReverted)";
            case RESTORE_SOURCE -> "cutover-service's fence confirms RestoreSource (SourceRestored)";
        }).collect(Collectors.joining(" and "));
    }

    private static Decision outcome(Cutover state, StepOutcome outcome, Instant now, CutoverPolicy policy) {
        if (outcome instanceof CanaryObserved observed) {
            checkCanary(state, observed);
        }
        if (state instanceof Preflight preflight && !preflight.checksPassed()
                && outcome instanceof PreflightReported report) {
            return preflightReported(preflight.progress(), report, now);
        }
        if (state instanceof Preflight preflight && !preflight.checksPassed() && outcome instanceof FallbackPrepared) {
            return Decision.of(new PreflightPassed("checks passed; reverse replication prepared on the target", now));
        }
        if (outcome instanceof FallbackRemoved && !(state instanceof TidyingUp)) {
            // The answer to a rollback's clean-up: the cutover is over, nothing waits for it.
            return Decision.none();
        }
        if (outcome instanceof TargetOpened opened && !openingInFlight(state)) {
            // A TargetOpened decided after TrafficResumed completed the cutover, or a repeated one.
            return recordFallbackPoint(state, opened).map(point -> Decision.of(point))
                    .orElseGet(() -> duplicateOrInvalid(state, outcome, outcome.step()));
        }
        // The fence's watcher can see the first session before the saga has processed TargetOpened: the target is
        // open and serving, which is all AWAIT_TRAFFIC waits for. (Before OPEN_TARGET the target is still locked, so
        // a session there cannot come from this saga: it falls through to an InvalidTransition, loudly, rather than
        // being dropped or ending a cutover that may still have to go back.)
        if (state instanceof Running running && running.inFlight().contains(Step.OPEN_TARGET)
                && outcome instanceof TrafficResumed resumed) {
            return complete(running.progress(), resumed.at(), now);
        }
        if (state instanceof Running running && running.inFlight().contains(outcome.step())) {
            return advance(running, outcome, now, policy);
        }
        if (state instanceof TidyingUp tidyingUp && outcome instanceof TidyUpOutcome tidied
                && !tidyingUp.done().contains(tidied.task())) {
            // Reverse replication may start only once nothing flows forward any more.
            List<SagaCommand> next = tidied.task() == TidyUpTask.STOP_REPLICATION
                    && tidyingUp.progress().tidyUpTasks().contains(TidyUpTask.PREPARE_FALLBACK)
                    ? tidyUp(tidyingUp.progress(), EnumSet.of(TidyUpTask.PREPARE_FALLBACK)) : List.of();
            return new Decision(List.of(new TidyUpTaskDone(tidied.task(), now)), next);
        }
        return duplicateOrInvalid(state, outcome, outcome.step());
    }

    private static boolean openingInFlight(Cutover state) {
        return state instanceof Running running && running.inFlight().contains(Step.OPEN_TARGET);
    }

    private static Decision preflightReported(Progress progress, PreflightReported report, Instant now) {
        if (!report.blockers().isEmpty()) {
            return rejectStarted(progress, "preflight found blockers: " + String.join("; ", report.blockers()), now);
        }
        if (progress.started().prepareFallback()) {
            // The reverse slot is made only for a cutover that can otherwise go ahead; its answer passes the preflight.
            return new Decision(List.of(), List.of(new PrepareFallback()));
        }
        return Decision.of(new PreflightPassed(report.findings(), now));
    }

    /** A step in flight succeeded: record its end, then start every step that was only waiting for it. */
    private static Decision advance(Running running, StepOutcome outcome, Instant now, CutoverPolicy policy) {
        return switch (outcome) {
            case TrafficResumed resumed -> complete(running.progress(), resumed.at(), now);
            case CanaryWritten written -> finish(running.progress(), outcome,
                    Optional.of(new Canary(written.token(), written.lsn())), now, policy);
            case TrafficStopped stopped -> finish(running.progress(), outcome, Optional.empty(), now, policy);
            case CanaryObserved observed -> finish(running.progress(), outcome, Optional.empty(), now, policy);
            case SequencesSynced synced -> finish(running.progress(), outcome, Optional.empty(), now, policy);
            case DnsFlipped flipped -> finish(running.progress(), outcome, Optional.empty(), now, policy);
            case TargetOpened opened -> {
                Decision finished = finish(running.progress(), outcome, Optional.empty(), now, policy);
                var events = new ArrayList<CutoverEvent>(finished.events());
                recordFallbackPoint(running, opened).ifPresent(events::add);
                yield new Decision(events, finished.commands());
            }
            case FallbackPrepared prepared ->
                    throw new InvalidTransition(running, outcome, "preflight is never a running step");
            case PreflightReported report ->
                    throw new InvalidTransition(running, outcome, "preflight is never a running step");
            case TidyUpOutcome tidied -> throw new InvalidTransition(running, outcome, "tidy-up is never a running step");
        };
    }

    private static Decision finish(Progress progress, StepOutcome outcome, Optional<Canary> canary, Instant now,
            CutoverPolicy policy) {
        var events = new ArrayList<CutoverEvent>(List.of(new StepFinished(outcome.step(), now)));
        Progress next = progress.withEnd(outcome.step(), now);
        if (canary.isPresent()) {
            events.add(new CanaryRecorded(canary.get().token(), canary.get().lsn()));
            next = next.withCanary(canary.get());
        }
        Decision started = startReady(next, now, policy);
        events.addAll(started.events());
        return new Decision(events, started.commands());
    }

    /** Starts every step whose prerequisites have all finished and that has not started yet. */
    private static Decision startReady(Progress progress, Instant now, CutoverPolicy policy) {
        var events = new ArrayList<CutoverEvent>();
        var commands = new ArrayList<SagaCommand>();
        for (Step step : Step.running()) {
            if (!progress.reached(step) && step.after().stream().allMatch(progress::finished)) {
                events.add(new StepStarted(step, now));
                command(step, progress, policy).ifPresent(commands::add);
            }
        }
        return new Decision(events, commands);
    }

    /** What a step asks its participant to do; awaiting traffic asks nothing, the fence reports the first session. */
    private static Optional<SagaCommand> command(Step step, Progress progress, CutoverPolicy policy) {
        DnsPlan dns = progress.started().dns();
        return switch (step) {
            case STOP_TRAFFIC -> Optional.of(new StopTraffic(policy.timeout(Step.STOP_TRAFFIC)));
            case WRITE_CANARY -> Optional.of(new WriteCanary(progress.canaryToken()));
            case SYNC_SEQUENCES -> Optional.of(new SyncSequences());
            // The target is still locked: clients that re-resolve are refused until it opens, so nobody writes yet.
            case FLIP_DNS -> Optional.of(
                    new FlipDns(dns.recordName(), dns.sourceAddress(), dns.targetAddress(), policy.dnsTtl()));
            // Sent beside WriteCanary, before the canary exists: lag-monitor waits for the row on the source, then on the
            // target. Its own deadline counts from this command, so it covers the fence and the canary ahead of it.
            case AWAIT_CATCH_UP -> Optional.of(new AwaitCatchUp(progress.canaryToken(),
                    progress.canary().map(Canary::lsn), policy.timeout(Step.STOP_TRAFFIC)
                            .plus(policy.timeout(Step.WRITE_CANARY)).plus(policy.timeout(Step.AWAIT_CATCH_UP))));
            // The point of no return: once OpenTarget is sent the target may take writes, so nothing compensates.
            case OPEN_TARGET -> Optional.of(new OpenTarget());
            case AWAIT_TRAFFIC -> Optional.empty();
            case PREFLIGHT -> Optional.of(new CheckPreflight());
            case TIDY_UP -> Optional.empty();
        };
    }

    /**
     * When each step in flight times out. Before the point of no return a step's deadline counts from its start, or,
     * for a step queued behind another at its participant, from that one's end (none while that one runs: its own
     * deadline covers both). After it, the one step in flight is retried, and counts from the latest attempt.
     */
    private static Map<Step, Instant> stepDeadlines(Running running, CutoverPolicy policy) {
        Progress progress = running.progress();
        var deadlines = new LinkedHashMap<Step, Instant>();
        for (Step step : running.inFlight()) {
            Optional<Instant> from = step.afterPointOfNoReturn()
                    ? Optional.of(running.attemptStartedAt())
                    : step.queuedBehind().map(ahead -> Optional.ofNullable(progress.stepEnds().get(ahead)))
                            .orElse(Optional.of(progress.stepStarts().get(step)));
            from.ifPresent(at -> deadlines.put(step, at.plus(policy.timeout(step))));
        }
        return deadlines;
    }

    private static Decision complete(Progress progress, Instant resumedAt, Instant now) {
        Duration downtime = Progress.between(progress.switchStartedAt().orElseThrow(), resumedAt);
        return new Decision(
                List.of(new CutoverCompleted(downtime, progress.durations(resumedAt), now)),
                tidyUp(progress, EnumSet.of(TidyUpTask.STOP_REPLICATION, TidyUpTask.RESTORE_DNS_TTL)));
    }

    /**
     * The commands of these tidy-up tasks. Preparing the fallback subscribes the source from the target's position at
     * opening; without that position (the first {@code TargetOpened} was lost, and a repeated one found the target
     * open already, when writes may have come first) no start point is safe, so the reverse slot and publication are
     * dropped instead and the cutover has no fallback.
     */
    private static List<SagaCommand> tidyUp(Progress progress, Set<TidyUpTask> tasks) {
        return tasks.stream()
                .<SagaCommand>map(task -> switch (task) {
                    case STOP_REPLICATION -> new StopReplication();
                    case RESTORE_DNS_TTL -> new RestoreDnsTtl(progress.started().dns().recordName());
                    case PREPARE_FALLBACK -> progress.fallbackPoint().<SagaCommand>map(StartReverseReplication::new)
                            .orElseGet(RemoveFallback::new);
                })
                .toList();
    }

    /** The target's position at opening, from the first {@code TargetOpened} that carries one, if the cutover wants it. */
    private static Optional<CutoverEvent> recordFallbackPoint(Cutover state, TargetOpened opened) {
        return state.progressSoFar()
                .filter(progress -> progress.started().prepareFallback() && progress.fallbackPoint().isEmpty())
                .filter(progress -> state instanceof Running || state instanceof TidyingUp)
                .flatMap(progress -> opened.walPosition())
                .map(FallbackPointRecorded::new);
    }

    /**
     * The observation must be of this cutover's canary. Its position is lag-monitor's to prove: it read the source's
     * WAL position itself once the row was committed there (the saga had not heard the canary's own LSN when it sent
     * the wait), so comparing it with the LSN the fence reported would compare two readings taken a moment apart.
     */
    private static void checkCanary(Cutover state, CanaryObserved observed) {
        Optional<String> awaited = progressOf(state).map(progress -> progress.canary().map(Canary::token)
                .orElse(progress.canaryToken()));
        if (awaited.isPresent() && !awaited.get().equals(observed.token())) {
            throw new InvalidTransition(state, observed, "the awaited canary is " + awaited.get());
        }
    }

    private static Decision failed(Cutover state, StepFailed failed, Instant now) {
        if (state instanceof Preflight preflight && !preflight.checksPassed() && failed.step() == Step.PREFLIGHT) {
            return rejectStarted(preflight.progress(), "preflight could not run: " + failed.reason(), now);
        }
        if (state instanceof Running running && running.inFlight().contains(failed.step())) {
            return failed.step().compensable()
                    ? compensate(running.progress(), failed.step(), failed.reason(), now)
                    : noteFailure(running.failureNoted(), failed, now);
        }
        if (state instanceof TidyingUp tidyingUp && failed.step() == Step.TIDY_UP) {
            return noteFailure(tidyingUp.failureNoted(), failed, now);
        }
        if ((state instanceof RolledBack || state instanceof Rejected) && failed.step() == Step.TIDY_UP) {
            // A rollback's RemoveFallback failed: the cutover is over, and the failure with its remedy is in the log.
            return Decision.none();
        }
        return duplicateOrInvalid(state, failed, failed.step());
    }

    /** Retrying at once could spin as fast as the participant fails; the retry waits for the step's deadline instead. */
    private static Decision noteFailure(Optional<String> alreadyNoted, StepFailed failed, Instant now) {
        if (alreadyNoted.filter(failed.reason()::equals).isPresent()) {
            return Decision.none();
        }
        return Decision.of(new StepFailureNoted(failed.step(), failed.reason(), failed.retryable(), now));
    }

    /**
     * The cutover reads as rolled back only once the source serves and the name points at it: a flip whose answer was
     * lost may have landed, and a source restored behind a name on the locked target helps nobody.
     */
    private static Decision compensationPartDone(Cutover state, CompensationPart part, CutoverMessage answer,
            Instant now) {
        if (state instanceof Compensating compensating) {
            var pending = compensating.pending();
            if (!pending.contains(part)) {
                return Decision.none();
            }
            if (pending.size() > 1) {
                return Decision.of(new CompensationPartDone(part, now));
            }
            Duration downtime = Progress.between(compensating.progress().switchStartedAt().orElseThrow(), now);
            return new Decision(
                    List.of(new CutoverRolledBack(compensating.failedStep(), compensating.reason(), downtime, now)),
                    removeFallback(compensating.progress()));
        }
        if (state instanceof RolledBack) {
            return Decision.none();
        }
        throw new InvalidTransition(state, answer, part == CompensationPart.RESTORE_SOURCE
                ? "the source was never asked to be restored" : "the name was never asked back to the source");
    }

    private static Decision lag(Cutover state, LagReported lag, Instant now, CutoverPolicy policy) {
        // Lag reports are a stream of observations, not answers: only the preflight gate waits for one. The reverse
        // replication's are a fallback's.
        if (lag.reverse() || !(state instanceof Preflight preflight && preflight.checksPassed())) {
            return Decision.none();
        }
        if (Duration.between(lag.observedAt(), now).compareTo(policy.maxLagAge()) > 0) {
            // Says nothing about the lag now (e.g. read from a backlog); a fresh one follows or preflight times out.
            return Decision.none();
        }
        Progress progress = preflight.progress();
        boolean ready = lag.state().streaming() && lag.lagBytes() <= policy.maxLagBytes();
        if (!ready && lag.observedAt().isBefore(progress.stepStarts().get(Step.PREFLIGHT).plus(policy.lagSettle()))) {
            // Right after a migration, lag-monitor may not have seen the streaming yet: a later report decides.
            return Decision.none();
        }
        if (!lag.state().streaming()) {
            return rejectStarted(progress, "replication is " + lag.state() + ", not streaming: "
                    + lag.state().meaning(), now);
        }
        if (lag.lagBytes() > policy.maxLagBytes()) {
            return rejectStarted(progress, "replication lag of " + lag.lagBytes()
                    + " bytes is over the threshold of " + policy.maxLagBytes() + " bytes", now);
        }
        if (progress.started().dryRun()) {
            return Decision.of(new CutoverPlanned(List.of(Step.values()), predictDowntime(lag, policy), now));
        }
        return startReady(progress, now, policy);
    }

    /**
     * The fixed cost of the steps, plus catching up (the heartbeat's latency is a canary measured all the time), plus
     * the TTL, for which clients may keep resolving the source.
     */
    static Duration predictDowntime(LagReported lag, CutoverPolicy policy) {
        return policy.stepOverhead().plus(lag.heartbeatLag()).plus(policy.dnsTtl());
    }

    private static Decision tick(Cutover state, Instant now, CutoverPolicy policy) {
        Optional<Instant> deadline = deadline(state, policy);
        if (deadline.isEmpty() || !now.isAfter(deadline.get())) {
            return Decision.none();
        }
        return switch (state) {
            case Preflight preflight -> rejectStarted(preflight.progress(), preflight.checksPassed()
                    ? "no lag report at most " + human(policy.maxLagAge()) + " old arrived within the preflight timeout of "
                            + human(policy.timeout(Step.PREFLIGHT)) + ": check that lag-monitor is running and observes "
                            + preflight.progress().started().database().value() + " (cutover.lag.databases."
                            + preflight.progress().started().database().value() + ".engine)"
                    : "preflight did not report within " + human(policy.timeout(Step.PREFLIGHT)), now);
            case Running running when running.step().compensable() -> {
                Step late = firstLate(running, now, policy);
                yield compensate(running.progress(), late,
                        late + " did not finish within " + human(policy.timeout(late)), now);
            }
            // Past the point of no return the only way is forward: open the target again (a no-op if it is open), in
            // case the first OpenTarget was lost or something locked the target since.
            // A retryable failure (e.g. the target restarted just after opening) is tried again after a short pause,
            // not at the full deadline, so that the downtime the saga records is not a deadline's length.
            case Running running -> new Decision(
                    List.of(new StepRetried(running.step(), running.retryableFailureAt().isPresent()
                            ? "sent again " + human(policy.retryPause()) + " after a retryable failure: "
                                    + running.failureNoted().orElse("not given")
                            : (running.step() == Step.OPEN_TARGET
                                    ? "the target was not confirmed open within "
                                    : "no application session reached the target within ")
                                    + human(policy.timeout(running.step())), now)),
                    List.of(new OpenTarget()));
            case Compensating compensating -> new Decision(
                    List.of(new CompensationRetried(compensating.pending(), now)),
                    compensation(compensating.progress(), compensating.pending(), compensating.reason()));
            case TidyingUp tidyingUp -> retryTidyUp(tidyingUp, now, policy);
            case NotStarted notStarted -> Decision.none();
            case Completed completed -> Decision.none();
            case FallingBack fallingBack -> FallbackDecider.decide(fallingBack, new Tick(), now, policy);
            case RolledBack rolledBack -> Decision.none();
            case Planned planned -> Decision.none();
            case Rejected rejected -> Decision.none();
        };
    }

    /**
     * Sends the tasks not confirmed again. When the last of the policy's attempts goes unanswered, the participant is
     * most likely down: the saga says so once, with what to do, and from then on sends the tasks only every
     * {@code tidyUpSlowRetry}. It keeps sending, because a participant that was up and lost a command would otherwise
     * never be asked again; one that is down finds the commands waiting on {@code cutover.commands} when it starts.
     */
    private static Decision retryTidyUp(TidyingUp tidyingUp, Instant now, CutoverPolicy policy) {
        var pending = EnumSet.copyOf(tidyingUp.progress().tidyUpTasks());
        pending.removeAll(tidyingUp.done());
        var sent = EnumSet.copyOf(pending);
        if (!tidyingUp.done().contains(TidyUpTask.STOP_REPLICATION)) {
            sent.remove(TidyUpTask.PREPARE_FALLBACK);
        }
        int attempts = tidyingUp.retries() + 1;
        Duration waited = attempts <= policy.tidyUpAttempts() ? policy.timeout(Step.TIDY_UP) : policy.tidyUpSlowRetry();
        var events = new ArrayList<CutoverEvent>();
        events.add(new StepRetried(Step.TIDY_UP, pending + " not confirmed within " + human(waited), now));
        if (attempts == policy.tidyUpAttempts()) {
            events.add(new StepFailureNoted(Step.TIDY_UP, unanswered(sent, attempts, policy), true, now));
        }
        return new Decision(events, tidyUp(tidyingUp.progress(), sent));
    }

    /**
     * What a {@code StepFailureNoted(TIDY_UP)} says when it names a task nobody answered, the one note of the tidy-up
     * that asks the operator to act (a participant's failure it notes is retried on its own).
     */
    public static final String UNANSWERED_TIDY_UP = " not confirmed after ";

    /** Names each task, the service that does not answer it, and what the operator does about it. */
    private static String unanswered(Set<TidyUpTask> sent, int attempts, CutoverPolicy policy) {
        var participants = new TreeSet<String>();
        var tasks = new ArrayList<String>();
        for (TidyUpTask task : sent) {
            participants.add(task.participant());
            tasks.add(task + " (" + task.participant() + ")");
        }
        String services = String.join(" and ", participants);
        return String.join(", ", tasks) + UNANSWERED_TIDY_UP + attempts + " attempts "
                + human(policy.timeout(Step.TIDY_UP)) + " apart: no answer from " + services + ". Start " + services
                + " (or check that it consumes cutover.commands); the tidy-up resumes on its own once it answers."
                + " The cutover is complete and clients use the target; until then the saga sends the tidy-up again"
                + " every " + human(policy.tidyUpSlowRetry()) + ".";
    }

    private static Step firstLate(Running running, Instant now, CutoverPolicy policy) {
        return stepDeadlines(running, policy).entrySet().stream()
                .filter(deadline -> now.isAfter(deadline.getValue()))
                .map(Map.Entry::getKey)
                .findFirst()
                .orElseThrow();
    }

    private static Decision compensate(Progress progress, Step failedStep, String reason, Instant now) {
        return new Decision(List.of(new CompensationStarted(failedStep, reason, now)),
                compensation(progress, EnumSet.allOf(CompensationPart.class), reason));
    }

    /**
     * Only compensable steps get here, and they all run before the target is opened, so the target never needs
     * locking again: the source is the only side that ever took the application's writes. DNS goes back before the
     * source opens, so that clients re-resolving meet the source only once it serves; {@code RevertDns} is a
     * compare-and-swap that succeeds when the record already points at the source, because a flip that timed out
     * may or may not have landed. Without {@code FlipDns} ever sent the name never left the source. Only the
     * {@code parts} not yet confirmed are sent (again).
     */
    private static List<SagaCommand> compensation(Progress progress, Set<CompensationPart> parts, String reason) {
        DnsPlan dns = progress.started().dns();
        var commands = new ArrayList<SagaCommand>();
        if (progress.reached(Step.FLIP_DNS) && parts.contains(CompensationPart.REVERT_DNS)) {
            commands.add(new RevertDns(dns.recordName(), dns.sourceAddress()));
        }
        if (parts.contains(CompensationPart.RESTORE_SOURCE)) {
            commands.add(new RestoreSource(reason));
        }
        return commands;
    }

    private static Decision rejectStart(StartCutover start, String reason, Instant now) {
        return Decision.of(new CutoverRejected(start.cutoverId(), start.database(), start.operator(), reason, now));
    }

    private static Decision rejectStarted(Progress progress, String reason, Instant now) {
        CutoverStarted started = progress.started();
        return new Decision(
                List.of(new CutoverRejected(started.cutoverId(), started.database(), started.operator(), reason, now)),
                removeFallback(progress));
    }

    /**
     * A cutover that ends before the target opened drops the reverse slot its preflight may have made: the slot keeps
     * the target's WAL for as long as it exists. Sent whether or not the slot was made yet (removing nothing is
     * harmless); the replicator keeps a reverse replication that a source already follows (an earlier cutover's).
     */
    private static List<SagaCommand> removeFallback(Progress progress) {
        return progress.started().prepareFallback() ? List.of(new RemoveFallback()) : List.of();
    }

    /**
     * An answer for a step the saga already moved past is a redelivery, or a late answer for a step that was
     * interrupted and has been compensated: doing nothing is right for both. An answer for a step never begun
     * means something is wrong.
     */
    private static Decision duplicateOrInvalid(Cutover state, CutoverMessage message, Step step) {
        if (handled(state, step)) {
            return Decision.none();
        }
        throw new InvalidTransition(state, message, "step " + step + " is not awaiting an answer");
    }

    private static boolean handled(Cutover state, Step step) {
        return switch (state) {
            case NotStarted notStarted -> false;
            case Preflight preflight -> step == Step.PREFLIGHT && preflight.checksPassed();
            case Running running -> running.progress().reached(step) && !running.inFlight().contains(step);
            case Compensating compensating -> compensating.progress().reached(step);
            case TidyingUp tidyingUp -> true;
            case Completed completed -> true;
            case FallingBack fallingBack -> true;
            case RolledBack rolledBack -> rolledBack.progress().reached(step);
            case Planned planned -> step == Step.PREFLIGHT;
            case Rejected rejected -> rejected.progress().map(progress -> progress.reached(step)).orElse(false);
        };
    }

    private static Optional<Progress> progressOf(Cutover state) {
        return state.progressSoFar();
    }
}
