package dev.cutover.events;

import java.time.Clock;
import java.util.Objects;
import java.util.UUID;

/**
 * Makes the {@link Metadata} of the messages one service writes: a fresh message id, the service's name and the
 * time from its clock.
 */
public final class MetadataFactory {

    private final String producer;
    private final Clock clock;

    public MetadataFactory(String producer, Clock clock) {
        this.producer = requireText(producer, "producer");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** Metadata for a message in answer to {@code cause}: same database, cutover and migration, caused by it. */
    public Metadata answering(Metadata cause) {
        return of(cause.getDatabase(), cause.getCutoverId(), cause.getMigrationId(),
                cause.getMessageId().toString());
    }

    /** Metadata for a message that starts something (an operator's command, a timer) within a cutover. */
    public Metadata forCutover(String database, String cutoverId) {
        return of(database, requireText(cutoverId, "cutoverId"), null, null);
    }

    /** Metadata for a message that starts something within a migration. */
    public Metadata forMigration(String database, String migrationId) {
        return of(database, null, requireText(migrationId, "migrationId"), null);
    }

    /** Metadata with every field chosen by the caller; cutoverId, migrationId and causationId may be null. */
    public Metadata of(String database, String cutoverId, String migrationId, String causationId) {
        return Metadata.newBuilder()
                .setMessageId(UUID.randomUUID())
                .setDatabase(requireText(database, "database"))
                .setCutoverId(cutoverId)
                .setMigrationId(migrationId)
                .setCausationId(causationId)
                .setOccurredAt(clock.instant())
                .setProducer(producer)
                .build();
    }

    private static String requireText(String value, String name) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(name + " must not be blank, was " + (value == null ? "null" : "'" + value + "'"));
        }
        return value;
    }
}
