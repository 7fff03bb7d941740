package dev.cutover.replicator;

import java.time.Instant;
import java.util.Optional;

import dev.cutover.events.BlockRange;
import dev.cutover.events.CopyLoadTask;
import dev.cutover.events.KeyRange;
import dev.cutover.events.LoadTaskDone;
import dev.cutover.events.Metadata;
import dev.cutover.replicator.copy.CopyRange;
import dev.cutover.replicator.copy.SharedTask;
import dev.cutover.replicator.copy.TaskOutcome;
import dev.cutover.replicator.postgres.Lsn;
import dev.cutover.replicator.postgres.TableName;

/** A shared load's tasks and answers as they travel through Kafka, and back. */
final class LoadTasks {

    private LoadTasks() {
    }

    static CopyLoadTask message(SharedTask task, Metadata metadata) {
        CopyLoadTask.Builder message = CopyLoadTask.newBuilder()
                .setMetadata(metadata)
                .setLoadId(task.loadId())
                .setTask(task.number())
                .setSlot(task.slot())
                .setConsistentLsn(task.consistentPoint().toString())
                .setSnapshot(task.snapshotName())
                .setSchemaName(task.table().schema())
                .setTableName(task.table().name())
                .setColumns(task.columns())
                .setBinary(task.binary())
                .setParts(task.parts())
                .setEstimatedBytes(task.estimatedBytes());
        switch (task.range()) {
            case CopyRange.All all -> {
            }
            case CopyRange.Blocks blocks -> message.setBlocks(BlockRange.newBuilder()
                    .setFromBlock(blocks.from()).setToBlock(blocks.to().orElse(null)).build());
            case CopyRange.Keys keys -> message.setKeys(KeyRange.newBuilder()
                    .setColumn(keys.column()).setType(keys.type())
                    .setFromKey(keys.from().orElse(null)).setToKey(keys.to().orElse(null)).build());
        }
        return message.build();
    }

    static SharedTask task(CopyLoadTask message) {
        CopyRange range;
        if (message.getBlocks() != null) {
            range = new CopyRange.Blocks(message.getBlocks().getFromBlock(),
                    Optional.ofNullable(message.getBlocks().getToBlock()));
        } else if (message.getKeys() != null) {
            KeyRange keys = message.getKeys();
            range = new CopyRange.Keys(keys.getColumn(), keys.getType(), Optional.ofNullable(keys.getFromKey()),
                    Optional.ofNullable(keys.getToKey()));
        } else {
            range = new CopyRange.All();
        }
        return new SharedTask(message.getLoadId(), message.getTask(), message.getSlot(),
                Lsn.parse(message.getConsistentLsn()), message.getSnapshot(),
                new TableName(message.getSchemaName(), message.getTableName()), message.getColumns(),
                message.getBinary(), range, message.getParts(), message.getEstimatedBytes());
    }

    static LoadTaskDone answer(TaskOutcome outcome, Metadata metadata) {
        LoadTaskDone.Builder answer = LoadTaskDone.newBuilder()
                .setMetadata(metadata)
                .setLoadId(outcome.loadId())
                .setTask(outcome.number())
                .setTable(outcome.table())
                .setCopiedBy(outcome.copiedBy());
        return switch (outcome) {
            case TaskOutcome.Copied copied -> answer.setRows(copied.rows()).setBytes(copied.bytes())
                    .setStartedAt(copied.started()).setFinishedAt(copied.finished())
                    .setAlreadyCopied(copied.alreadyCopied()).build();
            case TaskOutcome.Failed failed -> answer.setStartedAt(failed.started()).setFinishedAt(failed.finished())
                    .setFailure(failed.reason()).setRetryable(failed.retryable()).build();
        };
    }

    static TaskOutcome outcome(LoadTaskDone answer) {
        Instant started = answer.getStartedAt();
        Instant finished = answer.getFinishedAt();
        if (answer.getFailure() != null) {
            return new TaskOutcome.Failed(answer.getLoadId(), answer.getTask(), answer.getTable(), answer.getFailure(),
                    answer.getRetryable(), false, started, finished, answer.getCopiedBy());
        }
        return new TaskOutcome.Copied(answer.getLoadId(), answer.getTask(), answer.getTable(), answer.getRows(),
                answer.getBytes(), started, finished, answer.getCopiedBy(), answer.getAlreadyCopied());
    }
}
