package dev.cutover.cutover.runner;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import org.apache.avro.specific.SpecificRecord;

import dev.cutover.cutover.saga.CutoverPolicy;
import dev.cutover.cutover.saga.DatabaseName;
import dev.cutover.cutover.saga.Step;
import dev.cutover.events.CanaryObserved;
import dev.cutover.events.CanaryWritten;
import dev.cutover.events.DnsFlipped;
import dev.cutover.events.DnsReverted;
import dev.cutover.events.DnsTtlChanged;
import dev.cutover.events.FallbackPrepared;
import dev.cutover.events.FallbackRemoved;
import dev.cutover.events.LagReported;
import dev.cutover.events.Metadata;
import dev.cutover.events.PreflightReported;
import dev.cutover.events.ReplicationStopped;
import dev.cutover.events.ReverseCaughtUp;
import dev.cutover.events.ReverseReplicationStarted;
import dev.cutover.events.SequencesSynced;
import dev.cutover.events.SourceRestored;
import dev.cutover.events.StartCutover;
import dev.cutover.events.StartFallback;
import dev.cutover.events.StepFailed;
import dev.cutover.events.TargetLocked;
import dev.cutover.events.TargetOpened;
import dev.cutover.events.TrafficResumed;
import dev.cutover.events.TrafficStopped;

/**
 * Made-up cutovers, as the messages the saga would receive, for {@link SagaRunner#warmUp}: one that completes and two
 * that roll back (a step failing, a step timing out), then three that complete with a fallback prepared and fall back:
 * one to the end, two rolled back (a step failing, with a part of the rollback sent again; a step timing out). The
 * switch is the first moment most of the saga's code runs in a process: each decision, each state, each encoding and
 * the first link of each pattern switch cost a few milliseconds the first time (5 to 40 ms per decision was measured in
 * a fresh JVM, under 1 ms afterwards), and there, every application write waits; a fallback's switch runs code of its
 * own ({@code FallbackDecider}, its states and events). Playing these at start-up moves that cost to where nobody
 * waits. They never leave memory.
 */
final class SagaWarmUp {

    static final DatabaseName DATABASE = new DatabaseName("warm-up");
    static final String CUTOVER_ID = "warm-up";
    static final SagaSettings.Dns DNS = new SagaSettings.Dns("db.warm-up.invalid.", "192.0.2.1", "192.0.2.2",
            Duration.ofSeconds(1), Duration.ofSeconds(300));
    static final Instant START = Instant.parse("2000-01-01T00:00:00Z");

    private static final String TOKEN = CUTOVER_ID + "-canary";
    private static final String OPENED_AT = "0/16B3900";
    private static final String REVERSE = "warm_up_rev";

    private SagaWarmUp() {
    }

    /**
     * One made-up cutover.
     *
     * @param prepareFallback whether its database prepares a fallback ({@code cutover.databases.<db>.fallback.prepare})
     * @param messages        what the saga receives, in order
     */
    record MadeUp(boolean prepareFallback, List<SpecificRecord> messages) {
    }

    /** @param policy the policy the scripts are played with: their timeouts are passed where a script times out */
    static List<MadeUp> scripts(String operator, CutoverPolicy policy) {
        return List.of(new MadeUp(false, completed(operator, false).messages),
                new MadeUp(false, failedAtTheFence(operator)),
                new MadeUp(false, timedOutAtTheFence(operator, policy.timeout(Step.STOP_TRAFFIC))),
                new MadeUp(true, fellBack(operator)),
                new MadeUp(true, fallbackFailedAtTheCatchUp(operator, policy.compensationTimeout())),
                new MadeUp(true, fallbackTimedOutAtTheCatchUp(operator, policy.timeout(Step.AWAIT_CATCH_UP))));
    }

