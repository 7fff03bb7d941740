package dev.cutover.platform;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Settings every service shares, under {@code cutover.platform}.
 *
 * @param partitions         partitions of the cutover topics; cutovers of different databases spread across them
 * @param replicationFactor  replicas of every topic; 1 on a single local broker, 3 in production
 * @param kafkaHealthTimeout how long the health check waits for the broker before reporting DOWN
 * @param deliveryAttempts   attempts at a message whose handling throws, before it goes to the dead-letter topic
 * @param warmProducers      transactional producers a transactional service readies at start-up, one per listener
 *                           that may be in a transaction at the same moment as another: the first use of each otherwise
 *                           pays a round trip to the transaction coordinator, at the switch, while applications wait;
 *                           0 readies none, not even a service's one producer without transactions
 * @param loginsAtStartUp    whether the service logs in to every configured server once it is up and warns of each
 *                           login that fails, naming the setting ({@link dev.cutover.platform.database.LoginsAtStartUp}); the services that log in
 *                           to the databases turn it on in their own properties
 */
@ConfigurationProperties("cutover.platform")
public record PlatformSettings(
        @DefaultValue("3") int partitions,
        @DefaultValue("1") short replicationFactor,
        @DefaultValue("2s") Duration kafkaHealthTimeout,
        @DefaultValue("3") int deliveryAttempts,
        @DefaultValue("3") int warmProducers,
        @DefaultValue("false") boolean loginsAtStartUp) {

    public PlatformSettings {
        if (partitions < 1) {
            throw new IllegalArgumentException("cutover.platform.partitions must be at least 1, was " + partitions);
        }
        if (replicationFactor < 1) {
            throw new IllegalArgumentException(
                    "cutover.platform.replication-factor must be at least 1, was " + replicationFactor);
        }
        if (kafkaHealthTimeout.isNegative() || kafkaHealthTimeout.isZero()) {
            throw new IllegalArgumentException(
                    "cutover.platform.kafka-health-timeout must be positive, was " + kafkaHealthTimeout);
        }
        if (deliveryAttempts < 1) {
            throw new IllegalArgumentException(
                    "cutover.platform.delivery-attempts must be at least 1, was " + deliveryAttempts);
        }
        if (warmProducers < 0) {
            throw new IllegalArgumentException(
                    "cutover.platform.warm-producers cannot be negative, was " + warmProducers);
        }
    }
}
