package dev.cutover.ctl.replay;

import java.time.Instant;

import org.apache.avro.specific.SpecificRecord;

import dev.cutover.events.Messages;
import dev.cutover.events.Metadata;

/** A cutover message and where it was read. */
public record Decoded(Position position, String key, SpecificRecord message) implements LoggedRecord {

    public Decoded {
        if (message == null || message.getSchema().getField("metadata") == null) {
            throw new IllegalArgumentException("a cutover message with metadata is needed at " + position
                    + ", got " + (message == null ? "nothing" : message.getSchema().getFullName()));
        }
    }

    /** Every generated message class has {@code getMetadata()}, but no interface says so; the schema does. */
    public Metadata metadata() {
        return (Metadata) message.get(message.getSchema().getField("metadata").pos());
    }

    /** The type's short name, e.g. {@code TrafficStopped}. */
    public String type() {
        return message.getSchema().getName();
    }

    public Instant occurredAt() {
        return metadata().getOccurredAt();
    }

    public boolean isCommand() {
        return Messages.isCommand(message);
    }

    public boolean isEvent() {
        return Messages.isEvent(message);
    }
}
