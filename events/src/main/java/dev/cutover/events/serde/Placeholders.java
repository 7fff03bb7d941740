package dev.cutover.events.serde;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import org.apache.avro.LogicalType;
import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;

import dev.cutover.events.Messages;
import dev.cutover.events.Messages.MessageType;

/**
 * A message of every type with a placeholder in every field (null where null is allowed, else zero, empty or the first
 * symbol), written and read once so that the first real one of each type costs what every later one costs. At the
 * switch, while applications wait, each hop would otherwise pay for its types' first use: Avro's writer and reader
 * plans, the schema resolution per thread, class loading.
 */
final class Placeholders {

    private Placeholders() {
    }

    /** One placeholder per message type; a type whose schema this cannot fill is left out (warming is best effort). */
    static List<SpecificRecord> ofEveryType() {
        List<SpecificRecord> messages = new ArrayList<>();
        for (MessageType type : Messages.all()) {
            of(type.schema()).ifPresent(messages::add);
        }
        return messages;
    }

    static Optional<SpecificRecord> of(Schema schema) {
        try {
            return Optional.of(record(schema));
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }

    private static SpecificRecord record(Schema schema) {
        SpecificRecord record = (SpecificRecord) SpecificData.getForSchema(schema).newRecord(null, schema);
        for (Schema.Field field : schema.getFields()) {
            record.put(field.pos(), value(field.schema()));
        }
        return record;
    }

    private static Object value(Schema schema) {
        LogicalType logical = schema.getLogicalType();
        if (logical != null) {
            return switch (logical.getName()) {
                case "uuid" -> new UUID(0, 0);
                case "timestamp-millis" -> Instant.EPOCH;
                default -> throw new IllegalArgumentException("no placeholder for logical type " + logical.getName());
            };
        }
        return switch (schema.getType()) {
            case RECORD -> record(schema);
            case UNION -> schema.getTypes().stream().anyMatch(branch -> branch.getType() == Schema.Type.NULL) ? null
                    : value(schema.getTypes().getFirst());
            case STRING -> "";
            case INT -> 0;
            case LONG -> 0L;
            case BOOLEAN -> false;
            case DOUBLE -> 0.0;
            case FLOAT -> 0.0f;
            case ARRAY -> List.of();
            case MAP -> Map.of();
            case ENUM -> SpecificData.get().createEnum(schema.getEnumSymbols().getFirst(), schema);
            case NULL -> null;
            case BYTES, FIXED -> throw new IllegalArgumentException("no placeholder for " + schema.getType());
        };
    }
}
