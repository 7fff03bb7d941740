package dev.cutover.cutover.runner;

import java.time.Instant;

import dev.cutover.events.Metadata;
import dev.cutover.platform.MessagePublisher;

/**
 * The metadata of what a saga writes. The cause may belong to no saga (a lag report, a tick), so the saga's own id
 * and database are always set, and the time is the decision's, which deadlines are later derived from.
 */
public final class SagaMetadata {

    private SagaMetadata() {
    }

    /**
     * @param cause       the message decided on, or null for a deadline
     * @param cutoverId   the cutover's id, or null for a migration
     * @param migrationId the migration's id, or null for a cutover
     */
    public static Metadata of(MessagePublisher publisher, Metadata cause, String database, String cutoverId,
            String migrationId, Instant at) {
        Metadata base = cause == null
                ? publisher.originating(database, cutoverId, migrationId)
                : publisher.answering(cause);
        return Metadata.newBuilder(base)
                .setCutoverId(cutoverId)
                .setMigrationId(migrationId)
                .setDatabase(database)
                .setOccurredAt(at)
                .build();
    }
}
