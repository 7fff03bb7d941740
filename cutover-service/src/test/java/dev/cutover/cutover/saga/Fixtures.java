package dev.cutover.cutover.saga;

import dev.cutover.cutover.saga.CutoverEvent.CanaryRecorded;
import dev.cutover.cutover.saga.CutoverEvent.CompensationStarted;
import dev.cutover.cutover.saga.CutoverEvent.CutoverCompleted;
import dev.cutover.cutover.saga.CutoverEvent.CutoverStarted;
import dev.cutover.cutover.saga.CutoverEvent.PreflightPassed;
import dev.cutover.cutover.saga.CutoverEvent.StepStarted;
import dev.cutover.cutover.saga.CutoverMessage.LagReported;
import dev.cutover.cutover.saga.CutoverMessage.StartCutover;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * One cutover's history as the saga records it: started at T0, preflight passed 1 s later, traffic stopped at
 * T0 + 2 s, and every later step begun 100 ms after the one before.
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
    static final String TOKEN = "canary-7f3a";
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
            case STOP_TRAFFIC -> at(2_000);
            default -> startOf(Step.values()[step.ordinal() - 1]).plusMillis(100);
        };
    }

    /** After {@code step}'s timeout has run out. */
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

    /** Everything recorded up to and including the start of {@code step}. */
    static List<CutoverEvent> historyUntil(Step step) {
        var history = new ArrayList<CutoverEvent>();
        history.add(started(false));
        if (step == Step.PREFLIGHT) {
            return history;
        }
        history.add(preflightPassed());
        for (Step next = Step.STOP_TRAFFIC; next.compareTo(step) <= 0 && next != Step.TIDY_UP; next = next.next()) {
            if (next == Step.AWAIT_CATCH_UP) {
                history.add(new CanaryRecorded(TOKEN, CANARY_LSN));
            }
            history.add(new StepStarted(next, startOf(next)));
        }
        if (step == Step.TIDY_UP) {
            history.add(completed());
        }
        return history;
    }

    static List<CutoverEvent> historyUntil(Step step, CutoverEvent... more) {
        var history = new ArrayList<>(historyUntil(step));
        history.addAll(List.of(more));
        return history;
    }

    /** Traffic resumed 150 ms into AWAIT_TRAFFIC, which is when tidy-up begins too. */
    static CutoverCompleted completed() {
        Map<Step, Duration> durations = new EnumMap<>(Step.class);
        durations.put(Step.PREFLIGHT, Duration.ofMillis(2_000));
        for (Step step = Step.STOP_TRAFFIC; step != Step.AWAIT_TRAFFIC; step = step.next()) {
            durations.put(step, Duration.ofMillis(100));
        }
        durations.put(Step.AWAIT_TRAFFIC, Duration.ofMillis(150));
        return new CutoverCompleted(Duration.ofMillis(750), durations, resumedAt());
    }

    static Instant resumedAt() {
        return startOf(Step.AWAIT_TRAFFIC).plusMillis(150);
    }

    static CompensationStarted compensationStarted(Step step, String reason) {
        return new CompensationStarted(step, reason, startOf(step).plusMillis(50));
    }
}
