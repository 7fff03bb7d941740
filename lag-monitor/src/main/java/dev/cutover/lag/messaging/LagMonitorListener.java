package dev.cutover.lag.messaging;

import org.springframework.kafka.annotation.KafkaHandler;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;

import dev.cutover.events.AwaitCatchUp;
import dev.cutover.events.CutoverRolledBack;
import dev.cutover.events.CutoverStarted;
import dev.cutover.events.ReverseReplicationStarted;
import dev.cutover.events.SourceRestored;
import dev.cutover.events.StartReverseReplication;
import dev.cutover.events.TrafficStopped;
import dev.cutover.lag.canary.CatchUpService;
import dev.cutover.lag.monitor.LagMonitor;
import dev.cutover.lag.stale.StaleWriterService;

/**
 * The command lag-monitor owns, the event that readies it for a cutover (its gate's lag reading and its catch-up), and
 * the messages that start and end the watch for stale writers.
 */
@Component
@KafkaListener(topics = {"cutover.commands", "cutover.events"}, groupId = "lag-monitor")
class LagMonitorListener {

    private final CatchUpService catchUp;
    private final StaleWriterService staleWriters;
    private final LagMonitor lag;

    LagMonitorListener(CatchUpService catchUp, StaleWriterService staleWriters, LagMonitor lag) {
        this.catchUp = catchUp;
        this.staleWriters = staleWriters;
        this.lag = lag;
    }

    @KafkaHandler
    void on(AwaitCatchUp command) {
        catchUp.awaitCatchUp(command);
    }

    @KafkaHandler
    void on(CutoverStarted event) {
        lag.reportNow(event.getMetadata().getDatabase(), event.getMetadata());
        catchUp.ready(event.getMetadata().getDatabase());
    }

    @KafkaHandler
    void on(TrafficStopped event) {
        staleWriters.fenced(event.getMetadata(), event.getFenceLsn());
    }

    @KafkaHandler
    void on(SourceRestored event) {
        staleWriters.sourceServes(event.getMetadata());
    }

    @KafkaHandler
    void on(CutoverRolledBack event) {
        staleWriters.sourceServes(event.getMetadata());
    }

    @KafkaHandler
    void on(StartReverseReplication command) {
        staleWriters.sourceFollowsTarget(command.getMetadata());
    }

    @KafkaHandler
    void on(ReverseReplicationStarted event) {
        staleWriters.sourceFollowsTarget(event.getMetadata());
    }

    /** Commands owned by other services and events about other concerns. */
    @KafkaHandler(isDefault = true)
    void ignore(Object other) {
    }
}
