package dev.cutover.ctl.replay;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;

import org.apache.avro.specific.SpecificRecord;

import dev.cutover.events.AbortCutover;
import dev.cutover.events.AwaitCatchUp;
import dev.cutover.events.CanaryObserved;
import dev.cutover.events.CanaryWritten;
import dev.cutover.events.CutoverCompleted;
import dev.cutover.events.CutoverPlanned;
import dev.cutover.events.CutoverRejected;
import dev.cutover.events.CompensationStarted;
import dev.cutover.events.CutoverRolledBack;
import dev.cutover.events.FallbackCompleted;
import dev.cutover.events.FallbackRollbackPartDone;
import dev.cutover.events.FallbackRolledBack;
import dev.cutover.events.FallbackRollingBack;
import dev.cutover.events.FallbackStarted;
import dev.cutover.events.FallbackStepStarted;
import dev.cutover.events.CutoverStarted;
import dev.cutover.events.DnsFlipped;
import dev.cutover.events.FlipDns;
import dev.cutover.events.Metadata;
import dev.cutover.events.OpenTarget;
import dev.cutover.events.RestoreSource;
import dev.cutover.events.SagaSilent;
import dev.cutover.events.SequencesSynced;
import dev.cutover.events.SourceRestored;
import dev.cutover.events.StartCutover;
import dev.cutover.events.StepFailed;
import dev.cutover.events.StepFinished;
import dev.cutover.events.StepStarted;
import dev.cutover.events.StopTraffic;
import dev.cutover.events.SyncSequences;
import dev.cutover.events.TargetOpened;
import dev.cutover.events.TrafficResumed;
import dev.cutover.events.TrafficStopped;
import dev.cutover.events.WriteCanary;

/**
 * The messages of one cutover as the services would write them, at fixed offsets from a start time, so that
 * offsets, downtime and step durations in the output are known in advance. Timings are the seed's measured
 * steps (fence 146, canary 44 + 47, sequences 61, open 43, DNS 32 ms).
 */
public final class CutoverScript {

    public static final String COMMANDS = "cutover.commands";
    public static final String EVENTS = "cutover.events";

    /** One message to publish, with the topic it belongs on. */
    public record Line(String topic, SpecificRecord message) {

        public Metadata metadata() {
            return (Metadata) message.get(message.getSchema().getField("metadata").pos());
        }
    }

    private final String cutoverId;
    private final String database;
    private final Instant start;
    private final List<Line> lines = new ArrayList<>();

    private CutoverScript(String cutoverId, String database, Instant start) {
        this.cutoverId = cutoverId;
        this.database = database;
        this.start = start;
    }

    public static CutoverScript of(String cutoverId, String database, Instant start) {
        return new CutoverScript(cutoverId, database, start);
    }

    /** StartCutover through CutoverCompleted with a downtime of 412 ms. */
    public static CutoverScript completed(String cutoverId, String database, Instant start) {
        return of(cutoverId, database, start).started(false).fencedAndCaughtUp().flippedAndCompleted();
    }

    /** The canary write times out after the fence: the source is restored, 2,040 ms of downtime. */
    public static CutoverScript rolledBack(String cutoverId, String database, Instant start) {
        return of(cutoverId, database, start).started(false).fenceThenCanaryTimesOut().restored().rolledBack();
    }

    public CutoverScript started(boolean dryRun) {
        var start = add(0, COMMANDS, "cutoverctl", null, metadata -> StartCutover.newBuilder().setMetadata(metadata)
                .setOperator("alice").setDryRun(dryRun).setReason("CHG-4711").build());
        add(12, EVENTS, "cutover-service", start, metadata -> CutoverStarted.newBuilder().setMetadata(metadata)
                .setOperator("alice").setDryRun(dryRun).setReason("CHG-4711")
                .setDnsRecord("db.shop.test.").setSourceAddress("127.0.0.2").setTargetAddress("127.0.0.3").build());
        return this;
    }

