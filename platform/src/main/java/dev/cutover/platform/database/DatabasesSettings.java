package dev.cutover.platform.database;

import java.util.Map;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Every database this deployment can move, by name, under {@code cutover.databases.<name>}. The name is
 * the {@code database} of every message about it.
 */
@ConfigurationProperties("cutover")
public record DatabasesSettings(Map<String, DatabasePair> databases) {

    public DatabasesSettings {
        databases = databases == null ? Map.of() : Map.copyOf(databases);
        // Adopted replication without its names stops the service at start-up, not a cutover halfway.
        databases.forEach((name, pair) -> pair.replication().resolve(name));
    }

    /** The replication of the pair named in a message, every name filled in. */
    public Replication replication(String name) {
        return get(name).replication().resolve(name);
    }

    /** The pair named in a message; a name nobody configured is a mistake a person must fix. */
    public DatabasePair get(String name) {
        DatabasePair pair = databases.get(name);
        if (pair == null) {
            throw new IllegalArgumentException("database '" + name + "' is not configured here: add cutover.databases."
                    + name + ".source and .target (configured: " + databases.keySet() + ")");
        }
        return pair;
    }
}
