package dev.cutover.ctl.replay;

import java.time.Duration;

/** How durations read in the tool's output: the same spelling everywhere, so lines can be compared by eye. */
public final class Times {

    private Times() {
    }

    /** An offset from the start of a cutover, e.g. {@code +0.146s} or {@code +12.003s}. */
    public static String offset(Duration offset) {
        long millis = offset.toMillis();
        var sign = millis < 0 ? "-" : "+";
        millis = Math.abs(millis);
        return String.format("%s%d.%03ds", sign, millis / 1000, millis % 1000);
    }

    /** A length of time, e.g. {@code 146 ms}, {@code 1.068 s} or {@code 2 min 03.500 s}. */
    public static String length(long millis) {
        if (Math.abs(millis) < 1000) {
            return millis + " ms";
        }
        if (Math.abs(millis) < 60_000) {
            return String.format("%d.%03d s", millis / 1000, Math.abs(millis % 1000));
        }
        long minutes = millis / 60_000;
        long rest = Math.abs(millis % 60_000);
        return String.format("%d min %02d.%03d s", minutes, rest / 1000, rest % 1000);
    }

    public static String length(Duration duration) {
        return length(duration.toMillis());
    }
}
