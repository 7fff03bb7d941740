package dev.cutover.lag.state;

/** How replication of one database is doing, as reported in {@code LagReported.state}. */
public enum ReplicationState {
    /** Changes arrive as they are made. */
    STREAMING,
    /** Changes arrive, but the target is behind by more than the configured bytes or time. */
    CATCHING_UP,
    /** The source writes and the target has confirmed nothing for longer than the configured time. */
    STALLED,
    /** The figures cannot be read, or the replication objects (slot, subscription, task) do not exist. */
    DOWN
}
