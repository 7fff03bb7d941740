package dev.cutover.replicator;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.annotation.KafkaHandler;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;

import dev.cutover.events.CopyData;
import dev.cutover.events.FullLoadSized;
import dev.cutover.events.Metadata;
import dev.cutover.events.TableSize;
import dev.cutover.platform.MessagePublisher;
import dev.cutover.platform.database.DatabasePair;
import dev.cutover.platform.database.DatabasesSettings;
import dev.cutover.platform.database.LoadTables;

/**
 * Answers {@code CopyData} with {@code FullLoadSized} while the copy itself begins, in a consumer group of its own so
 * that it runs beside the copy rather than after it: the tables the load copies (the same list) and their size, which
 * is what lets an operator see how far a load of hours has got. Only a view: when it cannot measure, it says so in the
 * log and the copy goes on; a failure here must not reach the saga as the copy's StepFailed. A group without committed
 * offsets starts at the end of the topic: sizes measured now for the loads of the past would be wrong.
 */
@Component
@KafkaListener(topics = "cutover.commands", groupId = "replicator-load-size", properties = "auto.offset.reset=latest")
class LoadSizeListener {

    private static final Logger log = LoggerFactory.getLogger(LoadSizeListener.class);

    private final DatabasesSettings databases;
    private final MessagePublisher publisher;

    LoadSizeListener(DatabasesSettings databases, MessagePublisher publisher) {
        this.databases = databases;
        this.publisher = publisher;
    }

    @KafkaHandler
    void on(CopyData command) {
        Metadata cause = command.getMetadata();
        List<TableSize> sizes;
        try {
            sizes = measure(ReplicatorService.pair(databases, cause));
        } catch (SQLException | RuntimeException e) {
            log.warn("the full load of {} was not measured (its progress shows no total): {}", cause.getDatabase(),
                    e.getMessage());
            return;
        }
        publisher.publish(FullLoadSized.newBuilder().setMetadata(publisher.answering(cause)).setTables(sizes).build());
    }

    private static List<TableSize> measure(DatabasePair pair) throws SQLException {
        try (Connection source = pair.source().connect()) {
            return LoadTables.of(source, pair.schemasOn(source)).stream()
                    .map(table -> TableSize.newBuilder().setTable(table.qualifiedName()).setBytes(table.bytes()).build())
                    .toList();
        }
    }

    @KafkaHandler(isDefault = true)
    void ignore(Object other) {
    }
}
