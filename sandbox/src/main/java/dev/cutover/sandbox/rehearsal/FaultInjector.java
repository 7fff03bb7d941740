package dev.cutover.sandbox.rehearsal;

import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;

import org.apache.avro.specific.SpecificRecord;

import dev.cutover.events.StepStarted;
import dev.cutover.platform.KafkaProbe;
import dev.cutover.platform.MessagePublisher;

/**
 * Watches one cutover's messages on the bus from a thread of its own (with its own consumer) and injects a
 * {@link Fault} at the first message that triggers it, then heals it when the fault says.
 */
final class FaultInjector implements AutoCloseable {

    private static final Set<String> ENDS = Set.of("CutoverCompleted", "CutoverRolledBack", "CutoverRejected");

    private final Fault fault;
    private final Fault.Scene scene;
    private final String bootstrapServers;
    private final String cutoverId;
    private final PrintStream out;
    private final Thread thread;
    private volatile boolean stopping;
    private volatile Instant injectedAt;
    private volatile String trigger;
    private volatile Instant healedAt;
    private volatile String failure;

    FaultInjector(Fault fault, Fault.Scene scene, String bootstrapServers, String cutoverId, PrintStream out) {
        this.fault = fault;
        this.scene = scene;
        this.bootstrapServers = bootstrapServers;
        this.cutoverId = cutoverId;
        this.out = out;
        this.thread = Thread.ofPlatform().name("fault-" + fault.name()).daemon().unstarted(this::watch);
    }

    void start() {
        thread.start();
    }

    /** What happened, once {@link #close closed}. */
    FaultRun outcome() {
        return new FaultRun(fault, injectedAt, trigger, healedAt, failure);
    }

    private void watch() {
        try (KafkaProbe bus = new KafkaProbe(bootstrapServers)) {
            while (!stopping && healedAt == null && failure == null) {
                for (SpecificRecord message : bus.poll(Duration.ofMillis(50))) {
                    if (!cutoverId.equals(MessagePublisher.metadataOf(message).getCutoverId())) {
                        continue;
                    }
                    if (injectedAt == null && fault.triggeredBy(message)) {
                        inject(message);
                        if (fault.healing() == Fault.Healing.IMMEDIATELY) {
                            heal();
                        }
                    } else if (injectedAt != null && healedAt == null && heals(message)) {
                        heal();
                    }
                    if (healedAt != null || failure != null) {
                        break;
                    }
                }
            }
        } catch (RuntimeException e) {
            failure = "the fault's watcher failed: " + e;
        }
    }

    private boolean heals(SpecificRecord message) {
        String type = message.getSchema().getName();
        return switch (fault.healing()) {
            case IMMEDIATELY -> true;
            case AT_COMPENSATION -> ENDS.contains(type) || type.equals("CompensationStarted");
            case AT_THE_END -> ENDS.contains(type);
        };
    }

    private void inject(SpecificRecord message) {
        trigger = message instanceof StepStarted started ? "StepStarted(" + started.getStep() + ")" : message.getSchema().getName();
        long begin = System.nanoTime();
        try {
            fault.inject(scene);
            injectedAt = Instant.now();
            out.printf("  fault      %s injected on %s (%d ms)%n", fault.name(), trigger, (System.nanoTime() - begin) / 1_000_000);
        } catch (Exception e) {
            failure = "injecting " + fault.name() + " failed: " + e;
            out.printf("  fault      %s%n", failure);
        }
    }

    private synchronized void heal() {
        if (healedAt != null || injectedAt == null) {
            return;
        }
        long begin = System.nanoTime();
        try {
            fault.heal(scene);
            healedAt = Instant.now();
            out.printf("  fault      %s healed (%d ms)%n", fault.name(), (System.nanoTime() - begin) / 1_000_000);
        } catch (Exception e) {
            healedAt = Instant.now();
            failure = "healing " + fault.name() + " failed: " + e;
            out.printf("  fault      %s%n", failure);
        }
    }

    /** Stops watching and heals the fault if it is still in place. */
    @Override
    public void close() throws InterruptedException {
        stopping = true;
        thread.join(Duration.ofMinutes(2));
        heal();
    }

    /**
     * One fault's injection.
     *
     * @param injectedAt when it was injected; {@code null} if its trigger never came
     * @param trigger    the message that triggered it
     * @param healedAt   when it was undone
     * @param failure    what went wrong injecting or healing it; {@code null} if nothing
     */
    record FaultRun(Fault fault, Instant injectedAt, String trigger, Instant healedAt, String failure) {

        boolean injected() {
            return injectedAt != null;
        }
    }
}
