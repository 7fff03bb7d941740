package dev.cutover.cutover.saga;

/**
 * The jobs left once clients use the target, confirmed one by one. Stopping replication and restoring the TTL run in
 * parallel; preparing the fallback (the source subscribing back to the target) only once replication is stopped, and
 * only for a cutover that prepared reverse replication in its preflight.
 */
public enum TidyUpTask {
    STOP_REPLICATION("replicator"),
    RESTORE_DNS_TTL("dns-switcher"),
    PREPARE_FALLBACK("replicator");

    private final String participant;

    TidyUpTask(String participant) {
        this.participant = participant;
    }

    /** The service that carries the task out and answers it, as an operator knows it. */
    public String participant() {
        return participant;
    }
}
