package dev.cutover.console;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The console's settings ({@code cutover.console.*}).
 *
 * @param bootstrapServers the Kafka brokers to read the topics from
 * @param lagPoints        how many lag reports per database the chart keeps
 * @param streamTimeout    how long one server-sent-events stream stays open; the browser opens a new one after it
 */
@ConfigurationProperties("cutover.console")
public record ConsoleSettings(
        String bootstrapServers,
        @DefaultValue("120") int lagPoints,
        @DefaultValue("30m") Duration streamTimeout) {

    public ConsoleSettings {
        if (bootstrapServers == null || bootstrapServers.isBlank()) {
            throw new IllegalArgumentException("cutover.console.bootstrap-servers must name the Kafka brokers "
                    + "(host:port, comma separated), e.g. set SPRING_KAFKA_BOOTSTRAP_SERVERS=kafka:9092");
        }
        if (lagPoints < 2) {
            throw new IllegalArgumentException("cutover.console.lag-points must be at least 2 to draw a line, was "
                    + lagPoints);
        }
        if (streamTimeout.isNegative() || streamTimeout.isZero()) {
            throw new IllegalArgumentException("cutover.console.stream-timeout must be positive, e.g. 30m, was "
                    + streamTimeout);
        }
    }
}
