package dev.cutover.ctl.replay;

/**
 * How long clients could not write, and which message it was read or worked out from: the saga's own figure when
 * it wrote one, otherwise the time between the fence and traffic on either server.
 */
public record Downtime(long millis, String source) {

    @Override
    public String toString() {
        return Times.length(millis) + " (" + source + ")";
    }
}
