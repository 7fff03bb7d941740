package dev.cutover.cutover.saga;

import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;

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

    /**
     * Putting the target back after {@code failedStep} went wrong; waiting for {@code DnsReverted} (when the fallback's
     * flip was sent) and {@code TargetOpened}, of which {@code done} have arrived.
     */
    record RollingBack(FallbackProgress progress, FallbackStep failedStep, String reason, Instant attemptStartedAt,
            Set<FallbackRollbackPart> done) implements Fallback {

        public RollingBack {
            Objects.requireNonNull(progress, "progress must not be null");
            Objects.requireNonNull(failedStep, "failedStep must not be null");
            Text.notBlank(reason, "reason");
            Objects.requireNonNull(attemptStartedAt, "attemptStartedAt must not be null");
            done = done.isEmpty() ? Set.of() : Collections.unmodifiableSet(EnumSet.copyOf(done));
        }

        /** The parts this rollback needs: the DNS revert only if the fallback's {@code FlipDns} was ever sent. */
        public Set<FallbackRollbackPart> parts() {
            return progress.reached(FallbackStep.FLIP_DNS) ? EnumSet.allOf(FallbackRollbackPart.class)
                    : EnumSet.of(FallbackRollbackPart.OPEN_TARGET);
        }

        /** The parts not confirmed yet, in the order their commands are sent. */
        public Set<FallbackRollbackPart> pending() {
            var pending = EnumSet.noneOf(FallbackRollbackPart.class);
            pending.addAll(parts());
            pending.removeAll(done);
            return pending;
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
