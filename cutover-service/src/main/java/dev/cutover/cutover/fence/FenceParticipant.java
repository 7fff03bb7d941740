package dev.cutover.cutover.fence;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

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
import dev.cutover.platform.MessagePublisher;
import dev.cutover.platform.StepFailure;
import dev.cutover.platform.database.DatabasePair;
import dev.cutover.platform.database.DatabasesSettings;

/** Carries out the fence's commands and reports each outcome as an event answering the command. */
class FenceParticipant implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(FenceParticipant.class);

    private final Fence fence;
    private final DatabasesSettings databases;
    private final FenceSettings settings;
    private final MessagePublisher publisher;
    private final ExecutorService watchers = Executors.newVirtualThreadPerTaskExecutor();

    FenceParticipant(Fence fence, DatabasesSettings databases, FenceSettings settings, MessagePublisher publisher) {
        this.fence = fence;
        this.databases = databases;
        this.settings = settings;
        this.publisher = publisher;
    }

    void stopTraffic(StopTraffic command) {
        Fence.Stopped stopped = fence.stopTraffic(pair(command.getMetadata()), Duration.ofMillis(command.getTimeoutMs()));
        publisher.publish(TrafficStopped.newBuilder()
                .setMetadata(publisher.answering(command.getMetadata()))
                .setFenceLsn(stopped.fenceLsn())
                .setRoles(stopped.roles())
                .setTerminatedSessions(stopped.terminatedSessions())
                .setDurationMs(stopped.took().toMillis())
                .build());
    }

    void writeCanary(WriteCanary command) {
        // The command's id is the token: a repeated command writes the same row once.
        Fence.Canary canary = fence.writeCanary(pair(command.getMetadata()), command.getMetadata().getMessageId().toString());
        publisher.publish(CanaryWritten.newBuilder()
                .setMetadata(publisher.answering(command.getMetadata()))
                .setToken(canary.token())
                .setLsn(canary.lsn())
                .build());
    }

    void openTarget(OpenTarget command) {
        DatabasePair pair = pair(command.getMetadata());
        List<String> roles = fence.openTarget(pair);
        publisher.publish(TargetOpened.newBuilder()
                .setMetadata(publisher.answering(command.getMetadata()))
                .setRoles(roles)
                .build());
        watchers.submit(() -> reportFirstSession(command.getMetadata(), pair));
    }

    /** Locks the target again; the saga sends this before RestoreSource, so the two never both serve. */
    void lockTarget(LockTarget command) {
        List<String> roles = fence.lockTarget(pair(command.getMetadata()), settings.lockTimeout());
        publisher.publish(TargetLocked.newBuilder()
                .setMetadata(publisher.answering(command.getMetadata()))
                .setRoles(roles)
                .build());
    }

    /** Lets the applications back onto the source. */
    void restoreSource(RestoreSource command) {
        List<String> roles = fence.restoreSource(pair(command.getMetadata()));
        publisher.publish(SourceRestored.newBuilder()
                .setMetadata(publisher.answering(command.getMetadata()))
                .setRoles(roles)
                .build());
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

    @Override
    public void close() {
        watchers.shutdownNow();
    }
}
