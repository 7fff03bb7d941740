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

/** The replicator's commands off {@code cutover.commands}; every other command belongs to another service. */
@Component
@KafkaListener(topics = "cutover.commands", groupId = "replicator")
class ReplicatorListener {

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
