package dev.cutover.cutover.migration;

import java.util.List;

/**
 * What one message led to: the events to record and the commands to send, produced together in one Kafka
 * transaction so a step is never half-recorded.
 */
public record MigrationDecision(List<MigrationEvent> events, List<MigrationCommand> commands) {

    private static final MigrationDecision NONE = new MigrationDecision(List.of(), List.of());

    public MigrationDecision {
        events = List.copyOf(events);
        commands = List.copyOf(commands);
    }

    /** Nothing to record and nothing to send: a repeated start, a redelivered answer, or time not yet up. */
    public static MigrationDecision none() {
        return NONE;
    }

    public static MigrationDecision of(MigrationEvent event, MigrationCommand... commands) {
        return new MigrationDecision(List.of(event), List.of(commands));
    }

    /** Commands alone: what the saga does in the middle of a step records nothing about the step. */
    public static MigrationDecision send(MigrationCommand... commands) {
        return new MigrationDecision(List.of(), List.of(commands));
    }

    public boolean isNone() {
        return events.isEmpty() && commands.isEmpty();
    }
}
