package dev.cutover.client;

import java.util.Objects;

/** What the client needs from the cutover's events, free of Avro and Kafka. */
public sealed interface CutoverSignal {

    String cutoverId();

    /**
     * {@code DnsFlipped}: the name now points at {@code current}; it pointed at {@code previous}. The cutover's flip
     * goes from the source to the target, its fallback's back from the target to the source.
     */
    record DnsFlipped(String cutoverId, String previous, String current) implements CutoverSignal {
        public DnsFlipped {
            Objects.requireNonNull(cutoverId, "cutoverId");
            Objects.requireNonNull(previous, "previous");
            Objects.requireNonNull(current, "current");
        }
    }

    /** {@code StopTraffic}: the fence of the source begins. */
    record StopTraffic(String cutoverId) implements CutoverSignal {
        public StopTraffic {
            Objects.requireNonNull(cutoverId, "cutoverId");
        }
    }

    /** {@code LockTarget}: a fallback's fence of the target begins. */
    record LockTarget(String cutoverId) implements CutoverSignal {
        public LockTarget {
            Objects.requireNonNull(cutoverId, "cutoverId");
        }
    }

    /**
     * {@code FallbackRollingBack}: the fallback is being undone (the name back to the target, the target opened
     * again); a flip of this cutover heard before was the fallback's.
     */
    record FallbackRollingBack(String cutoverId) implements CutoverSignal {
        public FallbackRollingBack {
            Objects.requireNonNull(cutoverId, "cutoverId");
        }
    }

    /**
     * {@code TargetOpened} (or {@code CutoverCompleted} / {@code FallbackRolledBack} for a process that missed it): the
     * target takes the writes, after the cutover's switch or when its fallback rolls back.
     */
    record TargetOpen(String cutoverId) implements CutoverSignal {
        public TargetOpen {
            Objects.requireNonNull(cutoverId, "cutoverId");
        }
    }

    /**
     * {@code SourceRestored} (or {@code CutoverRolledBack} / {@code FallbackCompleted} for a process that missed it): the
     * source takes the writes again, when the cutover rolls back or its fallback opens the source.
     */
    record SourceOpen(String cutoverId) implements CutoverSignal {
        public SourceOpen {
            Objects.requireNonNull(cutoverId, "cutoverId");
        }
    }
}
