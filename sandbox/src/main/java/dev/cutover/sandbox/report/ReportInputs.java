package dev.cutover.sandbox.report;

import dev.cutover.sandbox.client.ClientRecord;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * What the report is made from, besides the two servers.
 *
 * @param client the rehearsal client's record
 * @param result how the cutover ended
 * @param cutoverStartedAt when the cutover began (e.g. {@code CutoverStarted}); the client's downtime, error window and
 *     duplicate keys are counted from here. {@code null}: from the fence, or from the client's start
 * @param fenceAt when the source was fenced: the time of {@code TrafficStopped}, after which the source must not
 *     acknowledge any write; {@code null} when the cutover never fenced
 * @param sourceRestoredAt when a rollback let the applications back onto the source ({@code SourceRestored}): source
 *     acknowledgements from then on are legitimate again; {@code null} when the source was never restored
 * @param flippedAt when the DNS name was flipped ({@code DnsFlipped}); {@code null} when it never was
 * @param fenceToFlip fence start to DNS flipped, as the cutover measured it; {@code null} to use
 *     {@code flippedAt - fenceAt}
 * @param targetOpenedAt when the applications' roles could log in to the target ({@code TargetOpened}); {@code null}
 *     when it never opened
 * @param timeline the cutover's events, printed in time order
 * @param startRequestedAt when the operator's {@code StartCutover} was written; {@code null} when unknown
 * @param fenceStartedAt when the fence began ({@code StepStarted STOP_TRAFFIC}); {@code null} when it never did
 * @param cutoverctlStart how long {@code cutoverctl start} took to return, as the operator waited for it; {@code null}
 *     when the cutover was not started with it
 */
public record ReportInputs(
        ClientRecord client,
        CutoverResult result,
        Instant cutoverStartedAt,
        Instant fenceAt,
        Instant sourceRestoredAt,
        Instant flippedAt,
        Duration fenceToFlip,
        Instant targetOpenedAt,
        List<TimelineEntry> timeline,
        Instant startRequestedAt,
        Instant fenceStartedAt,
        Duration cutoverctlStart) {

    public ReportInputs {
        Objects.requireNonNull(client, "client");
        Objects.requireNonNull(result, "result");
        timeline = timeline == null ? List.of() : List.copyOf(timeline);
    }

    /** A report of a client run and the cutover's outcome, with no times yet. */
    public static ReportInputs of(ClientRecord client, CutoverResult result) {
        return new ReportInputs(client, result, null, null, null, null, null, null, List.of(), null, null, null);
    }

    public ReportInputs withCutoverStartedAt(Instant at) {
        return new ReportInputs(client, result, at, fenceAt, sourceRestoredAt, flippedAt, fenceToFlip,
                targetOpenedAt, timeline, startRequestedAt, fenceStartedAt, cutoverctlStart);
    }

    public ReportInputs withFenceAt(Instant at) {
        return new ReportInputs(client, result, cutoverStartedAt, at, sourceRestoredAt, flippedAt, fenceToFlip,
                targetOpenedAt, timeline, startRequestedAt, fenceStartedAt, cutoverctlStart);
    }

    public ReportInputs withFlippedAt(Instant at) {
        return new ReportInputs(client, result, cutoverStartedAt, fenceAt, sourceRestoredAt, at, fenceToFlip,
                targetOpenedAt, timeline, startRequestedAt, fenceStartedAt, cutoverctlStart);
    }

    public ReportInputs withTargetOpenedAt(Instant at) {
        return new ReportInputs(client, result, cutoverStartedAt, fenceAt, sourceRestoredAt, flippedAt, fenceToFlip, at,
                timeline, startRequestedAt, fenceStartedAt, cutoverctlStart);
    }

    public ReportInputs withFenceToFlip(Duration measured) {
        return new ReportInputs(client, result, cutoverStartedAt, fenceAt, sourceRestoredAt, flippedAt, measured,
                targetOpenedAt, timeline, startRequestedAt, fenceStartedAt, cutoverctlStart);
    }

    public ReportInputs withTimeline(List<TimelineEntry> entries) {
        return new ReportInputs(client, result, cutoverStartedAt, fenceAt, sourceRestoredAt, flippedAt, fenceToFlip,
                targetOpenedAt, entries, startRequestedAt, fenceStartedAt, cutoverctlStart);
    }

    public ReportInputs withSourceRestoredAt(Instant at) {
        return new ReportInputs(client, result, cutoverStartedAt, fenceAt, at, flippedAt, fenceToFlip,
                targetOpenedAt, timeline, startRequestedAt, fenceStartedAt, cutoverctlStart);
    }

    public ReportInputs withStartRequestedAt(Instant at) {
        return new ReportInputs(client, result, cutoverStartedAt, fenceAt, sourceRestoredAt, flippedAt, fenceToFlip,
                targetOpenedAt, timeline, at, fenceStartedAt, cutoverctlStart);
    }

    public ReportInputs withFenceStartedAt(Instant at) {
        return new ReportInputs(client, result, cutoverStartedAt, fenceAt, sourceRestoredAt, flippedAt, fenceToFlip,
                targetOpenedAt, timeline, startRequestedAt, at, cutoverctlStart);
    }

    public ReportInputs withCutoverctlStart(Duration took) {
        return new ReportInputs(client, result, cutoverStartedAt, fenceAt, sourceRestoredAt, flippedAt, fenceToFlip,
                targetOpenedAt, timeline, startRequestedAt, fenceStartedAt, took);
    }

    /** Where the cutover window starts: the cutover's start, else the fence, else the client's start. */
    Instant windowStart() {
        if (cutoverStartedAt != null) {
            return cutoverStartedAt;
        }
        return fenceAt != null ? fenceAt : client.startedAt();
    }

    /** The given fence-to-flip time, else the flip minus the fence, else {@code null}. */
    Duration effectiveFenceToFlip() {
        if (fenceToFlip != null) {
            return fenceToFlip;
        }
        return fenceAt != null && flippedAt != null ? Duration.between(fenceAt, flippedAt) : null;
    }
}
