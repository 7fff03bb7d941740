package dev.cutover.cutover.fence;

import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.FutureTask;
import java.util.concurrent.RejectedExecutionException;

import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;

import dev.cutover.events.CanaryWritten;
import dev.cutover.events.LockTarget;
import dev.cutover.events.Metadata;
import dev.cutover.events.OpenTarget;
import dev.cutover.events.RestoreSource;
import dev.cutover.events.SourceRestored;
import dev.cutover.events.StepFailed;
import dev.cutover.events.StopTraffic;
import dev.cutover.events.TargetLocked;
import dev.cutover.events.TargetOpened;
import dev.cutover.events.TrafficResumed;
import dev.cutover.events.TrafficStopped;
import dev.cutover.events.WriteCanary;
import dev.cutover.cutover.runner.LocalParticipants;
import dev.cutover.events.serde.AvroMessageDeserializer;
import dev.cutover.events.serde.AvroMessageSerializer;
import dev.cutover.platform.MessagePublisher;
import dev.cutover.platform.Overtaken;
import dev.cutover.platform.StepFailure;
import dev.cutover.platform.database.DatabasePair;
import dev.cutover.platform.database.DatabasesSettings;

/**
 * Carries out the fence's commands and reports each outcome as an event answering the command. The watcher for the
 * first application session on an opened target runs on the instance that handled {@code OpenTarget}, and only while
 * that instance holds the command's partition: when the partition moves it stops without reporting anything, and the
 * saga, which hears nothing, sends {@code OpenTarget} again at the step's deadline, to the partition's new holder.
 */
