package dev.cutover.cutover.saga;

/** The two jobs left once clients use the target; both run in parallel and are confirmed one by one. */
public enum TidyUpTask {
    STOP_REPLICATION,
    RESTORE_DNS_TTL
}
