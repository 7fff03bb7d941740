package dev.cutover.events;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.UUID;

import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;

import dev.cutover.events.Messages.MessageType;

/**
 * Builds an instance of any message type from its schema, so that tests cover every type, including ones added after
 * these tests were written. Values are fixed (no clock, no randomness) because golden fixtures are written from them.
 */
public final class SampleMessages {

    public static final UUID MESSAGE_ID = UUID.fromString("3f1b9c3e-6a0d-4f5e-9a51-0c8f2d7e4b10");
    public static final Instant OCCURRED_AT = Instant.parse("2026-11-25T10:15:30.123Z");
    public static final Instant SOME_INSTANT = Instant.parse("2026-11-25T10:16:01.456Z");

    private SampleMessages() {
    }

    /** Every optional value set, every collection holding two elements. */
    public static SpecificRecord full(MessageType type) {
        return (SpecificRecord) value(type.schema(), type.name(), true);
    }

    /** Every optional value null, every collection empty, every number zero. */
    public static SpecificRecord minimal(MessageType type) {
        return (SpecificRecord) value(type.schema(), type.name(), false);
    }

    public static Metadata metadata() {
        return Metadata.newBuilder()
                .setMessageId(MESSAGE_ID)
                .setCutoverId("cutover-1")
                .setMigrationId("migration-1")
                .setDatabase("orders")
                .setOccurredAt(OCCURRED_AT)
                .setCausationId("9d2f5a61-1c4b-4e8a-b0f3-6e7d8c9a0b12")
                .setProducer("sample-producer")
                .build();
    }

    private static Object value(Schema schema, String name, boolean full) {
        return switch (schema.getType()) {
            case RECORD -> schema.getFullName().equals(Metadata.getClassSchema().getFullName())
                    ? metadata()
                    : record(schema, full);
            case UNION -> full ? value(nonNullBranch(schema), name, true) : null;
            case ENUM -> SpecificData.get().createEnum(schema.getEnumSymbols().getLast(), schema);
            case ARRAY -> {
                var elements = new ArrayList<Object>();
                if (full) {
                    elements.add(value(schema.getElementType(), name + "-1", true));
                    elements.add(value(schema.getElementType(), name + "-2", true));
                }
                yield elements;
            }
            case MAP -> {
                var entries = new LinkedHashMap<String, Object>();
                if (full) {
                    entries.put(name + "-a", value(schema.getValueType(), name, true));
                    entries.put(name + "-b", value(schema.getValueType(), name, true));
                }
                yield entries;
            }
            case STRING -> name + (full ? "-value" : "");
            case INT -> full ? 42 : 0;
            case LONG -> schema.getLogicalType() instanceof LogicalTypes.TimestampMillis
                    ? SOME_INSTANT
                    : (full ? 5_000_000_000L : 0L);
            case DOUBLE -> full ? 123.25 : 0.0;
            case BOOLEAN -> full;
            default -> throw new IllegalArgumentException("No sample for " + schema.getType() + " (field " + name
                    + "): teach SampleMessages this type");
        };
    }

    private static SpecificRecord record(Schema schema, boolean full) {
        var record = (SpecificRecord) SpecificData.getForSchema(schema).newRecord(null, schema);
        for (var field : schema.getFields()) {
            record.put(field.pos(), value(field.schema(), field.name(), full));
        }
        return record;
    }

    private static Schema nonNullBranch(Schema union) {
        List<Schema> branches = union.getTypes().stream().filter(branch -> branch.getType() != Schema.Type.NULL).toList();
        if (branches.size() != 1) {
            throw new IllegalArgumentException("Only [\"null\", X] unions are used in messages, found " + union);
        }
        return branches.getFirst();
    }
}