    public CutoverScript planned() {
        add(40, EVENTS, "cutover-service", null, metadata -> CutoverPlanned.newBuilder().setMetadata(metadata)
                .setSteps(List.of("STOP_TRAFFIC", "WRITE_CANARY", "AWAIT_CATCH_UP", "SYNC_SEQUENCES", "OPEN_TARGET", "FLIP_DNS"))
                .setPredictedDowntimeMs(380)
                .setDetail("lag 3 ms, canary p99 47 ms, DNS TTL 1 s").build());
        return this;
    }

    /** lag-monitor's watchdog reports the saga silent since the fence's StepStarted, {@code atMs} into the cutover. */
    public CutoverScript sagaSilent(long atMs) {
        var fence = add(14, EVENTS, "cutover-service", null, metadata -> StepStarted.newBuilder().setMetadata(metadata)
                .setStep("STOP_TRAFFIC").build());
        add(atMs, EVENTS, "lag-monitor", fence, metadata -> SagaSilent.newBuilder().setMetadata(metadata)
                .setLastEventType("StepStarted").setLastEventId(fence.getMessageId().toString())
                .setLastEventAt(at(14)).setLastStep("STOP_TRAFFIC").setSilentForMs(atMs - 14).setBoundMs(120_000)
                .setAction("Start cutover-service: it recovers the saga from cutover.events and carries on.").build());
        return this;
    }

    public CutoverScript rejected() {
        add(20, EVENTS, "cutover-service", null, metadata -> CutoverRejected.newBuilder().setMetadata(metadata)
                .setOperator("alice").setReason("replication lag 14 s is over the 1 s threshold").build());
        return this;
    }

    public CutoverScript stopped() {
        var stop = add(15, COMMANDS, "cutover-service", null, metadata -> StopTraffic.newBuilder().setMetadata(metadata).setTimeoutMs(5000).build());
        add(161, EVENTS, "cutover-service", stop, metadata -> TrafficStopped.newBuilder().setMetadata(metadata).setFenceLsn("0/1A2B3C8")
                .setRoles(List.of("shop_app")).setTerminatedSessions(8).setDurationMs(146).build());
        return this;
    }

    public CutoverScript fencedAndCaughtUp() {
        stopped();
        var write = add(163, COMMANDS, "cutover-service", null, metadata -> WriteCanary.newBuilder().setMetadata(metadata).build());
        add(207, EVENTS, "cutover-service", write, metadata -> CanaryWritten.newBuilder().setMetadata(metadata).setToken("c-42").setLsn("0/1A2B3F0").build());
        var await = add(209, COMMANDS, "cutover-service", null, metadata -> AwaitCatchUp.newBuilder().setMetadata(metadata)
                .setCanaryToken("c-42").setCanaryLsn("0/1A2B3F0").setTimeoutMs(10_000).build());
        add(256, EVENTS, "lag-monitor", await, metadata -> CanaryObserved.newBuilder().setMetadata(metadata).setToken("c-42").setLatencyMs(47)
                .setTargetLsn("0/5C01D28").build());
        var sync = add(258, COMMANDS, "cutover-service", null, metadata -> SyncSequences.newBuilder().setMetadata(metadata).setMargin(1000).build());
        add(319, EVENTS, "schema-service", sync, metadata -> SequencesSynced.newBuilder().setMetadata(metadata).setSequences(12).setMargin(1000)
                .setDurationMs(61).build());
        var open = add(321, COMMANDS, "cutover-service", null, metadata -> OpenTarget.newBuilder().setMetadata(metadata).build());
        add(364, EVENTS, "cutover-service", open, metadata -> TargetOpened.newBuilder().setMetadata(metadata).setRoles(List.of("shop_app")).build());
        return this;
    }

