package dev.cutover.sandbox.report;

import dev.cutover.sandbox.client.ClientRecord;
import dev.cutover.sandbox.client.FailureKind;
import dev.cutover.sandbox.client.Server;
import dev.cutover.sandbox.client.WriteKind;
import java.util.ArrayList;
import java.util.List;

/**
 * What the client's record says about the cutover, computed from the record alone.
 *
 * @param windowStartNanos where the cutover window starts, on the client's clock
 * @param downtimeNanos the longest time without an acknowledgement that overlaps the window: from the last
 *     acknowledgement before a gap to the first after it, or to the client's stop if none came
 * @param downtimeFromNanos where that gap starts
 * @param downtimeToNanos where it ends
 * @param steadyLongestGapNanos the longest gap before the window, for comparison: how still the machine alone stands
 * @param failuresInWindow failed attempts from the window's start on
 * @param firstFailureNanos the first of them, or 0
 * @param lastFailureNanos the last of them, or 0
 * @param writesAfterFence writes sent after the fence was complete and still acknowledged by the source
 * @param afterFenceExamples the first few of them, as {@code id (kind)}
 * @param duplicateKeysInWindow duplicate-key failures from the window's start on
 * @param duplicateKeysTotal duplicate-key failures in the whole run
 * @param inserts acknowledged inserts
 * @param updates acknowledged updates
 * @param bySource acknowledgements from the source
 * @param byTarget acknowledgements from the target
 * @param byOther acknowledgements from neither address
 * @param lastSourceAckNanos the source's last acknowledgement, or 0
 * @param firstTargetAckNanos the target's first acknowledgement, or 0
 */
record ClientFigures(
        long windowStartNanos,
        long downtimeNanos,
        long downtimeFromNanos,
        long downtimeToNanos,
        long steadyLongestGapNanos,
        long failuresInWindow,
        long firstFailureNanos,
        long lastFailureNanos,
        long writesAfterFence,
        List<String> afterFenceExamples,
        long duplicateKeysInWindow,
        long duplicateKeysTotal,
        long inserts,
        long updates,
        long bySource,
        long byTarget,
        long byOther,
        long lastSourceAckNanos,
        long firstTargetAckNanos) {

    private static final int EXAMPLES = 5;

    long acked() {
        return inserts + updates;
    }

    long errorWindowNanos() {
        return lastFailureNanos - firstFailureNanos;
    }

    static ClientFigures of(ReportInputs inputs) {
        ClientRecord record = inputs.client();
        long windowStart = record.nanoTimeOf(inputs.windowStart());
        long fence = inputs.fenceAt() == null ? Long.MAX_VALUE : record.nanoTimeOf(inputs.fenceAt());
        // After a rollback the source serves again: its acknowledgements from then on are no breach of the fence.
        long restored = inputs.sourceRestoredAt() == null ? Long.MAX_VALUE : record.nanoTimeOf(inputs.sourceRestoredAt());

        long previous = record.startNanoTime();
        long steadyGap = 0;
        long gap = 0;
        long gapFrom = 0;
        long gapTo = 0;
        long inserts = 0;
        long updates = 0;
        long[] byServer = new long[Server.values().length];
        long afterFence = 0;
        List<String> afterFenceExamples = new ArrayList<>();
        long lastSourceAck = 0;
        long firstTargetAck = 0;
        for (int i = 0; i < record.ackCount(); i++) {
            long at = record.ackNanoTime(i);
            Server server = record.ackServer(i);
            if (at <= windowStart) {
                steadyGap = Math.max(steadyGap, at - previous);
            } else if (at - previous > gap) {
                // A gap that begins before the window and ends in it counts: the cutover may have begun inside it.
                gap = at - previous;
                gapFrom = previous;
                gapTo = at;
            }
            previous = at;
            byServer[server.ordinal()]++;
            if (server == Server.SOURCE) {
                lastSourceAck = at;
                // Judged by when the write was sent, not when the client noted the answer: a client thread paused
                // after a commit that beat the fence must not read as a write after it.
                long sent = record.ackSentNanoTime(i);
                // A session the source began after the fence had logged in once a rollback reopened the role: its
                // writes are the source serving again, however late the fence's SourceRestored was stamped.
                if (sent > fence && sent < restored && record.ackSessionStartedBefore(i, inputs.fenceAt())) {
                    afterFence++;
                    if (afterFenceExamples.size() < EXAMPLES) {
                        ClientRecord.Ack ack = record.ack(i);
                        afterFenceExamples.add("id " + ack.id() + " (" + ack.kind().name().toLowerCase() + ")");
                    }
                }
            }
            if (server == Server.TARGET && firstTargetAck == 0) {
                firstTargetAck = at;
            }
            if (record.ackKind(i) == WriteKind.INSERT) {
                inserts++;
            } else {
                updates++;
            }
        }
        long stop = record.stopNanoTime();
        if (stop > windowStart && stop - previous > gap) {
            gap = stop - previous;
            gapFrom = previous;
            gapTo = stop;
        }

        long failures = 0;
        long firstFailure = 0;
        long lastFailure = 0;
        long duplicatesInWindow = 0;
        long duplicatesTotal = 0;
        for (int i = 0; i < record.failureCount(); i++) {
            ClientRecord.FailedAttempt failure = record.failure(i);
            boolean duplicate = failure.kind() == FailureKind.DUPLICATE_KEY;
            duplicatesTotal += duplicate ? 1 : 0;
            if (failure.nanoTime() >= windowStart) {
                failures++;
                duplicatesInWindow += duplicate ? 1 : 0;
                if (firstFailure == 0) {
                    firstFailure = failure.nanoTime();
                }
                lastFailure = failure.nanoTime();
            }
        }
        return new ClientFigures(windowStart, gap, gapFrom, gapTo, steadyGap, failures, firstFailure, lastFailure,
                afterFence, List.copyOf(afterFenceExamples), duplicatesInWindow, duplicatesTotal, inserts, updates,
                byServer[Server.SOURCE.ordinal()], byServer[Server.TARGET.ordinal()], byServer[Server.OTHER.ordinal()],
                lastSourceAck, firstTargetAck);
    }
}
