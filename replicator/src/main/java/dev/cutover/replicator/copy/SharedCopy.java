package dev.cutover.replicator.copy;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.BooleanSupplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.cutover.platform.StepFailure;
import dev.cutover.replicator.postgres.TableName;

/**
 * The copy of a load shared with other replicator instances, as the instance that runs it sees it: it hands every task
 * out and tallies the answers until each task is copied, reporting each table as its last task comes in. It keeps
 * nothing but the tally; the snapshot stays open with the caller until this returns.
 */
final class SharedCopy {

    private static final Logger log = LoggerFactory.getLogger(SharedCopy.class);

    /** How long one wait for answers lasts before an abort is looked at again. */
    private static final Duration POLL = Duration.ofMillis(500);

    /**
     * How often the slot is looked at: dropped under the load (a clean-up sent to another instance, a person), its
     * snapshot is gone, the tasks left are dropped by whoever takes them, and no answer would ever come.
     */
    private static final Duration LOOK_EVERY = Duration.ofSeconds(5);

    private final TaskExchange exchange;
    private final List<CopyTask> plan;
    private final CopyProgress progress;
    private final LoadAbort abort;
    private final BooleanSupplier slotStands;

    /** @param slotStands whether the load's slot is still there at its consistent point */
    SharedCopy(TaskExchange exchange, List<CopyTask> plan, CopyProgress progress, LoadAbort abort,
            BooleanSupplier slotStands) {
        this.exchange = exchange;
        this.plan = plan;
        this.progress = progress;
        this.abort = abort;
        this.slotStands = slotStands;
    }

    ParallelCopy.Totals run(ExportedSnapshot snapshot) {
        String loadId = UUID.randomUUID().toString();
        List<SharedTask> tasks = new ArrayList<>();
        Map<TableName, TableTally> tallies = new HashMap<>();
        for (CopyTask task : plan) {
            tasks.add(SharedTask.of(loadId, tasks.size(), snapshot, task));
            tallies.computeIfAbsent(task.table().name(), name -> new TableTally(task.parts()));
        }
        Set<Integer> done = new HashSet<>();
        Map<String, Integer> byInstance = new HashMap<>();
        Instant nextLook = Instant.now().plus(LOOK_EVERY);
        try (TaskExchange.Answers answers = exchange.handOut(loadId, tasks)) {
            while (done.size() < tasks.size()) {
                abort.reason().ifPresent(why -> {
                    throw new StepFailure("the full load was stopped: " + why, false);
                });
                if (Instant.now().isAfter(nextLook)) {
                    nextLook = Instant.now().plus(LOOK_EVERY);
                    if (!slotStands.getAsBoolean()) {
                        throw new StepFailure("the slot " + snapshot.slot() + " was dropped, or moved, while the load"
                                + " ran (a CleanUpMigration or StopReplication, or by hand): its snapshot is gone and"
                                + " the tasks left cannot be copied; send CopyData again if the migration goes on",
                                false);
                    }
                }
                for (TaskOutcome outcome : answers.next(POLL)) {
                    if (!outcome.loadId().equals(loadId) || outcome.number() < 0 || outcome.number() >= tasks.size()
                            || done.contains(outcome.number())) {
                        continue;
                    }
                    SharedTask task = tasks.get(outcome.number());
                    switch (outcome) {
                        case TaskOutcome.Copied copied -> {
                            done.add(copied.number());
                            byInstance.merge(copied.copiedBy(), 1, Integer::sum);
                            TableTally tally = tallies.get(task.table());
                            tally.add(copied.rows(), copied.bytes(), copied.started(), copied.finished())
                                    .ifPresent(took -> progress.tableCopied(new CopiedTable(task.table().toString(),
                                            tally.rows(), tally.bytes(), took)));
                        }
                        case TaskOutcome.Failed failed -> throw new StepFailure("copying " + task.describe()
                                + " on replicator instance " + failed.copiedBy() + " failed: " + failed.reason(),
                                failed.retryable());
                    }
                }
            }
        }
        log.info("shared load {}: {} tasks copied, by instance {}", loadId, tasks.size(), byInstance);
        return ParallelCopy.Totals.of(tallies);
    }
}
