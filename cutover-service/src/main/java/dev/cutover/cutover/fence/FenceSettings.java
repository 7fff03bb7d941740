package dev.cutover.cutover.fence;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Settings of the fence, under {@code cutover.fence}.
 *
 * @param lockTimeout         how long re-locking the target may take to end sessions that got in
 * @param awaitTrafficTimeout how long after the target opens the first application session may take to arrive
 */
@ConfigurationProperties("cutover.fence")
record FenceSettings(
        @DefaultValue("5s") Duration lockTimeout,
        @DefaultValue("2m") Duration awaitTrafficTimeout) {

    FenceSettings {
        if (!lockTimeout.isPositive()) {
            throw new IllegalArgumentException("cutover.fence.lock-timeout must be positive, was " + lockTimeout);
        }
        if (!awaitTrafficTimeout.isPositive()) {
            throw new IllegalArgumentException(
                    "cutover.fence.await-traffic-timeout must be positive, was " + awaitTrafficTimeout);
        }
    }
}
