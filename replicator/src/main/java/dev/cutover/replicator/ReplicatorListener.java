package dev.cutover.replicator;

import org.springframework.kafka.annotation.KafkaHandler;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;

import dev.cutover.events.AwaitReverseCatchUp;
import dev.cutover.events.CopyData;
import dev.cutover.events.PrepareFallback;
import dev.cutover.events.RemoveFallback;
import dev.cutover.events.StartReverseReplication;
import dev.cutover.events.StartStreaming;
import dev.cutover.events.StopReplication;
import dev.cutover.events.StopReverseReplication;
import dev.cutover.events.VerifyData;

/**
 * The replicator's commands off {@code cutover.commands}; every other command belongs to another service. A command
 * such as {@code CopyData} runs for hours on the listener's thread; the consumer's heartbeats go on from their own
 * thread meanwhile, so the group can notice a dead instance after {@link #MEMBER_TIMEOUT} and hand its command to
 * another one, instead of Kafka's default 45 s.
 */
@Component
@KafkaListener(topics = "cutover.commands", groupId = "replicator", properties = {
        "session.timeout.ms=" + ReplicatorListener.MEMBER_TIMEOUT, "heartbeat.interval.ms=" + ReplicatorListener.HEARTBEAT})
class ReplicatorListener {

    /**
     * How long the group waits for a silent instance before giving its work to another (ms): the least a broker
     * allows by default ({@code group.min.session.timeout.ms}, 6 s) plus room for a long pause of the process.
     */
    static final String MEMBER_TIMEOUT = "10000";
    /** A third of {@link #MEMBER_TIMEOUT} or less, as Kafka requires; a heartbeat is a few bytes. */
    static final String HEARTBEAT = "1000";

    private final ReplicatorService service;

    ReplicatorListener(ReplicatorService service) {
        this.service = service;
    }

    @KafkaHandler
    void on(CopyData command) {
        service.copyData(command);
    }

    @KafkaHandler
    void on(StartStreaming command) {
        service.startStreaming(command);
    }

    @KafkaHandler
    void on(StopReplication command) {
        service.stopReplication(command);
    }

    @KafkaHandler
    void on(PrepareFallback command) {
        service.prepareFallback(command);
    }

    @KafkaHandler
    void on(StartReverseReplication command) {
        service.startReverseReplication(command);
    }

    @KafkaHandler
    void on(RemoveFallback command) {
        service.removeFallback(command);
    }

    @KafkaHandler
    void on(AwaitReverseCatchUp command) {
        service.awaitReverseCatchUp(command);
    }

    @KafkaHandler
    void on(StopReverseReplication command) {
        service.stopReverseReplication(command);
    }

    @KafkaHandler
    void on(VerifyData command) {
        service.verifyData(command);
    }

    @KafkaHandler(isDefault = true)
    void ignore(Object other) {
    }
}
