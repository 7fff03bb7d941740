package dev.cutover.cutover.saga;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * What every message carries besides its meaning, kept apart so the decider's records hold only what it decides on.
 *
 * @param causationId the message this one answers, empty for what ops started
 */
public record Envelope<T>(UUID messageId, CutoverId cutoverId, Optional<UUID> causationId, Instant occurredAt, T payload) {

    public Envelope {
        Objects.requireNonNull(messageId, "messageId must not be null");
        Objects.requireNonNull(cutoverId, "cutoverId must not be null");
        Objects.requireNonNull(causationId, "causationId must not be null");
        Objects.requireNonNull(occurredAt, "occurredAt must not be null");
        Objects.requireNonNull(payload, "payload must not be null");
    }
}
