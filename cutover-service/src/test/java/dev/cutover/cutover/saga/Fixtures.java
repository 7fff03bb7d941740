package dev.cutover.cutover.saga;

import dev.cutover.cutover.saga.CutoverEvent.CanaryRecorded;
import dev.cutover.cutover.saga.CutoverEvent.CompensationStarted;
import dev.cutover.cutover.saga.CutoverEvent.CutoverCompleted;
import dev.cutover.cutover.saga.CutoverEvent.CutoverStarted;
import dev.cutover.cutover.saga.CutoverEvent.PreflightPassed;
import dev.cutover.cutover.saga.CutoverEvent.StepFinished;
import dev.cutover.cutover.saga.CutoverEvent.StepStarted;
import dev.cutover.cutover.saga.CutoverMessage.LagReported;
import dev.cutover.cutover.saga.CutoverMessage.StartCutover;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * One cutover's history as the saga records it: started at T0, preflight passed 1 s later, the DNS flipped from T0 + 2 s,
 * then traffic stopped with the canary queued behind it, then the steps after the fence side by side (see
 * {@link #startOf} and {@link #endOf}), traffic resumed at T0 + 2.6 s.
 */
final class Fixtures {

    static final Instant T0 = Instant.parse("2026-11-25T10:00:00Z");
    static final CutoverId ID = new CutoverId("cutover-orders-1");
    static final CutoverId OTHER_ID = new CutoverId("cutover-orders-0");
    static final DatabaseName DATABASE = new DatabaseName("orders");
    static final Operator ALICE = new Operator("alice");
    static final Operator BOB = new Operator("bob");
    static final Operator MALLORY = new Operator("mallory");
    static final DnsPlan DNS = new DnsPlan("db.orders.example.", "127.0.0.2", "127.0.0.3");
    static final String REASON = "move orders to PostgreSQL 17";
    static final String TOKEN = "cutover-orders-1-canary";
    static final Lsn FENCE_LSN = Lsn.parse("0/3000060");
    static final Lsn CANARY_LSN = Lsn.parse("0/3000148");
    static final CutoverPolicy POLICY = CutoverPolicy.withDefaults(Set.of(ALICE, BOB));

    private Fixtures() {
    }

    static Instant at(long millisAfterT0) {
        return T0.plusMillis(millisAfterT0);
    }

    /** When {@code step} begins in the standard history. */
    static Instant startOf(Step step) {
        return switch (step) {
            case PREFLIGHT -> T0;
            case FLIP_DNS -> at(2_000);
            case STOP_TRAFFIC, WRITE_CANARY, SYNC_SEQUENCES, AWAIT_CATCH_UP -> endOf(Step.FLIP_DNS);
            case OPEN_TARGET -> endOf(Step.AWAIT_CATCH_UP);
            case AWAIT_TRAFFIC -> endOf(Step.OPEN_TARGET);
            case TIDY_UP -> resumedAt();
        };
    }

    /** When the answer that ends {@code step} arrives in the standard history. */
    static Instant endOf(Step step) {
        return switch (step) {
            case PREFLIGHT -> at(1_000);
            case FLIP_DNS -> at(2_050);
            case STOP_TRAFFIC -> at(2_150);
            case WRITE_CANARY -> at(2_200);
            case SYNC_SEQUENCES -> at(2_250);
            case AWAIT_CATCH_UP -> at(2_350);
            case OPEN_TARGET -> at(2_450);
            case AWAIT_TRAFFIC, TIDY_UP -> resumedAt();
        };
    }

    /** After {@code step}'s timeout has run out, in {@link #onlyInFlight}'s history. */
    static Instant pastDeadlineOf(Step step) {
        return startOf(step).plus(POLICY.timeout(step)).plusMillis(1);
    }

    static StartCutover start(Operator operator, boolean dryRun) {
        return new StartCutover(ID, DATABASE, operator, dryRun, REASON, DNS, Optional.empty());
    }

    static CutoverStarted started(boolean dryRun) {
        return new CutoverStarted(ID, DATABASE, ALICE, dryRun, REASON, DNS, T0);
    }

    static PreflightPassed preflightPassed() {
        return new PreflightPassed("schema verified; 12 sequences", at(1_000));
    }

    static LagReported lag(long bytes, Instant observedAt) {
        return new LagReported(bytes, Duration.ofMillis(40), ReplicationState.STREAMING, observedAt);
    }

    /** The whole standard history up to traffic resuming, in the order the saga records it. */
    private static List<CutoverEvent> wholeHistory() {
        return List.of(
                started(false),
                preflightPassed(),
                new StepStarted(Step.FLIP_DNS, startOf(Step.FLIP_DNS)),
                new StepFinished(Step.FLIP_DNS, endOf(Step.FLIP_DNS)),
                new StepStarted(Step.STOP_TRAFFIC, startOf(Step.STOP_TRAFFIC)),
                new StepStarted(Step.WRITE_CANARY, startOf(Step.WRITE_CANARY)),
                new StepStarted(Step.SYNC_SEQUENCES, startOf(Step.SYNC_SEQUENCES)),
                new StepStarted(Step.AWAIT_CATCH_UP, startOf(Step.AWAIT_CATCH_UP)),
                new StepFinished(Step.STOP_TRAFFIC, endOf(Step.STOP_TRAFFIC)),
                new StepFinished(Step.WRITE_CANARY, endOf(Step.WRITE_CANARY)),
                new CanaryRecorded(TOKEN, CANARY_LSN),
                new StepFinished(Step.SYNC_SEQUENCES, endOf(Step.SYNC_SEQUENCES)),
                new StepFinished(Step.AWAIT_CATCH_UP, endOf(Step.AWAIT_CATCH_UP)),
                new StepStarted(Step.OPEN_TARGET, startOf(Step.OPEN_TARGET)),
                new StepFinished(Step.OPEN_TARGET, endOf(Step.OPEN_TARGET)),
                new StepStarted(Step.AWAIT_TRAFFIC, startOf(Step.AWAIT_TRAFFIC)));
    }

    /**
     * Everything recorded up to and including the decision that starts {@code step}, so the steps started with it are
     * in flight too (WRITE_CANARY with STOP_TRAFFIC).
     */
    static List<CutoverEvent> historyUntil(Step step) {
        var whole = wholeHistory();
        if (step == Step.PREFLIGHT) {
            return new ArrayList<>(whole.subList(0, 1));
        }
        if (step == Step.TIDY_UP) {
            var history = new ArrayList<>(whole);
            history.add(completed());
            return history;
        }
        int end = 0;
        while (!(whole.get(end) instanceof StepStarted started && started.step() == step)) {
            end++;
        }
        while (end + 1 < whole.size() && whole.get(end + 1) instanceof StepStarted) {
            end++;
        }
        return new ArrayList<>(whole.subList(0, end + 1));
    }

    static List<CutoverEvent> historyUntil(Step step, CutoverEvent... more) {
        var history = new ArrayList<>(historyUntil(step));
        history.addAll(List.of(more));
        return history;
    }

    /** Up to the canary's writer answering, while the sequences and the wait for the canary are in flight. */
    static List<CutoverEvent> canaryWritten(CutoverEvent... more) {
        return historyUntil(Step.STOP_TRAFFIC, concat(List.of(new StepFinished(Step.STOP_TRAFFIC,
                endOf(Step.STOP_TRAFFIC)), new StepFinished(Step.WRITE_CANARY,
                endOf(Step.WRITE_CANARY)), new CanaryRecorded(TOKEN, CANARY_LSN)), more));
    }

    private static CutoverEvent[] concat(List<CutoverEvent> first, CutoverEvent... more) {
        var all = new ArrayList<>(first);
        all.addAll(List.of(more));
        return all.toArray(CutoverEvent[]::new);
    }

    /**
     * {@link #historyUntil} with every other step in flight answered at {@code step}'s start: the one step left
     * is the only one whose deadline, failure or abort the saga can act on.
     */
    static List<CutoverEvent> onlyInFlight(Step step) {
        var history = historyUntil(step);
        Progress progress = ((Cutover.Running) CutoverDecider.rebuild(history)).progress();
        progress.inFlight().stream().filter(other -> other != step)
                .forEach(other -> history.add(new StepFinished(other, startOf(step))));
        return history;
    }

    static List<CutoverEvent> onlyInFlight(Step step, CutoverEvent... more) {
        var history = onlyInFlight(step);
        history.addAll(List.of(more));
        return history;
    }

    /** Traffic resumed 150 ms into AWAIT_TRAFFIC, which is when tidy-up begins too. */
    static CutoverCompleted completed() {
        Map<Step, Duration> durations = new EnumMap<>(Step.class);
        durations.put(Step.PREFLIGHT, Duration.ofMillis(2_000));
        for (Step step : EnumSet.range(Step.FLIP_DNS, Step.AWAIT_TRAFFIC)) {
            durations.put(step, Duration.between(startOf(step), endOf(step)));
        }
        return new CutoverCompleted(Duration.between(startOf(Step.FLIP_DNS), resumedAt()), durations, resumedAt());
    }

    static Instant resumedAt() {
        return at(2_600);
    }

    static CompensationStarted compensationStarted(Step step, String reason) {
        return new CompensationStarted(step, reason, startOf(step).plusMillis(50));
    }
}
