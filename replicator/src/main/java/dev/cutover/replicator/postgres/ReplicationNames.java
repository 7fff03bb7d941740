package dev.cutover.replicator.postgres;

import java.util.Locale;

/**
 * The publication and slot on the source and the subscription on the target that belong to one
 * configured database. They are derived from its name alone, so every command about that database
 * (and a restarted replicator) finds the objects an earlier command created.
 */
public record ReplicationNames(String publication, String slot, String subscription) {

    private static final int MAX_IDENTIFIER = 63;

    public static ReplicationNames forDatabase(String database) {
        // Slot names may hold only lower-case letters, digits and underscores.
        String stem = database.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_]", "_");
        if (stem.isEmpty()) {
            throw new IllegalArgumentException("a database name is needed to name its replication objects");
        }
        return new ReplicationNames(name("cutover_pub_", stem), name("cutover_slot_", stem), name("cutover_sub_", stem));
    }

    private static String name(String prefix, String stem) {
        String name = prefix + stem;
        if (name.length() <= MAX_IDENTIFIER) {
            return name;
        }
        // Keep long names distinct: truncate and append a hash of what was cut.
        String hash = Integer.toHexString(stem.hashCode());
        return name.substring(0, MAX_IDENTIFIER - hash.length() - 1) + "_" + hash;
    }
}