    public CutoverScript flippedAndCompleted() {
        var flip = add(366, COMMANDS, "cutover-service", null, metadata -> FlipDns.newBuilder().setMetadata(metadata).setRecord("db.shop.test.")
                .setExpectedTarget("127.0.0.2").setNewTarget("127.0.0.3").setTtlSeconds(1).build());
        add(398, EVENTS, "dns-switcher", flip, metadata -> DnsFlipped.newBuilder().setMetadata(metadata).setRecord("db.shop.test.")
                .setPrevious("127.0.0.2").setCurrent("127.0.0.3").setTtlSeconds(1).setEffectiveMs(32).build());
        add(573, EVENTS, "cutover-service", null, metadata -> TrafficResumed.newBuilder().setMetadata(metadata)
                .setFirstSessionAt(start.plusMillis(572)).setRole("shop_app").build());
        var steps = new LinkedHashMap<String, Long>();
        // Deliberately not in step order: the timeline must order them itself.
        steps.put("FLIP_DNS", 32L);
        steps.put("STOP_TRAFFIC", 146L);
        steps.put("SYNC_SEQUENCES", 61L);
        steps.put("WRITE_CANARY", 44L);
        steps.put("OPEN_TARGET", 43L);
        steps.put("AWAIT_CATCH_UP", 47L);
        add(575, EVENTS, "cutover-service", null, metadata -> CutoverCompleted.newBuilder().setMetadata(metadata).setDowntimeMs(412)
                .setStepDurationsMs(Map.copyOf(steps)).build());
        return this;
    }

    /**
     * The saga's own record of the switch, as it runs steps side by side: the flip, then traffic stopped with the
     * canary queued behind it, then the sequences while the canary travels; the sequences are done.
     */
    public CutoverScript stepsSideBySide() {
        step(15, "FLIP_DNS", true);
        step(40, "FLIP_DNS", false);
        step(40, "STOP_TRAFFIC", true);
        step(40, "WRITE_CANARY", true);
        step(161, "STOP_TRAFFIC", false);
        step(161, "SYNC_SEQUENCES", true);
        step(207, "WRITE_CANARY", false);
        step(207, "AWAIT_CATCH_UP", true);
        step(222, "SYNC_SEQUENCES", false);
        return this;
    }

    /** The saga's StepStarted or StepFinished for {@code step}, e.g. {@code STOP_TRAFFIC}. */
    public CutoverScript step(long atMs, String step, boolean started) {
        add(atMs, EVENTS, "cutover-service", null, metadata -> started
                ? StepStarted.newBuilder().setMetadata(metadata).setStep(step).build()
                : StepFinished.newBuilder().setMetadata(metadata).setStep(step).build());
        return this;
    }

    public CutoverScript fenceThenCanaryTimesOut() {
        stopped();
        var write = add(163, COMMANDS, "cutover-service", null, metadata -> WriteCanary.newBuilder().setMetadata(metadata).build());
        add(2163, EVENTS, "cutover-service", write, metadata -> StepFailed.newBuilder().setMetadata(metadata).setStep("WriteCanary")
                .setReason("the canary insert did not commit within 2 s").setRetryable(true).build());
        return this;
    }

    /** The fence's canary timed out and the saga began putting the source back. */
    public CutoverScript compensating() {
        add(2164, EVENTS, "cutover-service", null, metadata -> CompensationStarted.newBuilder().setMetadata(metadata)
                .setFailedStep("WRITE_CANARY").setReason("the canary insert did not commit within 2 s").build());
        return this;
    }

    public CutoverScript restored() {
        var restore = add(2165, COMMANDS, "cutover-service", null, metadata -> RestoreSource.newBuilder().setMetadata(metadata)
                .setReason("WriteCanary failed").build());
        add(2201, EVENTS, "cutover-service", restore, metadata -> SourceRestored.newBuilder().setMetadata(metadata).setRoles(List.of("shop_app")).build());
        return this;
    }

