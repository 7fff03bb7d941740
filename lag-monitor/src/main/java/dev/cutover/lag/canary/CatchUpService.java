package dev.cutover.lag.canary;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Service;

import dev.cutover.events.AwaitCatchUp;
import dev.cutover.events.CanaryObserved;
import dev.cutover.lag.engine.LagReader;
import dev.cutover.lag.engine.LagSample;
import dev.cutover.lag.engine.Lsn;
import dev.cutover.lag.engine.ReplicationEngine;
import dev.cutover.lag.handled.HandledMessages;
import dev.cutover.lag.heartbeat.Heartbeat;
import dev.cutover.lag.settings.LagSettings;
import dev.cutover.platform.MessagePublisher;
import dev.cutover.platform.StepFailure;
import dev.cutover.platform.database.DatabasePair;
import dev.cutover.platform.database.DatabasesSettings;
import dev.cutover.platform.database.WarmConnections;

/** Answers {@code AwaitCatchUp}: {@code CanaryObserved} once the target provably holds the canary, else a failure with figures. */
@Service
public class CatchUpService implements DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(CatchUpService.class);

    private final DatabasesSettings databases;
    private final LagSettings lagSettings;
    private final MessagePublisher publisher;
    private final Clock clock;
    private final CanaryWatch watch;
    private final HandledMessages handled = new HandledMessages(1_000);
    private final WarmConnections connections = new WarmConnections();
    private final ExecutorService warming = Executors.newVirtualThreadPerTaskExecutor();

    CatchUpService(DatabasesSettings databases, LagSettings lagSettings, MessagePublisher publisher, Clock clock) {
        this.databases = databases;
        this.lagSettings = lagSettings;
        this.publisher = publisher;
        this.clock = clock;
        this.watch = new CanaryWatch(clock);
    }

    /**
     * A cutover of {@code database} started: its wait for the canary comes within seconds, while every application
     * write waits, so the connections it needs log in now, and one wait for a canary nobody writes runs on them, in
     * the background. That first pass through the wait (the trigger checked or made, LISTEN, each query planned, the
     * code loaded) was measured at 120 ms between the command's arrival and the first look at the target, in a
     * process whose switch it was the first of; afterwards the wait only looks.
     */
    public void ready(String database) {
        if (!lagSettings.databases().containsKey(database)) {
            return;
        }
        // The wait leases both connections: logging in is part of readying it, and they are kept for the real one.
        warming.execute(() -> rehearseWait(database));
    }

    private void rehearseWait(String database) {
        try {
            // Already past its deadline: one look at each side, then TimedOut.
            await(database, "warm-up-" + UUID.randomUUID(), Optional.empty(), clock.instant());
        } catch (RuntimeException e) {
            // The real wait meets the same problem and reports it.
            log.debug("the canary wait of {} could not be readied: {}", database, e.getMessage());
        }
    }

    @Override
    public void destroy() {
        warming.shutdownNow();
        connections.close();
    }

    public void awaitCatchUp(AwaitCatchUp command) {
        if (handled.handled(String.valueOf(command.getMetadata().getMessageId()))) {
            log.info("AwaitCatchUp {} was handled already; ignoring the repeat", command.getMetadata().getMessageId());
            return;
        }
        String database = command.getMetadata().getDatabase();
        String token = command.getCanaryToken();
        // Sent beside the command that writes the canary, the wait has no LSN yet: it is read on the source later.
        Optional<Lsn> lsn = Optional.ofNullable(command.getCanaryLsn()).map(CharSequence::toString).map(Lsn::parse);
        // From the command's own time, so a redelivered command does not wait longer than the saga does.
        Instant deadline = command.getMetadata().getOccurredAt().plusMillis(command.getTimeoutMs());
        CanaryWatch.Outcome outcome = await(database, token, lsn, deadline);
        switch (outcome) {
            case CanaryWatch.Outcome.Observed observed -> {
                publisher.publish(CanaryObserved.newBuilder()
                        .setMetadata(publisher.answering(command.getMetadata()))
                        .setToken(token)
                        .setLatencyMs(observed.latency().toMillis())
                        .setTargetLsn(observed.targetLsn().toString())
                        .build());
                // Only success is remembered: the error handler's retries of a timeout must look again.
                handled.remember(String.valueOf(command.getMetadata().getMessageId()));
            }
            case CanaryWatch.Outcome.TimedOut timedOut -> throw new StepFailure("canary " + token
                    + " was not confirmed on the target within " + command.getTimeoutMs() + " ms: "
                    + timedOut.describe() + "; " + figures(database)
                    + ". Check that the subscription is enabled and its apply worker runs (target log), then retry.",
                    true);
        }
    }

    /** Waits for one canary of one database, on connections kept for it (the target's one LISTENs, then no more). */
    private CanaryWatch.Outcome await(String database, String token, Optional<Lsn> lsn, Instant deadline) {
        DatabasePair pair = databases.get(database);
        ReplicationEngine engine = lagSettings.get(database).replicationEngine(databases.replication(database));
        CanaryWatch.Positions positions = new CanaryWatch.Positions(
                engine instanceof ReplicationEngine.Native n ? Optional.of(n.subscription()) : Optional.empty(),
                engine.slot());
        try (WarmConnections.Lease target = connections.lease(pair.target());
                WarmConnections.Lease source = connections.lease(pair.source())) {
            CanaryWatch.installNotifyTrigger(target.connection());
            return watch.await(token, lsn, positions, deadline, target.connection(), source.connection());
        } catch (SQLException e) {
            boolean missing = Heartbeat.isMissingTable(e);
            throw new StepFailure("cannot watch for canary " + token + " of " + database + ": " + e.getMessage()
                    + (missing ? " (cutover.canary must exist on both sides: schema-service creates it)" : ""),
                    !missing, e);
        }
    }

    private String figures(String database) {
        DatabasePair pair = databases.get(database);
        LagReader reader = LagReader.of(lagSettings.get(database).replicationEngine(databases.replication(database)));
        try (Connection source = pair.source().connect(); Connection target = pair.target().connect()) {
            LagSample sample = reader.read(source, target, clock.instant())
                    .withHeartbeatLagMs(Heartbeat.lagOnTarget(target));
            return sample.describe();
        } catch (SQLException e) {
            return "lag figures unavailable (" + e.getMessage() + ")";
        }
    }
}
