package dev.cutover.cutover.saga;

import java.util.List;

/**
 * What one message led to: the events to record and the commands to send, produced together in one Kafka
 * transaction so a step is never half-recorded. Commands are sent in list order.
 */
public record Decision(List<CutoverEvent> events, List<SagaCommand> commands) {

    private static final Decision NONE = new Decision(List.of(), List.of());

    public Decision {
        events = List.copyOf(events);
        commands = List.copyOf(commands);
    }

    /** Nothing to record and nothing to send: a redelivered outcome, an observation that changes nothing, or time not yet up. */
    public static Decision none() {
        return NONE;
    }

    public static Decision of(CutoverEvent event, SagaCommand... commands) {
        return new Decision(List.of(event), List.of(commands));
    }

    public boolean isNone() {
        return events.isEmpty() && commands.isEmpty();
    }
}
