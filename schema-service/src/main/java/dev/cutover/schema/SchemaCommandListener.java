package dev.cutover.schema;

import org.springframework.kafka.annotation.KafkaHandler;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;

import dev.cutover.events.ApplySchema;
import dev.cutover.events.CheckPreflight;
import dev.cutover.events.SyncSequences;
import dev.cutover.events.VerifySchema;

/** The service's commands from Kafka, one call each; commands for other services are ignored. */
@Component
@KafkaListener(topics = "cutover.commands", groupId = "schema-service")
class SchemaCommandListener {

    private final SchemaCommands commands;

    SchemaCommandListener(SchemaCommands commands) {
        this.commands = commands;
    }

    @KafkaHandler
    void on(CheckPreflight command) {
        commands.checkPreflight(command);
    }

    @KafkaHandler
    void on(ApplySchema command) {
        commands.applySchema(command);
    }

    @KafkaHandler
    void on(VerifySchema command) {
        commands.verifySchema(command);
    }

    @KafkaHandler
    void on(SyncSequences command) {
        commands.syncSequences(command);
    }

    @KafkaHandler(isDefault = true)
    void ignore(Object other) {
        // Every service reads cutover.commands; the commands of the others are theirs.
    }
}
