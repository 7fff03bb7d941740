package dev.cutover.lag.settings;

import java.util.Map;
import java.util.TreeMap;

import org.springframework.boot.context.properties.ConfigurationProperties;

/** Every database whose replication this service observes, by the name used in {@code cutover.databases}. */
@ConfigurationProperties("cutover.lag")
public record LagSettings(Map<String, DatabaseLag> databases) {

    public LagSettings {
        databases = databases == null ? Map.of() : Map.copyOf(new TreeMap<>(databases));
    }

    /** The settings of a database named in a message; one nobody configured is a mistake a person must fix. */
    public DatabaseLag get(String name) {
        DatabaseLag lag = databases.get(name);
        if (lag == null) {
            throw new IllegalArgumentException("database '" + name + "' is not observed here: add cutover.lag.databases."
                    + name + ".engine (and its subscription or slot); observed: " + databases.keySet());
        }
        return lag;
    }
}