    public CutoverScript rolledBack() {
        add(2203, EVENTS, "cutover-service", null, metadata -> CutoverRolledBack.newBuilder().setMetadata(metadata).setFailedStep("WriteCanary")
                .setReason("the canary insert did not commit within 2 s").setDowntimeMs(2040).build());
        return this;
    }

    public CutoverScript aborted(long atMs, String operator) {
        add(atMs, COMMANDS, "cutoverctl", null, metadata -> AbortCutover.newBuilder().setMetadata(metadata).setOperator(operator)
                .setReason("the app team asked to wait").build());
        return this;
    }

    /** A minute after the start, a fallback asked for: it then completes, or rolls back at the catch-up. */
    public CutoverScript fallback(boolean completes) {
        fallbackAsked();
        if (completes) {
            add(60_700, EVENTS, "cutover-service", null, metadata -> FallbackCompleted.newBuilder()
                    .setMetadata(metadata).setDowntimeMs(310).build());
        } else {
            fallbackRollingBack(70_500);
            add(70_600, EVENTS, "cutover-service", null, metadata -> FallbackRolledBack.newBuilder()
                    .setMetadata(metadata).setFailedStep("AWAIT_CATCH_UP").setReason("stalled").setDowntimeMs(10_400)
                    .build());
        }
        return this;
    }

    /**
     * A minute after the start, a fallback asked for that rolls back at the catch-up: the target confirmed open, the
     * name not confirmed back on it, the DNS revert sent again at the rollback's deadline.
     */
    public CutoverScript fallbackAwaitingTheName() {
        fallbackAsked();
        fallbackRollingBack(70_500);
        add(70_550, EVENTS, "cutover-service", null, metadata -> FallbackRollbackPartDone.newBuilder()
                .setMetadata(metadata).setPart("OPEN_TARGET").build());
        fallbackRollingBack(100_500);
        return this;
    }

    private void fallbackAsked() {
        add(60_000, EVENTS, "cutover-service", null, metadata -> FallbackStarted.newBuilder().setMetadata(metadata)
                .setOperator("bob").setReason("plan regression").build());
        add(60_000, EVENTS, "cutover-service", null, metadata -> FallbackStepStarted.newBuilder().setMetadata(metadata)
                .setStep("PREFLIGHT").build());
    }

    private void fallbackRollingBack(long atMs) {
        add(atMs, EVENTS, "cutover-service", null, metadata -> FallbackRollingBack.newBuilder()
                .setMetadata(metadata).setFailedStep("AWAIT_CATCH_UP").setReason("stalled").build());
    }

    public List<Line> lines() {
        return List.copyOf(lines);
    }

    /** As the tool would read them: commands and events each in their own partition, offsets counting from 0. */
    public List<LoggedRecord> records() {
        return records(cutoverId, lines);
    }

    /** The lines as read back from the broker, keyed by {@code id}, at consecutive offsets per topic. */
    static List<LoggedRecord> records(String id, List<Line> lines) {
        var offsets = new LinkedHashMap<String, Long>();
        var records = new ArrayList<LoggedRecord>();
        for (var line : lines) {
            long offset = offsets.merge(line.topic(), 1L, Long::sum) - 1;
            var at = line.metadata().getOccurredAt();
            records.add(new Decoded(new Position(line.topic(), 0, offset, at.plusMillis(1)), id, line.message()));
        }
        return records;
    }

    public Instant at(long millis) {
        return start.plus(Duration.ofMillis(millis));
    }

    private Metadata add(long atMs, String topic, String producer, Metadata cause,
            Function<Metadata, SpecificRecord> message) {
        var metadata = Metadata.newBuilder()
                .setMessageId(UUID.randomUUID())
                .setCutoverId(cutoverId)
                .setDatabase(database)
                .setOccurredAt(at(atMs))
                .setCausationId(cause == null ? null : cause.getMessageId().toString())
                .setProducer(producer)
                .build();
        lines.add(new Line(topic, message.apply(metadata)));
        return metadata;
    }
}