class FenceParticipant implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(FenceParticipant.class);

    private final Fence fence;
    private final DatabasesSettings databases;
    private final FenceSettings settings;
    private final MessagePublisher publisher;
    private final ExecutorService watchers = Executors.newVirtualThreadPerTaskExecutor();
    private final Map<Integer, Set<FutureTask<Void>>> watching = new ConcurrentHashMap<>();
    private final EarlyCommands early = new EarlyCommands();
    private final Overtaken overtaken;

    FenceParticipant(Fence fence, DatabasesSettings databases, FenceSettings settings, MessagePublisher publisher) {
        this.fence = fence;
        this.databases = databases;
        this.settings = settings;
        this.publisher = publisher;
        this.overtaken = new Overtaken(settings.overtakenAfter(), "cutover.fence.overtaken-after");
    }

    /**
     * A switch command that reaches the fence after {@code cutover.fence.overtaken-after} has been overtaken: the saga
     * gave it up at its step's deadline and went on (rolled back, or sent it again), and carried out now it would undo
     * that, e.g. lock the application out of a source the rollback reopened. This happens to an instance that was
     * paused (a stalled VM, a long GC) after taking the command and resumed after another instance took its saga over:
     * Kafka refuses its commits, but nothing stops its SQL. The way back ({@code RestoreSource}, {@code LockTarget}) is
     * never refused: it only ever makes fewer clients able to write in two places.
     */
    private void refuseIfOvertaken(SpecificRecord command) {
        if (takenEarly(command)) {
            overtaken.refuseIfOlder(command, fence.now(), "nothing was changed",
                    "if this instance was paused, check its host");
        }
    }

    /** A command carried out: its answer, and what to do once the answer is published. */
    record Carried(SpecificRecord answer, Optional<Runnable> afterPublishing) {
    }

    /**
     * Carries out one of the fence's commands ({@link FenceListener#handles}).
     *
     * @param partition the command's partition of {@code cutover.commands}
     */
    Carried carryOut(SpecificRecord command, int partition) {
        refuseIfOvertaken(command);
        return switch (command) {
            case StopTraffic stop -> new Carried(stopTraffic(stop), Optional.empty());
            case WriteCanary canary -> new Carried(writeCanary(canary), Optional.empty());
            case OpenTarget open -> new Carried(openTarget(open),
                    Optional.of(() -> watchFirstSession(open, partition)));
            case LockTarget lock -> new Carried(lockTarget(lock), Optional.empty());
            case RestoreSource restore -> new Carried(restoreSource(restore), Optional.empty());
            default -> throw new IllegalArgumentException(MessagePublisher.describe(command)
                    + " is not a command of the fence");
        };
    }

    /**
     * Whether the fence may take {@code command} as soon as the saga in this process committed it (decision 63): only
     * the switch's forward commands, which the saga sends one decision after the answer to the one before. The way back
     * ({@code RestoreSource}, {@code LockTarget}) always goes through the listener, in the log's order, behind any
     * forward command the listener is still retrying.
     */
    static boolean takenEarly(SpecificRecord command) {
        return command instanceof StopTraffic || command instanceof WriteCanary || command instanceof OpenTarget;
    }

    /** The saga is writing {@code command}: the listener, should it read it, waits for what happens here. */
    void claimEarly(SpecificRecord command) {
        early.claim(id(command));
    }

    /** {@code command} is not carried out here after all: the listener carries it out. */
    void leaveToListener(SpecificRecord command) {
        early.release(id(command));
    }

    /**
     * Carries out, as soon as the saga in this process committed them, {@code commands} (claimed when they were sent,
     * {@link #claimEarly}), in order and on a thread of their own, and publishes their answers together, as the
     * listener does with a poll. The listener, reading them from Kafka afterwards, waits for the outcome here and
     * skips those carried out; one that failed here is carried out there, with the retries and the {@code StepFailed}
     * of every command.
     */
    void carryOutEarly(List<LocalParticipants.Committed> commands) {
        if (commands.isEmpty()) {
            return;
        }
        List<CompletableFuture<Boolean>> outcomes = commands.stream()
                .map(committed -> early.claim(id(committed.command()))).toList();
        try {
            early.execute(() -> carryOutEarly(commands, outcomes));
        } catch (RejectedExecutionException e) {
            // Closing: the listener carries them out, if this instance still reads them.
            outcomes.forEach(outcome -> outcome.complete(false));
        }
    }

    private void carryOutEarly(List<LocalParticipants.Committed> ours, List<CompletableFuture<Boolean>> outcomes) {
        int done = 0;
        try {
            List<SpecificRecord> answers = new ArrayList<>();
            List<Runnable> afterPublishing = new ArrayList<>();
            try {
                for (LocalParticipants.Committed committed : ours) {
                    Carried carried = carryOut(committed.command(), committed.partition());
                    answers.add(carried.answer());
                    carried.afterPublishing().ifPresent(afterPublishing::add);
                    done++;
                }
            } catch (RuntimeException e) {
                log.info("{} was not carried out as soon as it was committed ({}); the fence's listener carries it out"
                        + " from Kafka", MessagePublisher.describe(ours.get(done).command()), e.getMessage());
            }
            try {
                publish(answers);
                afterPublishing.forEach(Runnable::run);
            } catch (RuntimeException e) {
                log.info("the answers of commands carried out as soon as they were committed were not published ({});"
                        + " the fence's listener carries them out again from Kafka", e.getMessage());
                done = 0;
            }
            early.carriedOut(done);
        } finally {
            // Whatever happened, the listener must not wait for ever: what was not done here, it does.
            for (int i = 0; i < outcomes.size(); i++) {
                outcomes.get(i).complete(i < done);
            }
        }
    }

    /** How many commands were carried out as soon as the saga committed them, since start-up. */
    long carriedOutEarly() {
        return early.carriedOut();
    }

    /**
     * Whether {@code command} was carried out as soon as it was committed ({@link #carryOutEarly}): waits for that to
     * finish, so that the listener never runs it beside it.
     */
    boolean carriedOutEarly(SpecificRecord command) {
        return early.outcome(id(command));
    }

    private static UUID id(SpecificRecord command) {
        return MessagePublisher.metadataOf(command).getMessageId();
    }

    /** Each command's answer is returned, to be published with those of the commands that arrived beside it. */
    SpecificRecord stopTraffic(StopTraffic command) {
        return trafficStopped(command.getMetadata(),
                fence.stopTraffic(pair(command.getMetadata()), Duration.ofMillis(command.getTimeoutMs())));
    }

    private SpecificRecord trafficStopped(Metadata command, Fence.Stopped stopped) {
        return TrafficStopped.newBuilder()
                .setMetadata(publisher.answering(command))
                .setFenceLsn(stopped.fenceLsn())
                .setRoles(stopped.roles())
                .setTerminatedSessions(stopped.terminatedSessions())
                .setDurationMs(stopped.took().toMillis())
                .build();
    }

    SpecificRecord writeCanary(WriteCanary command) {
        // The saga names the token (version 1 of the command did not: its id is the token then). A repeated command
        // writes the same row once.
        String token = command.getToken() != null ? command.getToken().toString()
                : command.getMetadata().getMessageId().toString();
        return canaryWritten(command.getMetadata(), fence.writeCanary(pair(command.getMetadata()), token));
    }

    private SpecificRecord canaryWritten(Metadata command, Fence.Canary canary) {
        return CanaryWritten.newBuilder()
                .setMetadata(publisher.answering(command))
                .setToken(canary.token())
                .setLsn(canary.lsn())
                .build();
    }

    SpecificRecord openTarget(OpenTarget command) {
        return targetOpened(command.getMetadata(), fence.openTarget(pair(command.getMetadata())));
    }

    private SpecificRecord targetOpened(Metadata command, Fence.Opened opened) {
        return TargetOpened.newBuilder()
                .setMetadata(publisher.answering(command))
                .setRoles(opened.roles())
                .setWalPosition(opened.walPosition().orElse(null))
                .build();
    }

    /**
     * Watches an opened target for the first application session, once {@code TargetOpened} is published.
     *
     * @param partition the command's partition: the watcher lives as long as this instance holds it
     */
    void watchFirstSession(OpenTarget command, int partition) {
        DatabasePair pair = pair(command.getMetadata());
        watch(partition, () -> reportFirstSession(command.getMetadata(), pair));
    }

    /** Publishes answers together: all sent, then all acknowledged. */
    void publish(List<SpecificRecord> answers) {
        if (!answers.isEmpty()) {
            publisher.publishAll(answers);
        }
    }

    private void watch(int partition, Runnable watcher) {
        Set<FutureTask<Void>> tasks = watching.computeIfAbsent(partition, p -> ConcurrentHashMap.newKeySet());
        FutureTask<Void> task = new FutureTask<>(watcher, null);
        tasks.add(task);
        watchers.execute(() -> {
            try {
                task.run();
            } finally {
                tasks.remove(task);
            }
        });
    }

    /** The partitions moved to another instance (or this one stops): their watchers stop and report nothing. */
    void stopWatching(Collection<Integer> partitions) {
        for (int partition : partitions) {
            Set<FutureTask<Void>> tasks = watching.getOrDefault(partition, Set.of());
            if (!tasks.isEmpty()) {
                log.info("stopping {} watcher(s) for the first application session: partition {} of the fence's"
                        + " commands moved", tasks.size(), partition);
                tasks.forEach(task -> task.cancel(true));
            }
        }
    }

    /** Watchers started from {@code partition} that have not finished yet. */
    int watchers(int partition) {
        return watching.getOrDefault(partition, Set.of()).size();
    }

    /** Locks the target again; the saga sends this before RestoreSource, so the two never both serve. */
    SpecificRecord lockTarget(LockTarget command) {
        List<String> roles = fence.lockTarget(pair(command.getMetadata()), settings.lockTimeout());
        return TargetLocked.newBuilder()
                .setMetadata(publisher.answering(command.getMetadata()))
                .setRoles(roles)
                .build();
    }

    /** Lets the applications back onto the source. */
    SpecificRecord restoreSource(RestoreSource command) {
        return sourceRestored(command.getMetadata(), fence.restoreSource(pair(command.getMetadata())));
    }

    private SpecificRecord sourceRestored(Metadata command, List<String> roles) {
        return SourceRestored.newBuilder()
                .setMetadata(publisher.answering(command))
                .setRoles(roles)
                .build();
    }

    /**
     * The fence's commands decoded, dispatched as the listener dispatches them, and their answers built and encoded,
     * once each with made-up values: the first {@code StopTraffic} of a process was measured to spend a second on a
     * busy host loading and first running that code (Avro's decoders and encoders among it), before the fence began.
     * Nothing is sent, and no server is touched.
     *
     * @return the answers, as encoded
     */
    List<byte[]> playMessages() {
        AvroMessageSerializer encoder = new AvroMessageSerializer();
        AvroMessageDeserializer decoder = new AvroMessageDeserializer();
        Metadata made = Metadata.newBuilder().setMessageId(UUID.randomUUID()).setDatabase("warm-up")
                .setOccurredAt(Instant.now()).setProducer("warm-up").build();
        List<SpecificRecord> commands = List.of(
                StopTraffic.newBuilder().setMetadata(made).setTimeoutMs(1).build(),
                WriteCanary.newBuilder().setMetadata(made).setToken("warm-up").build(),
                OpenTarget.newBuilder().setMetadata(made).build(),
                LockTarget.newBuilder().setMetadata(made).build(),
                RestoreSource.newBuilder().setMetadata(made).setReason("warm-up").build());
        for (SpecificRecord command : commands) {
            RecordHeaders headers = new RecordHeaders();
            SpecificRecord decoded = decoder.deserialize("cutover.commands", headers,
                    encoder.serialize("cutover.commands", headers, command));
            if (!FenceListener.handles(decoded)) {
                throw new IllegalStateException("the warm-up's " + MessagePublisher.describe(decoded)
                        + " is not a command of the fence");
            }
        }
        List<String> roles = List.of("warm-up");
        List<SpecificRecord> answers = List.of(
                trafficStopped(made, new Fence.Stopped("0/0", roles, 0, Duration.ZERO)),
                canaryWritten(made, new Fence.Canary("warm-up", "0/0")),
                targetOpened(made, new Fence.Opened(roles, Optional.of("0/0"))),
                sourceRestored(made, roles));
        return answers.stream().map(answer -> encoder.serialize("cutover.events", new RecordHeaders(), answer)).toList();
    }

    private void reportFirstSession(Metadata opened, DatabasePair pair) {
        try {
            Instant first = fence.awaitFirstSession(pair, settings.awaitTrafficTimeout());
            publisher.publish(TrafficResumed.newBuilder()
                    .setMetadata(publisher.answering(opened))
                    .setFirstSessionAt(first)
                    .setRole(null)
                    .build());
        } catch (StepFailure failure) {
            if (Thread.currentThread().isInterrupted()) {
                // Stopped on purpose: whoever holds the partition now answers the saga's next OpenTarget.
                return;
            }
            log.warn("traffic did not resume on {}: {}", pair.target().describe(), failure.getMessage());
            publisher.publish(StepFailed.newBuilder()
                    .setMetadata(publisher.answering(opened))
                    .setStep("AwaitTraffic")
                    .setReason(failure.getMessage())
                    .setRetryable(failure.retryable())
                    .build());
        }
    }

    private DatabasePair pair(Metadata metadata) {
        return databases.get(metadata.getDatabase());
    }

    /**
     * Its answers go out through a publisher of its own, readied once the topics exist; and the fence of every
     * configured database is readied ({@link #ready(String)}).
     */
    @EventListener(ApplicationReadyEvent.class)
    void warm() {
        publisher.warm();
        try {
            playMessages();
        } catch (RuntimeException e) {
            log.warn("the fence's messages could not be played at start-up, so the first StopTraffic runs their code"
                    + " for the first time: {}", e.getMessage(), e);
        }
        databases.databases().keySet().forEach(this::ready);
    }

    /**
     * Readies the fence of {@code database} ({@link Fence#ready}) and the thread its first-session watcher runs on, at
     * start-up and again when a cutover of it starts: an idle connection may have been closed since (a restarted
     * server, an idle timeout), and the switch must not be what logs in again. Never fails: a server that cannot be
     * reached now is reached, and reported, by the step that needs it.
     */
    void ready(String database) {
        long start = System.nanoTime();
        try {
            fence.ready(databases.get(database));
            watchers.submit(() -> { }).get();
            log.info("fence of {} ready: admin connections to the source and the target open, took {} ms", database,
                    (System.nanoTime() - start) / 1_000_000);
        } catch (SQLException | RuntimeException | ExecutionException e) {
            log.warn("fence of {} not readied ({}): its next step logs in itself", database, e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        early.close();
        watchers.shutdownNow();
        fence.close();
        publisher.close();
    }
}
