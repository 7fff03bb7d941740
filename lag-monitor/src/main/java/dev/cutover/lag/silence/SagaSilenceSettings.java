package dev.cutover.lag.silence;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The watchdog for a silent saga, under {@code cutover.lag.saga-silence}.
 *
 * @param enabled       whether this instance watches (every instance may: each partition is watched by one of them)
 * @param after         how long a cutover's saga may write nothing before it is reported: above the longest step
 *                      timeout configured in cutover-service (60 s by default) plus the time a second instance takes
 *                      to take a dead one's cutovers over (Kafka's session timeout, 45 s by default)
 * @param checkInterval how often the cutovers under way are looked at; a silence is reported at most this late
 * @param sagaService   the {@code spring.application.name} of the service whose events count as the saga speaking
 */
@ConfigurationProperties("cutover.lag.saga-silence")
public record SagaSilenceSettings(
        @DefaultValue("true") boolean enabled,
        @DefaultValue(DEFAULT_AFTER_SECONDS + "s") Duration after,
        @DefaultValue("1s") Duration checkInterval,
        @DefaultValue("cutover-service") String sagaService) {

    /** The default bound: the longest default step timeout (60 s), Kafka's session timeout (45 s) and 15 s to spare. */
    public static final long DEFAULT_AFTER_SECONDS = 120;

    public SagaSilenceSettings {
        if (after == null || !after.isPositive()) {
            throw new IllegalArgumentException("cutover.lag.saga-silence.after must be positive, was " + after
                    + ": set it above the longest step timeout of cutover-service plus Kafka's session timeout, e.g. 120s");
        }
        if (checkInterval == null || !checkInterval.isPositive() || checkInterval.compareTo(after) >= 0) {
            throw new IllegalArgumentException("cutover.lag.saga-silence.check-interval must be positive and shorter"
                    + " than cutover.lag.saga-silence.after (" + after + "), was " + checkInterval);
        }
        if (sagaService == null || sagaService.isBlank()) {
            throw new IllegalArgumentException("cutover.lag.saga-silence.saga-service must name the service that runs"
                    + " the cutover saga (its spring.application.name), e.g. cutover-service");
        }
    }
}
