package dev.cutover.ctl.replay;

import java.nio.ByteBuffer;
import java.time.Instant;
import java.time.temporal.TemporalAccessor;
import java.util.Base64;
import java.util.Collection;
import java.util.Map;
import java.util.UUID;

import org.apache.avro.generic.GenericEnumSymbol;
import org.apache.avro.generic.GenericFixed;
import org.apache.avro.generic.IndexedRecord;

/**
 * Writes JSON from plain Java values and Avro's: records as objects by field name, unions as their value, times as
 * ISO-8601 strings, bytes as base64. Avro's own JSON encoder wraps every union value in an object named after its
 * branch (<code>{"string": "x"}</code>), which dashboards and {@code jq} users would have to unwrap.
 */
public final class Json {

    private Json() {
    }

    /** Already-valid JSON text to embed as it is, e.g. a schema from {@code cutover.schemas}. */
    public record Raw(String json) {
    }

    public static String write(Object value) {
        var out = new StringBuilder();
        write(value, out);
        return out.toString();
    }

    /** A JSON string literal. */
    public static String quote(String text) {
        var out = new StringBuilder();
        quote(text, out);
        return out.toString();
    }

    private static void write(Object value, StringBuilder out) {
        switch (value) {
            case null -> out.append("null");
            case Raw raw -> out.append(raw.json());
            case CharSequence text -> quote(text.toString(), out);
            case Boolean bool -> out.append(bool);
            case Double number when number.isNaN() || number.isInfinite() -> quote(number.toString(), out);
            case Float number when number.isNaN() || number.isInfinite() -> quote(number.toString(), out);
            case Number number -> out.append(number);
            case Instant instant -> quote(instant.toString(), out);
            case TemporalAccessor time -> quote(time.toString(), out);
            case UUID uuid -> quote(uuid.toString(), out);
            case GenericEnumSymbol<?> symbol -> quote(symbol.toString(), out);
            case Enum<?> symbol -> quote(symbol.name(), out);
            case GenericFixed fixed -> quote(Base64.getEncoder().encodeToString(fixed.bytes()), out);
            case ByteBuffer bytes -> quote(Base64.getEncoder().encodeToString(copy(bytes)), out);
            case byte[] bytes -> quote(Base64.getEncoder().encodeToString(bytes), out);
            case IndexedRecord record -> record(record, out);
            case Map<?, ?> map -> map(map, out);
            case Collection<?> items -> array(items, out);
            default -> quote(value.toString(), out);
        }
    }

    private static void record(IndexedRecord record, StringBuilder out) {
        out.append('{');
        var fields = record.getSchema().getFields();
        for (int i = 0; i < fields.size(); i++) {
            if (i > 0) {
                out.append(',');
            }
            quote(fields.get(i).name(), out);
            out.append(':');
            write(record.get(i), out);
        }
        out.append('}');
    }

    private static void map(Map<?, ?> map, StringBuilder out) {
        out.append('{');
        boolean first = true;
        for (var entry : map.entrySet()) {
            if (!first) {
                out.append(',');
            }
            first = false;
            quote(String.valueOf(entry.getKey()), out);
            out.append(':');
            write(entry.getValue(), out);
        }
        out.append('}');
    }

    private static void array(Collection<?> items, StringBuilder out) {
        out.append('[');
        boolean first = true;
        for (var item : items) {
            if (!first) {
                out.append(',');
            }
            first = false;
            write(item, out);
        }
        out.append(']');
    }

    private static void quote(String text, StringBuilder out) {
        out.append('"');
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                case '\b' -> out.append("\\b");
                case '\f' -> out.append("\\f");
                default -> {
                    // Control characters are invalid in JSON strings; U+2028/9 break JavaScript consumers.
                    if (c < 0x20 || c == '\u2028' || c == '\u2029') {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }

    private static byte[] copy(ByteBuffer buffer) {
        var bytes = new byte[buffer.remaining()];
        buffer.duplicate().get(bytes);
        return bytes;
    }
}
