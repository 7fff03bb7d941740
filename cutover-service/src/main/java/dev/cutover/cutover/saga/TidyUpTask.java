package dev.cutover.cutover.saga;

/**
 * The jobs left once clients use the target, confirmed one by one. Stopping replication and restoring the TTL run in
 * parallel; preparing the fallback (the source subscribing back to the target) only once replication is stopped, and
 * only for a cutover that prepared reverse replication in its preflight.
 */
public enum TidyUpTask {
    STOP_REPLICATION,
    RESTORE_DNS_TTL,
    PREPARE_FALLBACK
}
