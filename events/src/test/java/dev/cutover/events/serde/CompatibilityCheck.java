package dev.cutover.events.serde;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaCompatibility.SchemaCompatibilityType;

/** Says, in words a reviewer can act on, which writer schemas a reader schema cannot read. */
final class CompatibilityCheck {

    private CompatibilityCheck() {
    }

    /**
     * One line per incompatibility, e.g. {@code "StartMigration v1: TYPE_MISMATCH at operator (/fields/1/type):
     * reader type: INT not compatible with writer type: STRING"}.
     */
    static List<String> problems(Schema reader, Map<String, Schema> writersByLabel) {
        var problems = new ArrayList<String>();
        writersByLabel.forEach((label, writer) -> {
            var result = SchemaCompatibility.checkReaderWriterCompatibility(reader, writer).getResult();
            if (result.getCompatibility() != SchemaCompatibilityType.COMPATIBLE) {
                result.getIncompatibilities().forEach(incompatibility -> problems.add(label + ": "
                        + incompatibility.getType() + " at " + fieldPath(reader, incompatibility.getLocation())
                        + " (" + incompatibility.getLocation() + "): " + incompatibility.getMessage()));
            }
        });
        return problems;
    }

    /** Turns Avro's JSON-pointer location ({@code /fields/1/type}) into field names ({@code operator}). */
    private static String fieldPath(Schema reader, String location) {
        var names = new ArrayList<String>();
        var schema = reader;
        var segments = location.split("/");
        for (int i = 0; i < segments.length; i++) {
            if (segments[i].equals("fields") && i + 1 < segments.length && schema.getType() == Schema.Type.RECORD) {
                var field = schema.getFields().get(Integer.parseInt(segments[++i]));
                names.add(field.name());
                schema = field.schema();
            } else if (segments[i].equals("items") && schema.getType() == Schema.Type.ARRAY) {
                schema = schema.getElementType();
            } else if (segments[i].equals("values") && schema.getType() == Schema.Type.MAP) {
                schema = schema.getValueType();
            } else if (schema.getType() == Schema.Type.UNION && segments[i].matches("\\d+")) {
                schema = schema.getTypes().get(Integer.parseInt(segments[i]));
            }
        }
        return names.isEmpty() ? "the record" : String.join(".", names);
    }
}
