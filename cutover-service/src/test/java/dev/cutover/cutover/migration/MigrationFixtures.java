package dev.cutover.cutover.migration;

import dev.cutover.cutover.migration.MigrationEvent.MigrationStarted;
import dev.cutover.cutover.migration.MigrationEvent.MigrationStepStarted;
import dev.cutover.cutover.migration.MigrationMessage.StartMigration;
import dev.cutover.cutover.saga.DatabaseName;
import dev.cutover.cutover.saga.Operator;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** One migration's history as the saga records it: started at T0 by alice, every later step begun one second after the one before. */
final class MigrationFixtures {

    static final Instant T0 = Instant.parse("2026-11-25T10:00:00Z");
    static final MigrationId ID = new MigrationId("migration-orders-1");
    static final MigrationId OTHER_ID = new MigrationId("migration-orders-0");
    static final DatabaseName DATABASE = new DatabaseName("orders");
    static final Operator ALICE = new Operator("alice");
    static final Operator BOB = new Operator("bob");
    static final Operator MALLORY = new Operator("mallory");
    static final DnsTtl DNS = new DnsTtl("db.orders.example.", Duration.ofSeconds(1));
    static final int PARALLELISM = 4;
    static final MigrationPlan PLAN = new MigrationPlan(PARALLELISM, Optional.of(DNS));
    static final MigrationPlan PLAN_WITHOUT_DNS = new MigrationPlan(PARALLELISM, Optional.empty());
    static final MigrationPolicy POLICY = MigrationPolicy.withDefaults(Set.of(ALICE, BOB));

    private MigrationFixtures() {
    }

    static Instant at(long millisAfterT0) {
        return T0.plusMillis(millisAfterT0);
    }

    /** When {@code step} begins in the standard history. */
    static Instant startOf(MigrationStep step) {
        return T0.plusSeconds(step.ordinal());
    }

    /** Just after {@code step}'s timeout has run out. */
    static Instant pastDeadlineOf(MigrationStep step) {
        return startOf(step).plus(POLICY.timeout(step)).plusMillis(1);
    }

    static StartMigration start(Operator operator) {
        return new StartMigration(ID, DATABASE, operator, PARALLELISM, Optional.of(DNS), Optional.empty());
    }

    static MigrationStarted started(MigrationPlan plan) {
        return new MigrationStarted(ID, DATABASE, ALICE, plan, T0);
    }

    /** Everything recorded up to and including the start of {@code step}. */
    static List<MigrationEvent> historyUntil(MigrationStep step) {
        return historyUntil(PLAN, step);
    }

    static List<MigrationEvent> historyUntil(MigrationPlan plan, MigrationStep step) {
        var history = new ArrayList<MigrationEvent>();
        history.add(started(plan));
        for (MigrationStep next : plan.steps()) {
            if (next != MigrationStep.PREFLIGHT && next.compareTo(step) <= 0) {
                history.add(new MigrationStepStarted(next, 1, startOf(next)));
            }
        }
        return history;
    }

    static List<MigrationEvent> historyUntil(MigrationStep step, MigrationEvent... more) {
        var history = new ArrayList<>(historyUntil(step));
        history.addAll(List.of(more));
        return history;
    }

    static MigrationProgress progressAt(MigrationStep step) {
        return ((Migration.Running) MigrationDecider.rebuild(historyUntil(step))).progress();
    }

    static DataMismatch mismatch() {
        return new DataMismatch("public.orders", Optional.of("[1000,2000)"), 1_000, 998, "2 rows missing");
    }
}
