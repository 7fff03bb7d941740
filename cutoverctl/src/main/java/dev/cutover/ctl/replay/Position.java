package dev.cutover.ctl.replay;

import java.time.Instant;

/**
 * Where a record sits in Kafka and when the broker took it: enough for an operator to find it again with any
 * Kafka tool.
 */
public record Position(String topic, int partition, long offset, Instant timestamp) {

    @Override
    public String toString() {
        return topic + "[" + partition + "]@" + offset;
    }
}
