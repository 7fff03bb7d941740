package dev.cutover.replicator.streaming;

/**
 * The target no longer subscribes.
 *
 * @param slotDropped whether no slot is left on the source; a kept slot retains WAL until dropped
 */
public record StreamingStopped(String slot, String subscription, boolean slotDropped) {
}
