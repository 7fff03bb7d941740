package dev.cutover.sandbox.report;

import dev.cutover.sandbox.client.ClientRecord;
import java.time.Instant;
import java.util.Objects;

/**
 * What the client saw of a fallback that followed the cutover ({@code --then-fallback}).
 *
 * @param result           how the fallback ended: {@code completed} (the source serves), {@code rolled_back} (the
 *                         target serves again), {@code rejected}, or {@code not_run} when the cutover did not complete
 * @param clientDowntimeMs the longest time without an acknowledged write that overlaps the fallback, from its request
 *                         to its last event
 * @param lostWrites       acknowledged writes of the whole run missing or different on the server that serves at the
 *                         end; -1 when they could not be checked
 * @param cutoverClientDowntimeMs the cutover's own: the longest gap from the cutover's window to the fallback's
 *                         request (the report's {@code clientDowntimeMs} covers both switches, the larger wins)
 */
public record FallbackFigures(String result, long clientDowntimeMs, long lostWrites, long cutoverClientDowntimeMs) {

    public FallbackFigures {
        Objects.requireNonNull(result, "result");
    }

    /** The fallback asked for at {@code from} and ended at {@code to}; the rows not checked yet. */
    public static FallbackFigures of(String result, ReportInputs inputs, Instant from, Instant to) {
        ClientRecord record = inputs.client();
        long asked = record.nanoTimeOf(from);
        return new FallbackFigures(result, longestGapMs(record, asked, record.nanoTimeOf(to)), -1,
                longestGapMs(record, record.nanoTimeOf(inputs.windowStart()), asked));
    }

    /** The longest gap between acknowledgements (or the client's stop) that overlaps {@code start}..{@code end}. */
    private static long longestGapMs(ClientRecord record, long start, long end) {
        long previous = record.startNanoTime();
        long longest = 0;
        for (int i = 0; i < record.ackCount(); i++) {
            long at = record.ackNanoTime(i);
            if (at >= start && previous <= end) {
                longest = Math.max(longest, at - previous);
            }
            previous = at;
        }
        if (previous <= end) {
            longest = Math.max(longest, record.stopNanoTime() - previous);
        }
        return longest / 1_000_000;
    }

    FallbackFigures withLostWrites(long lost) {
        return new FallbackFigures(result, clientDowntimeMs, lost, cutoverClientDowntimeMs);
    }
}