    private static Script completed(String operator, boolean prepareFallback) {
        Script script = new Script();
        script.toTheSwitch(operator, prepareFallback);
        script.add(TrafficStopped.newBuilder().setMetadata(script.next()).setFenceLsn("0/16B3748")
                .setRoles(List.of("app")).setTerminatedSessions(8).setDurationMs(50).build());
        script.add(CanaryWritten.newBuilder().setMetadata(script.next()).setToken(TOKEN).setLsn("0/16B3800").build());
        script.add(SequencesSynced.newBuilder().setMetadata(script.next()).setSequences(5).setMargin(0)
                .setDurationMs(30).build());
        script.add(CanaryObserved.newBuilder().setMetadata(script.next()).setToken(TOKEN).setLatencyMs(2)
                .setTargetLsn("0/16B3800").build());
        script.add(TargetOpened.newBuilder().setMetadata(script.next()).setRoles(List.of("app"))
                .setWalPosition(prepareFallback ? OPENED_AT : null).build());
        script.add(TrafficResumed.newBuilder().setMetadata(script.next()).setFirstSessionAt(script.at())
                .setRole("app").build());
        script.add(DnsTtlChanged.newBuilder().setMetadata(script.next()).setRecord(DNS.record())
                .setPreviousTtlSeconds(1).setTtlSeconds(300).build());
        script.add(ReplicationStopped.newBuilder().setMetadata(script.next()).setSlot("warm_up")
                .setSubscription("warm_up").setSlotDropped(true).build());
        if (prepareFallback) {
            script.add(ReverseReplicationStarted.newBuilder().setMetadata(script.next()).setSubscription(REVERSE)
                    .setSlot(REVERSE).setPublication(REVERSE).setFromLsn(OPENED_AT).build());
        }
        return script;
    }

    private static List<SpecificRecord> fellBack(String operator) {
        Script script = completed(operator, true);
        script.toTheFallbacksCatchUp(operator);
        script.add(SequencesSynced.newBuilder().setMetadata(script.next()).setSequences(5).setMargin(0)
                .setDurationMs(30).build());
        script.add(ReverseCaughtUp.newBuilder().setMetadata(script.next()).setTargetLsn("0/17000000")
                .setConfirmedLsn("0/17000000").build());
        script.add(SourceRestored.newBuilder().setMetadata(script.next()).setRoles(List.of("app")).build());
        script.add(FallbackRemoved.newBuilder().setMetadata(script.next()).setSubscription(REVERSE)
                .setSubscriptionOutcome("DROPPED").setSlot(REVERSE).setSlotOutcome("DROPPED").setPublication(REVERSE)
                .setPublicationOutcome("DROPPED").build());
        return script.messages;
    }

    /**
     * The reverse replication fails to catch up: the name is confirmed back on the target, but not the target open
     * before the rollback's deadline, so only {@code OpenTarget} is sent again (a lag report that changes nothing
     * arrives after that deadline; the runner ticks after it).
     */
    private static List<SpecificRecord> fallbackFailedAtTheCatchUp(String operator, Duration compensationTimeout) {
        Script script = completed(operator, true);
        script.toTheFallbacksCatchUp(operator);
        script.add(StepFailed.newBuilder().setMetadata(script.next()).setStep("AwaitReverseCatchUp")
                .setReason("the reverse slot stayed behind").setRetryable(true).build());
        script.revertedToTheTarget();
        script.reverseLag(script.later(compensationTimeout.plusSeconds(1)));
        script.add(TargetOpened.newBuilder().setMetadata(script.next()).setRoles(List.of("app")).build());
        return script.messages;
    }

    /** The reverse catch-up never answers: its deadline has passed when the sequences' answer comes. */
    private static List<SpecificRecord> fallbackTimedOutAtTheCatchUp(String operator, Duration catchUpTimeout) {
        Script script = completed(operator, true);
        script.toTheFallbacksCatchUp(operator);
        script.add(SequencesSynced.newBuilder().setMetadata(script.later(catchUpTimeout.plusSeconds(1)))
                .setSequences(5).setMargin(0).setDurationMs(30).build());
        script.add(TargetOpened.newBuilder().setMetadata(script.next()).setRoles(List.of("app")).build());
        script.revertedToTheTarget();
        return script.messages;
    }

