package dev.cutover.cutover.migration;

import static dev.cutover.cutover.saga.Text.human;

import dev.cutover.cutover.migration.Migration.AwaitingRetry;
import dev.cutover.cutover.migration.Migration.NotStarted;
import dev.cutover.cutover.migration.Migration.Planned;
import dev.cutover.cutover.migration.Migration.Ready;
import dev.cutover.cutover.migration.Migration.Rejected;
import dev.cutover.cutover.migration.Migration.Running;
import dev.cutover.cutover.migration.Migration.Stopped;
import dev.cutover.cutover.migration.MigrationCommand.ApplySchema;
import dev.cutover.cutover.migration.MigrationCommand.CleanUp;
import dev.cutover.cutover.migration.MigrationCommand.CheckPreflight;
import dev.cutover.cutover.migration.MigrationCommand.CopyData;
import dev.cutover.cutover.migration.MigrationCommand.LowerDnsTtl;
import dev.cutover.cutover.migration.MigrationCommand.StartStreaming;
import dev.cutover.cutover.migration.MigrationCommand.VerifyData;
import dev.cutover.cutover.migration.MigrationCommand.VerifySchema;
import dev.cutover.cutover.migration.MigrationEvent.MigrationDataMismatched;
import dev.cutover.cutover.migration.MigrationEvent.MigrationPlanReported;
import dev.cutover.cutover.migration.MigrationEvent.MigrationReady;
import dev.cutover.cutover.migration.MigrationEvent.MigrationRejected;
import dev.cutover.cutover.migration.MigrationEvent.MigrationStarted;
import dev.cutover.cutover.migration.MigrationEvent.MigrationStepRetrying;
import dev.cutover.cutover.migration.MigrationEvent.MigrationStepStarted;
import dev.cutover.cutover.migration.MigrationEvent.MigrationStopped;
import dev.cutover.cutover.migration.MigrationMessage.AbortMigration;
import dev.cutover.cutover.migration.MigrationMessage.DataVerified;
import dev.cutover.cutover.migration.MigrationMessage.DnsTtlChanged;
import dev.cutover.cutover.migration.MigrationMessage.FullLoadCompleted;
import dev.cutover.cutover.migration.MigrationMessage.FullLoadResumed;
import dev.cutover.cutover.migration.MigrationMessage.PostDataOfTablesApplied;
import dev.cutover.cutover.migration.MigrationMessage.PreflightReported;
import dev.cutover.cutover.migration.MigrationMessage.ReplicationStreaming;
import dev.cutover.cutover.migration.MigrationMessage.SchemaApplied;
import dev.cutover.cutover.migration.MigrationMessage.SchemaVerified;
import dev.cutover.cutover.migration.MigrationMessage.StartMigration;
import dev.cutover.cutover.migration.MigrationMessage.StepFailed;
import dev.cutover.cutover.migration.MigrationMessage.StepOutcome;
import dev.cutover.cutover.migration.MigrationMessage.TableCopied;
import dev.cutover.cutover.migration.MigrationMessage.Tick;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The migration saga's rules, as two pure functions: {@link #decide} turns a message into events to record and
 * commands to send, {@link #evolve} folds a recorded event into the state. Neither reads a clock or does I/O, so a
 * restarted service gets the same state back by folding the history ({@link #rebuild}).
 *
 * <p>The order: preflight, pre-data, full load, post-data, streaming, verify schema, verify data (retried a few times,
 * as replication may still be catching up), lower the DNS TTL when the database has a DNS plan, then ready. Nothing on
 * the source changes except the replicator's slot and publication, so nothing is compensated: a blocker, a failure or
 * a timeout stops the migration and says what the operator should clean up.
 *
 * <p>A dry run ({@link MigrationPlan#dryRun()}) runs the preflight only and ends with {@link MigrationPlanReported}:
 * the schemas and tables the load would move, with their sizes, and the load's time at the configured pace. It changes
 * nothing, so it never holds its database and an abort has nothing to clean up.
 *
 * <p>Post-data overlaps the full load: each {@code TableCopied} sends schema-service the post-data of that table
 * (its indexes and keys, and the foreign keys between it and the tables copied before), so index builds run while the
 * other tables are still being copied. The post-data step then sends the whole section, which builds whatever is left
 * and skips what is there. Its answer comes after the answers to every table's command, because schema-service takes one
 * migration's commands in order, so streaming starts only once all of them are done.
 */
public final class MigrationDecider {

    private MigrationDecider() {
    }

    public static Migration rebuild(List<? extends MigrationEvent> history) {
        Migration state = new NotStarted();
        for (MigrationEvent event : history) {
            state = evolve(state, event);
        }
        return state;
    }

    public static Migration evolve(Migration state, MigrationEvent event) {
        return switch (event) {
            case MigrationStarted started -> {
                expect(NotStarted.class, state, event);
                yield new Running(MigrationProgress.of(started), MigrationStep.PREFLIGHT, 1, started.startedAt());
            }
            // Refusing a start under an id already in use changes nothing: the refusal is kept for the audit trail.
            case MigrationRejected rejected -> state instanceof NotStarted
                    ? new Rejected(rejected.migrationId(), rejected.database(), rejected.operator(), rejected.reason())
                    : state;
            case MigrationStepStarted started -> stepStarted(state, started);
            case MigrationPlanReported reported -> planReported(state, reported);
            case MigrationDataMismatched mismatched -> {
                Running running = expect(Running.class, state, event);
                if (running.step() != MigrationStep.VERIFY_DATA || running.attempt() != mismatched.attempt()) {
                    throw new InvalidMigrationTransition(state, event, "only the current data verification can mismatch");
                }
                yield new AwaitingRetry(running.progress(), running.step(), mismatched.attempt(),
                        mismatched.mismatches(), mismatched.retryAt());
            }
            case MigrationStepRetrying retrying -> {
                Running running = expect(Running.class, state, event);
                if (running.step() != retrying.step() || running.attempt() != retrying.attempt()) {
                    throw new InvalidMigrationTransition(state, event, "only the current attempt can be retried");
                }
                yield new AwaitingRetry(running.progress(), running.step(), retrying.attempt(), List.of(),
                        retrying.retryAt());
            }
            case MigrationStopped stopped -> new Stopped(stoppable(state, event),
                    stopped.failedStep(), stopped.reason(), stopped.findings(), stopped.operatorAction(),
                    state instanceof Ready);
            case MigrationReady ready -> new Ready(expect(Running.class, state, event).progress(), ready.readyAt());
        };
    }

    /** Steps run strictly in the plan's order; data verification and the full load may be attempted again. */
    private static Migration stepStarted(Migration state, MigrationStepStarted started) {
        if (state instanceof AwaitingRetry waiting) {
            if (started.step() != waiting.step() || started.attempt() != waiting.attempt() + 1) {
                throw new InvalidMigrationTransition(state, started, "the next attempt is " + (waiting.attempt() + 1)
                        + " of " + waiting.step());
            }
            return new Running(waiting.progress(), started.step(), started.attempt(), started.startedAt());
        }
        Running running = expect(Running.class, state, started);
        Optional<MigrationStep> next = running.progress().plan().stepAfter(running.step());
        if (next.filter(started.step()::equals).isEmpty() || started.attempt() != 1) {
            throw new InvalidMigrationTransition(state, started, "the step after " + running.step() + " is "
                    + next.map(MigrationStep::name).orElse("none") + ", first attempt");
        }
        return new Running(running.progress().withStep(started.step(), started.startedAt(), started.tablesToSync()),
                started.step(), 1, started.startedAt());
    }

    /** A dry run's answer ends it, unless preflight found blockers: then the stop follows in the same decision. */
    private static Migration planReported(Migration state, MigrationPlanReported reported) {
        Running running = expect(Running.class, state, reported);
        if (!running.progress().plan().dryRun() || running.step() != MigrationStep.PREFLIGHT) {
            throw new InvalidMigrationTransition(state, reported, "only a dry run's preflight reports a plan");
        }
        MigrationProgress progress = running.progress().withPlanReport(reported);
        return reported.blockers() == 0
                ? new Planned(progress, reported.reportedAt())
                : new Running(progress, running.step(), running.attempt(), running.attemptStartedAt());
    }

    /** A step's failure stops a running migration; an operator's abort also one waiting to retry, or a ready one. */
    private static MigrationProgress stoppable(Migration state, MigrationEvent event) {
        return switch (state) {
            case Running running -> running.progress();
            case AwaitingRetry waiting -> waiting.progress();
            case Ready ready -> ready.progress();
            default -> throw new InvalidMigrationTransition(state, event,
                    "only a running, retrying or ready migration can stop");
        };
    }

    private static <S extends Migration> S expect(Class<S> type, Migration state, Object input) {
        if (type.isInstance(state)) {
            return type.cast(state);
        }
        throw new InvalidMigrationTransition(state, input,
                "it only applies to a migration in state " + type.getSimpleName());
    }

    public static MigrationDecision decide(Migration state, MigrationMessage message, Instant now,
            MigrationPolicy policy) {
        return switch (message) {
            case StartMigration start -> start(state, start, now, policy);
            case AbortMigration abort -> abort(state, abort, now, policy);
            case StepOutcome outcome -> outcome(state, outcome, now, policy);
            case TableCopied copied -> tableCopied(state, copied);
            case PostDataOfTablesApplied applied -> ignoredOnceTheLoadBegan(state, applied);
            case StepFailed failed -> failed(state, failed, now, policy);
            case Tick tick -> tick(state, now, policy);
        };
    }

    /** When the saga has to act if nothing arrives: the runner sends a {@link Tick} once it has passed. */
    public static Optional<Instant> deadline(Migration state, MigrationPolicy policy) {
        return switch (state) {
            case Running running -> Optional.of(running.attemptStartedAt()
                    .plus(running.progress().timeout(running.step(), policy)));
            case AwaitingRetry waiting -> Optional.of(waiting.retryAt());
            case NotStarted notStarted -> Optional.empty();
            case Ready ready -> Optional.empty();
            case Planned planned -> Optional.empty();
            case Stopped stopped -> Optional.empty();
            case Rejected rejected -> Optional.empty();
        };
    }

    // ---- starting ----

    private static MigrationDecision start(Migration state, StartMigration start, Instant now, MigrationPolicy policy) {
        if (state instanceof NotStarted) {
            if (!policy.allows(start.operator())) {
                return reject(start, "operator " + start.operator() + " is not allowed to start migrations", now);
            }
            if (start.adoptedReplication().isPresent()) {
                return reject(start, "the replication of " + start.database() + " is adopted ("
                        + start.adoptedReplication().get() + "): it fills the target already, and a migration would"
                        + " load it again over the rows it holds. Nothing was changed. Start the cutover (cutoverctl"
                        + " start --database " + start.database() + "): its preflight proves that replication;"
                        + " migrations are for databases whose replication cutover creates", now);
            }
            // A dry run changes nothing, so it may look at a database another migration is preparing.
            Optional<MigrationId> other = start.activeMigration().filter(active -> !active.equals(start.migrationId()));
            if (other.isPresent() && !start.dryRun()) {
                return reject(start, "migration " + other.get() + " is already active for database " + start.database()
                        + ": wait for its MigrationReady or MigrationStopped before starting another", now);
            }
            MigrationPlan plan = new MigrationPlan(start.parallelism(), start.dryRun() ? Optional.empty() : start.dns(),
                    start.dryRun(), start.verification());
            return MigrationDecision.of(
                    new MigrationStarted(start.migrationId(), start.database(), start.operator(), plan, now),
                    commandFor(MigrationStep.PREFLIGHT, plan, List.of()));
        }
        return startAgain(state, start, now);
    }

    /**
     * A start under an id already used. The same start while the migration runs, is ready or was refused is a
     * repeat (an impatient operator, a redelivery) and does nothing. Anything else is refused: a migration id names
     * one attempt, and a stopped attempt is not resumed, because pre-data, the copy and post-data cannot be run again
     * on a half-filled target.
     */
    private static MigrationDecision startAgain(Migration state, StartMigration start, Instant now) {
        DatabaseOf database = databaseOf(state);
        if (!database.name().equals(start.database().value())) {
            // The id is the Kafka key of one database's migration; reusing it for another is a mistake upstream.
            throw new InvalidMigrationTransition(state, start, "migration " + start.migrationId()
                    + " is about database " + database.name());
        }
        boolean sameOperator = database.operator().equals(start.operator().value());
        Optional<MigrationPlan> plan = progressOf(state).map(MigrationProgress::plan);
        if (plan.isPresent() && plan.get().dryRun() != start.dryRun() && !(state instanceof Stopped)) {
            return reject(start, "migration id " + start.migrationId() + " is already used by "
                    + (plan.get().dryRun() ? "a dry run" : "a migration that is not a dry run")
                    + "; send StartMigration with a new migration id", now);
        }
        return switch (state) {
            case Stopped stopped -> reject(start, "migration " + start.migrationId() + " stopped at "
                    + stopped.failedStep() + " and is not resumed: " + stopped.operatorAction(), now);
            case Running running when sameOperator -> MigrationDecision.none();
            case AwaitingRetry waiting when sameOperator -> MigrationDecision.none();
            case Ready ready when sameOperator -> MigrationDecision.none();
            case Planned planned when sameOperator -> MigrationDecision.none();
            case Rejected rejected when sameOperator -> MigrationDecision.none();
            case Rejected rejected -> reject(start, "migration id " + start.migrationId()
                    + " was already refused; send StartMigration with a new migration id", now);
            default -> reject(start, "migration id " + start.migrationId() + " is already used by "
                    + database.operator() + "'s migration of " + database.name()
                    + "; send StartMigration with a new migration id", now);
        };
    }

    private record DatabaseOf(String name, String operator) {
    }

    private static DatabaseOf databaseOf(Migration state) {
        if (state instanceof Rejected rejected) {
            return new DatabaseOf(rejected.database().value(), rejected.operator().value());
        }
        MigrationStarted started = progressOf(state).orElseThrow().started();
        return new DatabaseOf(started.database().value(), started.operator().value());
    }

    private static MigrationDecision reject(StartMigration start, String reason, Instant now) {
        return MigrationDecision.of(
                new MigrationRejected(start.migrationId(), start.database(), start.operator(), reason, now));
    }

    // ---- the operator's abort ----

    /**
     * An abort stops a migration wherever it is and has the replicator remove what it created. A stopped migration
     * is cleaned up again on every abort (its objects may have outlived the stop), which does no harm: what is gone is
     * reported as not present. A ready migration's target may already serve the application after a cutover, so its
     * tables are never dropped.
     */
    private static MigrationDecision abort(Migration state, AbortMigration abort, Instant now, MigrationPolicy policy) {
        if (state instanceof NotStarted) {
            throw new InvalidMigrationTransition(state, abort, "there is no migration of that id to abort");
        }
        if (!policy.allows(abort.operator())) {
            return refuseAbort(state, abort, "operator " + abort.operator() + " is not allowed to abort migrations",
                    now);
        }
        if (progressOf(state).filter(progress -> progress.plan().dryRun()).isPresent()) {
            return abortDryRun(state, abort, now);
        }
        return switch (state) {
            case Running running -> aborted(running.progress(), running.step(), abort, now, false);
            case AwaitingRetry waiting -> aborted(waiting.progress(), waiting.step(), abort, now, false);
            case Ready ready when abort.dropTargetTables() -> refuseAbort(state, abort, "migration is ready, so its"
                    + " target may already serve the application after a cutover: its tables are not dropped; abort"
                    + " without dropTargetTables to remove only the replication, and drop the tables by hand", now);
            case Ready ready -> aborted(ready.progress(), ready.progress().plan().steps().getLast(), abort, now, true);
            // Aborted once ready and then again with dropTargetTables: the target may serve the application all the same.
            case Stopped stopped when stopped.wasReady() && abort.dropTargetTables() -> refuseAbort(state, abort,
                    "migration was ready before it was stopped, so its target may already serve the application after"
                            + " a cutover: its tables are not dropped; drop them by hand if nothing uses them", now);
            case Stopped stopped -> MigrationDecision.send(new CleanUp(abort.dropTargetTables()));
            case Rejected rejected -> refuseAbort(state, abort, "its start was refused and it touched nothing", now);
            case Planned planned -> throw new IllegalStateException("only a dry run is planned: handled above");
            case NotStarted notStarted -> throw new IllegalStateException("handled above");
        };
    }

    /**
     * A dry run created nothing, so it is never cleaned up: a {@code CleanUpMigration} would remove the slot and the
     * publication of the database, which a real migration of it may be using.
     */
    private static MigrationDecision abortDryRun(Migration state, AbortMigration abort, Instant now) {
        if (state instanceof Running running) {
            String reason = "aborted by " + abort.operator() + abort.reason().map(why -> ": " + why).orElse("");
            return MigrationDecision.of(new MigrationStopped(running.step(), reason, List.of(),
                    "Nothing was changed on the source or the target: this was a dry run.", now));
        }
        return refuseAbort(state, abort, "it is a dry run, which changed nothing: there is nothing to clean up", now);
    }

    /** @param ready the migration was ready: its target may serve the application after a cutover */
    private static MigrationDecision aborted(MigrationProgress progress, MigrationStep step, AbortMigration abort,
            Instant now, boolean ready) {
        String reason = "aborted by " + abort.operator() + abort.reason().map(why -> ": " + why).orElse("");
        String tables = abort.dropTargetTables()
                ? "it also drops the target's tables of the migration's schemas; "
                : ready ? "the target's tables are kept, as it may serve the application after a cutover: drop them by"
                        + " hand before a new migration only if nothing uses them; "
                : "the target's tables are kept: drop them (or abort again with dropTargetTables) before a new"
                        + " migration; ";
        String action = "The replicator removes the subscription on the target, the replication slot and cutover's"
                + " publication on the source for " + progress.started().database() + " (MigrationCleanedUp lists"
                + " each object and what was done); " + tables + "then send StartMigration with a new migration id.";
        return MigrationDecision.of(new MigrationStopped(step, reason, List.of(), action, now),
                new CleanUp(abort.dropTargetTables()));
    }

    /** Recorded for the audit trail only, as a refused start of a migration already under way is. */
    private static MigrationDecision refuseAbort(Migration state, AbortMigration abort, String why, Instant now) {
        String reason = "abort refused: " + why;
        if (state instanceof Rejected rejected) {
            return MigrationDecision.of(new MigrationRejected(rejected.migrationId(), rejected.database(),
                    abort.operator(), reason, now));
        }
        MigrationStarted started = progressOf(state).orElseThrow().started();
        return MigrationDecision.of(new MigrationRejected(started.migrationId(), started.database(), abort.operator(),
                reason, now));
    }

    // ---- the steps ----

    private static MigrationDecision outcome(Migration state, StepOutcome outcome, Instant now, MigrationPolicy policy) {
        if (state instanceof Running running && running.step() == outcome.step()) {
            return advance(running, outcome, now, policy);
        }
        return duplicateOrInvalid(state, outcome, List.of(outcome.step()));
    }

    /** The current step answered: go on, or stop when the answer itself says the target is not fit. */
    private static MigrationDecision advance(Running running, StepOutcome outcome, Instant now, MigrationPolicy policy) {
        MigrationProgress progress = running.progress();
        return switch (outcome) {
            case PreflightReported report when progress.plan().dryRun() ->
                    planReported(progress, running.step(), report, now, policy);
            case PreflightReported report when !report.blockers().isEmpty() -> stop(progress, running.step(),
                    blocked(report), report.findings(), now);
            case SchemaVerified verified when !verified.differences().isEmpty() -> stop(progress, running.step(),
                    "the target's schema differs from the source's in " + verified.differences().size() + " place(s): "
                            + String.join("; ", verified.differences()), List.of(), now);
            case DataVerified verified when !verified.mismatches().isEmpty() ->
                    dataMismatched(running, verified, now, policy);
            // The unfinished tables are copied once streaming starts: recorded now, as the load's answer is not.
            case FullLoadResumed resumed -> next(progress, running.step(), resumed.withheldTables(), now);
            default -> next(progress, running.step(), List.of(), now);
        };
    }

    private static String blocked(PreflightReported report) {
        return "preflight found " + report.blockers().size() + " blocker(s): " + report.blockers().stream()
                .map(Finding::describe).collect(Collectors.joining("; "));
    }

    /**
     * A dry run's answer: what the load would move, and its time at the configured pace. With blockers the dry run
     * stops as a real migration would, so that a script tells the two apart by the same events.
     */
    private static MigrationDecision planReported(MigrationProgress progress, MigrationStep step,
            PreflightReported report, Instant now, MigrationPolicy policy) {
        SourceLoad load = report.load();
        FullLoadRate rate = policy.fullLoadRate();
        MigrationPlanReported reported = new MigrationPlanReported(report.findings().size(), report.blockers().size(),
                load, rate, rate.timeFor(load.totalBytes()), now);
        if (report.blockers().isEmpty()) {
            return MigrationDecision.of(reported);
        }
        return new MigrationDecision(List.of(reported, new MigrationStopped(step, blocked(report), report.findings(),
                operatorAction(progress, step), now)), List.of());
    }

    private static MigrationDecision dataMismatched(Running running, DataVerified verified, Instant now,
            MigrationPolicy policy) {
        String differences = verified.mismatches().size() + " table(s) differ: " + verified.mismatches().stream()
                .map(DataMismatch::describe).collect(Collectors.joining("; "));
        if (running.attempt() < policy.dataVerifyAttempts()) {
            return MigrationDecision.of(new MigrationDataMismatched(running.attempt(), verified.mismatches(),
                    now.plus(policy.dataVerifyRetryDelay()), now));
        }
        return stop(running.progress(), running.step(), differences + ", still after " + running.attempt()
                + " verification(s) " + human(policy.dataVerifyRetryDelay()) + " apart", List.of(), now);
    }

    /** The step after {@code done} in the plan, or ready when it was the last. */
    private static MigrationDecision next(MigrationProgress progress, MigrationStep done, List<String> tablesToSync,
            Instant now) {
        Optional<MigrationStep> next = progress.plan().stepAfter(done);
        if (next.isEmpty()) {
            return MigrationDecision.of(new MigrationReady(now));
        }
        return MigrationDecision.of(new MigrationStepStarted(next.get(), 1, now, tablesToSync),
                commandFor(next.get(), progress.plan(), tablesToSync.isEmpty() ? progress.tablesToSync() : tablesToSync));
    }

    /**
     * @param withheld the tables a resumed load left to table synchronisation: the foreign keys that reference them are
     *                 added NOT VALID by post-data, while the tables are still empty, and finished by the schema check
     */
    private static MigrationCommand commandFor(MigrationStep step, MigrationPlan plan, List<String> withheld) {
        return switch (step) {
            case PREFLIGHT -> new CheckPreflight();
            case PRE_DATA -> new ApplySchema(SchemaSection.PRE_DATA, plan.parallelism());
            case FULL_LOAD -> new CopyData(plan.parallelism());
            case POST_DATA -> new ApplySchema(SchemaSection.POST_DATA, plan.parallelism(), List.of(), withheld);
            case STREAMING -> new StartStreaming(plan.verification());
            case VERIFY_SCHEMA -> new VerifySchema(withheld);
            case VERIFY_DATA -> new VerifyData(plan.verification());
            case LOWER_DNS_TTL -> {
                DnsTtl dns = plan.dns().orElseThrow(
                        () -> new IllegalStateException("LOWER_DNS_TTL is only in a plan with a DNS record"));
                yield new LowerDnsTtl(dns.recordName(), dns.ttl());
            }
        };
    }

    // ---- post-data of each copied table, during the load ----

    private static MigrationDecision tableCopied(Migration state, TableCopied copied) {
        if (state instanceof Running running && running.step() == MigrationStep.FULL_LOAD) {
            return MigrationDecision.send(new ApplySchema(SchemaSection.POST_DATA, running.progress().plan().parallelism(),
                    List.of(copied.table())));
        }
        return ignoredOnceTheLoadBegan(state, copied);
    }

    /**
     * Progress reports of the load ask nothing of the saga, and one that arrives once the load is over (a redelivery,
     * or a report overtaken by a stop) does nothing either; before any load began it means something is wrong.
     */
    private static MigrationDecision ignoredOnceTheLoadBegan(Migration state, MigrationMessage message) {
        if (progressOf(state).filter(progress -> progress.reached(MigrationStep.FULL_LOAD)).isPresent()) {
            return MigrationDecision.none();
        }
        throw new InvalidMigrationTransition(state, message, "no full load has begun");
    }

    // ---- failures and time ----

    private static MigrationDecision failed(Migration state, StepFailed failed, Instant now, MigrationPolicy policy) {
        if (state instanceof Running running && running.step() == MigrationStep.FULL_LOAD
                && failed.command() == ApplySchema.class) {
            // Stopped now, not after hours more of copying: what broke one table's build would break the whole section.
            return stop(running.progress(), running.step(), running.step() + " failed: post-data of a copied table"
                    + " failed: " + failed.reason()
                    + (failed.retryable() ? " (the participant says trying again may work)" : ""), List.of(), now);
        }
        if (state instanceof Running running && running.step() == MigrationStep.FULL_LOAD
                && failed.command() == CopyData.class && failed.retryable()
                && running.attempt() < policy.loadRetry().attempts()) {
            // The replicator kept its slot and the record of the tables it finished: the next attempt takes them up.
            return MigrationDecision.of(new MigrationStepRetrying(running.step(), running.attempt(), failed.reason(),
                    now.plus(policy.loadRetry().delay()), now));
        }
        if (state instanceof Running running && running.step().command() == failed.command()) {
            return stop(running.progress(), running.step(), running.step() + " failed"
                    + (running.attempt() > 1 ? " at attempt " + running.attempt() : "") + ": " + failed.reason()
                    + (failed.retryable() ? " (the participant says trying again may work)" : ""), List.of(), now);
        }
        List<MigrationStep> steps = Arrays.stream(MigrationStep.values())
                .filter(step -> step.command() == failed.command())
                .toList();
        return duplicateOrInvalid(state, failed, steps);
    }

    private static MigrationDecision tick(Migration state, Instant now, MigrationPolicy policy) {
        Optional<Instant> deadline = deadline(state, policy);
        if (deadline.isEmpty() || now.isBefore(deadline.get())) {
            return MigrationDecision.none();
        }
        return switch (state) {
            case Running running -> stop(running.progress(), running.step(), running.step() + " did not finish within "
                    + human(running.progress().timeout(running.step(), policy))
                    + (running.attempt() > 1 ? " (attempt " + running.attempt() + ")" : ""), List.of(), now);
            case AwaitingRetry waiting -> MigrationDecision.of(
                    new MigrationStepStarted(waiting.step(), waiting.attempt() + 1, now),
                    commandFor(waiting.step(), waiting.progress().plan(), waiting.progress().tablesToSync()));
            case NotStarted notStarted -> MigrationDecision.none();
            case Ready ready -> MigrationDecision.none();
            case Planned planned -> MigrationDecision.none();
            case Stopped stopped -> MigrationDecision.none();
            case Rejected rejected -> MigrationDecision.none();
        };
    }

    private static MigrationDecision stop(MigrationProgress progress, MigrationStep step, String reason,
            List<Finding> findings, Instant now) {
        return MigrationDecision.of(new MigrationStopped(step, reason, findings, operatorAction(progress, step), now));
    }

    /**
     * What the operator cleans up depends on how far the migration got: before pre-data nothing was touched, from
     * the copy on the source holds a replication slot, which keeps WAL (and fills the source's disk) until dropped.
     */
    static String operatorAction(MigrationProgress progress, MigrationStep step) {
        String database = progress.started().database().value();
        String again = "then send StartMigration with a new migration id.";
        String emptyTarget = "Drop database " + database + " on the target and create it empty again; ";
        // The abort drops exactly what the migration created and says what it found: nothing to write by hand.
        String cleanUp = "Run cutoverctl migrate abort --migration " + progress.started().migrationId().value()
                + " --drop-target-tables: it drops the subscription, the replication slot (an unused slot keeps WAL on"
                + " the source until its disk fills), the publication and the target's tables, and reports each; ";
        return switch (step) {
            case PREFLIGHT -> "Nothing was changed on the source or the target. Fix what the findings and the reason "
                    + "name, " + again;
            // schema-service applies pre-data, the roles it creates and cutover's own schema in one transaction.
            case PRE_DATA -> "Pre-data runs in one transaction: a failed pre-data left the target as it was, so fix what"
                    + " the reason names (a missing role: create it on the target, or set cutover.databases." + database
                    + ".create-missing-roles=true), " + again + " Only if the step timed out may that transaction have"
                    + " committed after all: the new migration's preflight then finds the source's schema on the target"
                    + " and uses it as created beforehand, or names what differs. To start afresh instead: "
                    + emptyTarget + again;
            case FULL_LOAD, POST_DATA -> "The target holds a partial copy. " + cleanUp + again;
            case STREAMING -> "The target holds a full copy that is not receiving changes. " + cleanUp + again;
            case VERIFY_SCHEMA, VERIFY_DATA -> "The target cannot be trusted: read the differences first (a schema "
                    + "change on the source during the migration is the usual cause). " + cleanUp + again;
            case LOWER_DNS_TTL -> "The target is complete, verified and streaming; only the DNS TTL was not lowered. "
                    + "Lower the TTL of " + progress.plan().dns().map(DnsTtl::recordName).orElse("the record") + " to "
                    + progress.plan().dns().map(dns -> human(dns.ttl())).orElse("the cutover's TTL")
                    + " by hand and wait out the old TTL before a cutover; keep the target and the replication.";
        };
    }

    /**
     * An answer for a step the saga already moved past is a redelivery, or a late answer for a step that timed out
     * and stopped the migration: doing nothing is right for both. An answer for a step never begun means something is
     * wrong.
     */
    private static MigrationDecision duplicateOrInvalid(Migration state, MigrationMessage message,
            List<MigrationStep> steps) {
        if (steps.stream().anyMatch(step -> handled(state, step))) {
            return MigrationDecision.none();
        }
        throw new InvalidMigrationTransition(state, message, "no step " + steps + " is awaiting an answer");
    }

    private static boolean handled(Migration state, MigrationStep step) {
        return switch (state) {
            case NotStarted notStarted -> false;
            case Running running -> running.progress().reached(step) && step != running.step();
            // The verification that mismatched already answered; another answer to it is a repeat.
            case AwaitingRetry waiting -> waiting.progress().reached(step);
            case Ready ready -> true;
            case Planned planned -> planned.progress().reached(step);
            case Stopped stopped -> stopped.progress().reached(step);
            case Rejected rejected -> false;
        };
    }

    private static Optional<MigrationProgress> progressOf(Migration state) {
        return switch (state) {
            case Running running -> Optional.of(running.progress());
            case AwaitingRetry waiting -> Optional.of(waiting.progress());
            case Ready ready -> Optional.of(ready.progress());
            case Planned planned -> Optional.of(planned.progress());
            case Stopped stopped -> Optional.of(stopped.progress());
            case NotStarted notStarted -> Optional.empty();
            case Rejected rejected -> Optional.empty();
        };
    }
}
