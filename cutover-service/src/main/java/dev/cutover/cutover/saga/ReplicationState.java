package dev.cutover.cutover.saga;

import java.util.Objects;

/**
 * What lag-monitor saw of replication, by the name it reported ({@code LagReported.state}); only a streaming
 * replication can catch up during the cutover. A name this version does not know (a newer lag-monitor's) is kept as
 * it came, so a refusal names what was reported, never a state nobody reported.
 *
 * @param name the state as lag-monitor named it, e.g. {@code STREAMING}
 */
public record ReplicationState(String name) {

    public static final ReplicationState STREAMING = new ReplicationState("STREAMING");
    public static final ReplicationState CATCHING_UP = new ReplicationState("CATCHING_UP");
    public static final ReplicationState STALLED = new ReplicationState("STALLED");
    public static final ReplicationState DOWN = new ReplicationState("DOWN");

    public ReplicationState {
        Objects.requireNonNull(name, "name must not be null");
        if (name.isBlank()) {
            throw new IllegalArgumentException("a replication state needs a name");
        }
    }

    public boolean streaming() {
        return equals(STREAMING);
    }

    /** What the state means, for a person reading why a cutover was refused. */
    public String meaning() {
        return switch (name) {
            case "STREAMING" -> "changes arrive as they are made";
            case "CATCHING_UP" -> "changes arrive, but the target is behind by more than lag-monitor's catching-up-bytes"
                    + " or catching-up-delay; start the cutover again once it has caught up";
            case "STALLED" -> "the source writes and the target has confirmed nothing for longer than lag-monitor's"
                    + " stall-after; check the subscription's apply worker and the target's log";
            case "DOWN" -> "lag-monitor cannot read replication's figures, or the slot or subscription it watches does"
                    + " not exist; lag-monitor's log says which";
            default -> "a state this cutover-service does not know; see lag-monitor's documentation for it";
        };
    }

    @Override
    public String toString() {
        return name;
    }
}
