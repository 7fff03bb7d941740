package dev.cutover.cutover.fence;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.ConstructorBinding;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Settings of the fence, under {@code cutover.fence}.
 *
 * @param lockTimeout         how long re-locking the target may take to end sessions that got in
 * @param awaitTrafficTimeout how long after the target opens the first application session may take to arrive
 * @param overtakenAfter      how old a switch command ({@code StopTraffic}, {@code WriteCanary}, {@code OpenTarget})
 *                            may be when the fence comes to carry it out: longer than any switch step's timeout (the
 *                            saga has given such a command up and gone another way by then), shorter than Kafka's
 *                            session timeout (45 s by default), which an instance paused past it, and so no longer
 *                            the saga's, has been away for
 */
@ConfigurationProperties("cutover.fence")
record FenceSettings(
        @DefaultValue("5s") Duration lockTimeout,
        @DefaultValue("2m") Duration awaitTrafficTimeout,
        @DefaultValue("30s") Duration overtakenAfter) {

    /** The defaults' own: what tests and the warm-up use. */
    FenceSettings(Duration lockTimeout, Duration awaitTrafficTimeout) {
        this(lockTimeout, awaitTrafficTimeout, Duration.ofSeconds(30));
    }

    // Two constructors: Spring binds the properties through this one.
    @ConstructorBinding
    FenceSettings {
        if (!lockTimeout.isPositive()) {
            throw new IllegalArgumentException("cutover.fence.lock-timeout must be positive, was " + lockTimeout);
        }
        if (!awaitTrafficTimeout.isPositive()) {
            throw new IllegalArgumentException(
                    "cutover.fence.await-traffic-timeout must be positive, was " + awaitTrafficTimeout);
        }
        if (!overtakenAfter.isPositive()) {
            throw new IllegalArgumentException("cutover.fence.overtaken-after must be positive, was " + overtakenAfter
                    + ": set it above every switch step's timeout and below Kafka's session.timeout.ms");
        }
    }
}
