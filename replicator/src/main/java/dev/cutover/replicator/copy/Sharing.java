package dev.cutover.replicator.copy;

import java.util.Objects;

/**
 * A full load shared with other replicator instances: this one keeps the snapshot and tallies, any instance copies.
 *
 * @param instance this instance's name, in its sessions' {@code application_name} and its answers
 * @param exchange where the tasks go and the answers come from
 */
public record Sharing(String instance, TaskExchange exchange) {

    public Sharing {
        Objects.requireNonNull(instance, "instance");
        Objects.requireNonNull(exchange, "exchange");
    }

    /** The {@code application_name} of this instance's sessions: who holds what shows in {@code pg_stat_activity}. */
    public static String applicationName(String instance) {
        return "cutover-replicator-" + instance;
    }
}
