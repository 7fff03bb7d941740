package dev.cutover.cutover.saga;

/** What the lag monitor saw of the subscription; only a streaming subscription can catch up during the cutover. */
public enum ReplicationState {
    STREAMING,
    CATCHING_UP,
    STALLED,
    STOPPED
}
