package dev.cutover.cutover.saga;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * Where the fallback of a completed cutover stands: the source taking the clients back from the target, through the
 * reverse replication the cutover's tidy-up started.
 */
public sealed interface Fallback {

    FallbackProgress progress();

    /**
     * Running the steps from {@link FallbackStep#PREFLIGHT} to {@link FallbackStep#STOP_REVERSE_REPLICATION}; after the
     * point of no return, a step in flight is sent again at its deadline.
     */
    record Switching(FallbackProgress progress) implements Fallback {

        public Switching {
            Objects.requireNonNull(progress, "progress must not be null");
        }
    }

    /** Putting the target back after {@code failedStep} went wrong; waiting for {@code TargetOpened}. */
    record RollingBack(FallbackProgress progress, FallbackStep failedStep, String reason, Instant attemptStartedAt)
            implements Fallback {

        public RollingBack {
            Objects.requireNonNull(progress, "progress must not be null");
            Objects.requireNonNull(failedStep, "failedStep must not be null");
            Text.notBlank(reason, "reason");
            Objects.requireNonNull(attemptStartedAt, "attemptStartedAt must not be null");
        }
    }

    /** The source serves the clients, with every write the target took, and nothing replicates any more. */
    record FellBack(FallbackProgress progress, Duration downtime) implements Fallback {

        public FellBack {
            Objects.requireNonNull(progress, "progress must not be null");
            Objects.requireNonNull(downtime, "downtime must not be null");
        }
    }

    /** The target serves again after {@code failedStep} went wrong; the source still follows it. */
    record RolledBack(FallbackProgress progress, FallbackStep failedStep, String reason, Duration downtime)
            implements Fallback {

        public RolledBack {
            Objects.requireNonNull(progress, "progress must not be null");
            Objects.requireNonNull(failedStep, "failedStep must not be null");
            Text.notBlank(reason, "reason");
            Objects.requireNonNull(downtime, "downtime must not be null");
        }
    }

    /** The fallback was refused by its preflight, before it touched anything. */
    record Refused(FallbackProgress progress, String reason) implements Fallback {

        public Refused {
            Objects.requireNonNull(progress, "progress must not be null");
            Text.notBlank(reason, "reason");
        }
    }

    /** Whether the fallback still holds the database: a switch or a rollback in flight. */
    default boolean isActive() {
        return switch (this) {
            case Switching switching -> true;
            case RollingBack rollingBack -> true;
            case FellBack fellBack -> false;
            case RolledBack rolledBack -> false;
            case Refused refused -> false;
        };
    }
}
