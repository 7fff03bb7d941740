package dev.cutover.events.serde;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.avro.Schema;
import org.apache.avro.SchemaParseException;
import org.apache.avro.message.SchemaStore;

import dev.cutover.events.Messages;

/**
 * Every schema any cutover service has ever written with: the current generated schemas plus each older version kept
 * under {@code dev/cutover/events/released/<TypeName>/v<N>.avsc} on the classpath. Messages written years ago by an
 * older service must still decode, so these files are append-only (see the module README).
 *
 * <p>Each released file is a complete, self-contained schema (nested types inlined) because the fingerprint in a
 * payload covers the whole writer schema, including the {@code Metadata} it carried at the time.
 */
public final class ReleasedSchemas implements SchemaStore {

    static final String RESOURCE_ROOT = "dev/cutover/events/released/";

    private static final class Holder {
        static final ReleasedSchemas INSTANCE = load(ReleasedSchemas.class.getClassLoader(), RESOURCE_ROOT);
    }

    private final Map<Long, Schema> byFingerprint;
    private final Map<String, List<Schema>> releasedByName;

    private ReleasedSchemas(Map<Long, Schema> byFingerprint, Map<String, List<Schema>> releasedByName) {
        this.byFingerprint = Collections.unmodifiableMap(byFingerprint);
        this.releasedByName = Collections.unmodifiableMap(releasedByName);
    }

    /** The schemas shipped in this jar; loaded once, then shared (it is immutable). */
    public static ReleasedSchemas load() {
        return Holder.INSTANCE;
    }

    /**
     * Loads from another resource root: for tests that need a history this jar does not have. For each current type,
     * versions are read from v1 upwards until one is missing, so version numbers must have no gaps.
     */
    static ReleasedSchemas load(ClassLoader loader, String root) {
        var byFingerprint = new LinkedHashMap<Long, Schema>();
        var releasedByName = new LinkedHashMap<String, List<Schema>>();
        for (var type : Messages.all()) {
            var versions = new ArrayList<Schema>();
            for (int version = 1; ; version++) {
                var path = root + type.name() + "/v" + version + ".avsc";
                var schema = read(loader, path);
                if (schema == null) {
                    break;
                }
                if (!schema.getFullName().equals(type.fullName())) {
                    throw new IllegalStateException(path + " holds " + schema.getFullName() + ", expected " + type.fullName());
                }
                versions.add(schema);
                byFingerprint.putIfAbsent(Fingerprints.of(schema), schema);
            }
            releasedByName.put(type.fullName(), List.copyOf(versions));
            byFingerprint.putIfAbsent(Fingerprints.of(type.schema()), type.schema());
        }
        return new ReleasedSchemas(byFingerprint, releasedByName);
    }

    @Override
    public Schema findByFingerprint(long fingerprint) {
        return byFingerprint.get(fingerprint);
    }

    /** The older versions of a type kept as resources, oldest first; empty for a type never changed since v1. */
    public List<Schema> releasedVersions(String fullName) {
        return releasedByName.getOrDefault(fullName, List.of());
    }

    /** Every distinct schema (released and current): what {@code cutover.schemas} should hold. */
    public Collection<Schema> all() {
        return byFingerprint.values();
    }

    private static Schema read(ClassLoader loader, String path) {
        try (InputStream in = loader.getResourceAsStream(path)) {
            if (in == null) {
                return null;
            }
            return new Schema.Parser().parse(in);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read released schema " + path, e);
        } catch (SchemaParseException e) {
            throw new IllegalStateException("Released schema " + path + " is not a self-contained Avro schema: " + e.getMessage(), e);
        }
    }
}
