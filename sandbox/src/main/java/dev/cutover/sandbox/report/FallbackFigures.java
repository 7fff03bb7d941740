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
 */
public record FallbackFigures(String result, long clientDowntimeMs, long lostWrites) {

    public FallbackFigures {
        Objects.requireNonNull(result, "result");
    }

    /** The longest gap between acknowledgements that overlaps {@code from}..{@code to}. */
    public static FallbackFigures of(String result, ClientRecord record, Instant from, Instant to) {
        long start = record.nanoTimeOf(from);
        long end = record.nanoTimeOf(to);
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
        return new FallbackFigures(result, longest / 1_000_000, -1);
    }

    FallbackFigures withLostWrites(long lost) {
        return new FallbackFigures(result, clientDowntimeMs, lost);
    }
}
