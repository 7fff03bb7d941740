package dev.cutover.client.spring;

import java.time.Duration;
import java.util.Map;

import org.springframework.boot.context.properties.ConfigurationProperties;

import dev.cutover.client.ClientSettings;

/**
 * {@code cutover.client.*}: where the cutover's events are and the database's name; the rest has defaults.
 *
 * @param bootstrapServers Kafka's bootstrap servers holding {@code cutover.events}; the starter does nothing without it
 * @param database the name cutover's services know the application's database by
 * @param holdTimeout the longest checkouts wait while the cutover switches, from the flip (5 s unless set)
 * @param kafka further Kafka consumer properties, e.g. {@code security.protocol}
 */
@ConfigurationProperties("cutover.client")
public record CutoverClientProperties(String bootstrapServers, String database, Duration holdTimeout, Map<String, String> kafka) {

    /** Checked here, so that the application stops at start-up with a message that says which setting to fix. */
    ClientSettings settings() {
        return new ClientSettings(bootstrapServers, database, holdTimeout, kafka);
    }
}
