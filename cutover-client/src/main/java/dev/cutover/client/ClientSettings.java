package dev.cutover.client;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * Where the cutover's events are and which database to follow.
 *
 * @param bootstrapServers Kafka's {@code bootstrap.servers} of the cluster that holds {@code cutover.events} and
 *     {@code cutover.commands}
 * @param database the database's name as cutover's services are configured with it ({@code cutover.databases.<name>})
 * @param holdTimeout the longest a checkout or a new connection waits while the cutover switches (from the flip);
 *     after it the pool goes on as it would without the library
 * @param kafka further consumer properties, e.g. {@code security.protocol} and SASL settings; never the group,
 *     offsets, isolation or deserializers, which the client sets itself
 */
public record ClientSettings(String bootstrapServers, String database, Duration holdTimeout, Map<String, String> kafka) {

    public static final Duration DEFAULT_HOLD_TIMEOUT = Duration.ofSeconds(5);

    public ClientSettings {
        if (bootstrapServers == null || bootstrapServers.isBlank()) {
            throw new IllegalArgumentException("cutover.client.bootstrap-servers is not set: give the Kafka bootstrap servers that carry "
                    + "cutover.events, e.g. kafka-1:9092,kafka-2:9092");
        }
        if (database == null || database.isBlank()) {
            throw new IllegalArgumentException("cutover.client.database is not set: give the name cutover's services know this "
                    + "application's database by (the <name> of cutover.databases.<name>)");
        }
        holdTimeout = holdTimeout == null ? DEFAULT_HOLD_TIMEOUT : holdTimeout;
        if (holdTimeout.isNegative() || holdTimeout.isZero() || holdTimeout.compareTo(Duration.ofMinutes(1)) > 0) {
            throw new IllegalArgumentException("cutover.client.hold-timeout must be more than 0 and at most 1 minute, but is "
                    + holdTimeout + ": it is how long checkouts wait while the cutover switches (5 s unless set)");
        }
        kafka = kafka == null ? Map.of() : Map.copyOf(kafka);
        Objects.requireNonNull(kafka);
    }

    /** The two settings and the default hold of 5 s. */
    public static ClientSettings of(String bootstrapServers, String database) {
        return new ClientSettings(bootstrapServers, database, DEFAULT_HOLD_TIMEOUT, Map.of());
    }

    public ClientSettings withHoldTimeout(Duration timeout) {
        return new ClientSettings(bootstrapServers, database, timeout, kafka);
    }
}
