package dev.cutover.ctl;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import org.apache.kafka.common.TopicPartition;

import dev.cutover.ctl.replay.Decoded;
import dev.cutover.ctl.replay.MigrationSummary;
import dev.cutover.events.StartMigration;
import dev.cutover.events.topic.Topics;

/** What the {@code migrate} commands share: which migration an operator means, and reading it. */
final class Migrations {

    private static final Duration POLL = Duration.ofMillis(200);

    static final Option MIGRATION = Option.valued("migration", "ID", "the migration id that migrate start printed");

    private Migrations() {
    }

    static MigrationSummary read(Session session, String migrationId) {
        try (var log = new MessageLog(session.kafka(), migrationId)) {
            return MigrationSummary.of(migrationId, log.readToEnd());
        }
    }

    /** {@code --migration}, or with {@code --database} the newest migration of that database. */
    static Optional<String> chosen(Arguments arguments, Session session) {
        var id = arguments.optional("migration");
        var database = arguments.optional("database");
        if (id.isPresent() == database.isPresent()) {
            throw new UsageException("give either --migration ID or --database NAME (its newest migration)");
        }
        return id.isPresent() ? Optional.of(CutoverIds.check(id.get(), "--migration")) : newestOf(session, database.get());
    }

    /**
     * The newest StartMigration of a database: there is no index by database, so every partition of
     * {@code cutover.commands} is read, which takes as long as the topic is large.
     */
    static Optional<String> newestOf(Session session, String database) {
        try (var consumer = session.kafka().consumer()) {
            var partitions = consumer.partitionsFor(Topics.COMMANDS.name()).stream()
                    .map(info -> new TopicPartition(info.topic(), info.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            var end = consumer.endOffsets(partitions);
            var decoder = new RecordDecoder();
            String newest = null;
            Instant newestAt = Instant.MIN;
            while (end.entrySet().stream().anyMatch(partition -> consumer.position(partition.getKey()) < partition.getValue())) {
                for (var record : consumer.poll(POLL)) {
                    if (decoder.decode(record) instanceof Decoded decoded && decoded.message() instanceof StartMigration
                            && database.equals(decoded.metadata().getDatabase())
                            && decoded.occurredAt().isAfter(newestAt)) {
                        newest = decoded.metadata().getMigrationId();
                        newestAt = decoded.occurredAt();
                    }
                }
            }
            return Optional.ofNullable(newest);
        }
    }

    /** {@code --migration} or {@code --database}, for the commands that find the newest migration of a database. */
    static List<Option> chooser() {
        return List.of(MIGRATION,
                Option.valued("database", "NAME", "instead of --migration: the newest migration of this database"));
    }
}
