package dev.cutover.sandbox.report;

import java.time.Instant;
import java.util.Objects;

/**
 * One moment of the cutover for the report's timeline, e.g. an event's name and the time it occurred.
 *
 * @param what a short label, e.g. {@code TrafficStopped}
 * @param at when it happened, by the wall clock
 */
public record TimelineEntry(String what, Instant at) {

    public TimelineEntry {
        Objects.requireNonNull(what, "what");
        Objects.requireNonNull(at, "at");
    }
}