    private static List<SpecificRecord> failedAtTheFence(String operator) {
        Script script = new Script();
        script.toTheSwitch(operator, false);
        script.add(StepFailed.newBuilder().setMetadata(script.next()).setStep("StopTraffic")
                .setReason("role app is missing").setRetryable(false).build());
        script.reverted();
        script.add(SourceRestored.newBuilder().setMetadata(script.next()).setRoles(List.of("app")).build());
        return script.messages;
    }

    /** The fence never answers: its deadline has passed when the sequences' answer comes (the runner ticks after it). */
    private static List<SpecificRecord> timedOutAtTheFence(String operator, Duration fenceTimeout) {
        Script script = new Script();
        script.toTheSwitch(operator, false);
        script.add(SequencesSynced.newBuilder().setMetadata(script.later(fenceTimeout.plusSeconds(1))).setSequences(5)
                .setMargin(0).setDurationMs(30).build());
        script.reverted();
        script.add(SourceRestored.newBuilder().setMetadata(script.next()).setRoles(List.of("app")).build());
        return script.messages;
    }

    /** Messages of one made-up cutover, a millisecond apart. */
    private static final class Script {

        private final List<SpecificRecord> messages = new ArrayList<>();
        private Instant at = START;

        void toTheSwitch(String operator, boolean prepareFallback) {
            add(StartCutover.newBuilder().setMetadata(next()).setOperator(operator).setDryRun(false)
                    .setReason("warm-up").build());
            add(PreflightReported.newBuilder().setMetadata(next()).setScope("CUTOVER").setFindings(List.of())
                    .setBlockers(0).build());
            if (prepareFallback) {
                add(FallbackPrepared.newBuilder().setMetadata(next()).setPublication(REVERSE).setSlot(REVERSE)
                        .setSlotLsn("0/16B3000").build());
            }
            add(LagReported.newBuilder().setMetadata(next()).setEngine("warm-up").setState("STREAMING")
                    .setSlotLagBytes(0L).setHeartbeatLagMs(1L).build());
            add(DnsFlipped.newBuilder().setMetadata(next()).setRecord(DNS.record()).setPrevious(DNS.sourceAddress())
                    .setCurrent(DNS.targetAddress()).setTtlSeconds(1).setEffectiveMs(3).build());
        }

        /** The fallback asked for, its preflight passed, the name on the source and the target fenced. */
        void toTheFallbacksCatchUp(String operator) {
            add(StartFallback.newBuilder().setMetadata(next()).setOperator(operator).setReason("warm-up").build());
            reverseLag(next());
            add(DnsFlipped.newBuilder().setMetadata(next()).setRecord(DNS.record()).setPrevious(DNS.targetAddress())
                    .setCurrent(DNS.sourceAddress()).setTtlSeconds(1).setEffectiveMs(3).build());
            add(TargetLocked.newBuilder().setMetadata(next()).setRoles(List.of("app")).build());
        }

        void reverseLag(Metadata metadata) {
            add(LagReported.newBuilder().setMetadata(metadata).setEngine("warm-up").setState("STREAMING")
                    .setSlotLagBytes(0L).setDirection("REVERSE").build());
        }

        /** The fallback's flip was sent, so its rollback also waits for the name back on the target. */
        void revertedToTheTarget() {
            add(DnsReverted.newBuilder().setMetadata(next()).setRecord(DNS.record()).setPrevious(DNS.sourceAddress())
                    .setCurrent(DNS.targetAddress()).build());
        }

        /** The flip was sent, so the rollback also waits for the name back on the source. */
        void reverted() {
            add(DnsReverted.newBuilder().setMetadata(next()).setRecord(DNS.record()).setPrevious(DNS.targetAddress())
                    .setCurrent(DNS.sourceAddress()).build());
        }

        void add(SpecificRecord message) {
            messages.add(message);
        }

        Instant at() {
            return at;
        }

        Metadata next() {
            return later(Duration.ofMillis(1));
        }

        Metadata later(Duration after) {
            at = at.plus(after);
            return Metadata.newBuilder().setMessageId(UUID.randomUUID()).setCutoverId(CUTOVER_ID)
                    .setDatabase(DATABASE.value()).setOccurredAt(at).setProducer("warm-up").build();
        }
    }
}
